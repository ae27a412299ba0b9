import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from api.models import ApiToken
from api.services import MAX_ACTIVE_TOKENS, api_token_create, api_token_revoke, key_digest
from tests.api.conftest import bearer, key_for
from tests.factories import UserFactory

PAGE = "/tai-khoan/khoa-api/"


def test_the_page_needs_a_login(client, db):
    assert client.get(PAGE).status_code == 302


def test_a_key_is_made_and_shown_once(client, world, ministry):
    client.force_login(ministry)
    response = client.post(PAGE, {"name": "Báo cáo quý"})
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    key = response.context["new_key"]
    assert key in response.text
    token = ApiToken.objects.get(user=ministry)
    assert (token.name, token.key_hash) == ("Báo cáo quý", key_digest(key))
    assert token.history.get().history_user == ministry
    # Shown once: the list shows only its first characters from now on.
    again = client.get(PAGE).text
    assert key not in again
    assert token.prefix in again
    # And it works.
    client.logout()
    assert client.get("/api/v1/schemes/", **bearer(key)).status_code == 200


def test_a_name_is_required(client, ministry):
    client.force_login(ministry)
    response = client.post(PAGE, {"name": "  "})
    assert response.context["new_key"] is None
    assert not ApiToken.objects.exists()


def test_revoke_own_key(client, world, ministry):
    key = key_for(ministry)
    token = ApiToken.objects.get(user=ministry)
    client.force_login(ministry)
    response = client.post(f"{PAGE}{token.pk}/thu-hoi/")
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert token.history.count() == 2
    client.logout()
    assert client.get("/api/v1/schemes/", **bearer(key)).status_code == 401


def test_another_users_key_is_404(client, ministry, thai_nguyen):
    key_for(thai_nguyen)
    token = ApiToken.objects.get(user=thai_nguyen)
    client.force_login(ministry)
    assert client.post(f"{PAGE}{token.pk}/thu-hoi/").status_code == 404
    assert token.prefix not in client.get(PAGE).text
    token.refresh_from_db()
    assert token.revoked_at is None


def test_only_the_user_or_an_administrator_makes_or_revokes_keys(ministry, thai_nguyen):
    with pytest.raises(PermissionDenied):
        api_token_create(user=thai_nguyen, name="x", by=ministry)
    token, _key = api_token_create(user=thai_nguyen, name="x", by=thai_nguyen)
    with pytest.raises(PermissionDenied):
        api_token_revoke(token=token, by=ministry)
    admin = UserFactory(username="api-admin", is_superuser=True, is_staff=True)
    assert api_token_revoke(token=token, by=admin).revoked_at is not None


def test_a_user_has_a_bounded_number_of_keys(ministry):
    for number in range(MAX_ACTIVE_TOKENS):
        api_token_create(user=ministry, name=f"k{number}", by=ministry)
    with pytest.raises(ValidationError):
        api_token_create(user=ministry, name="one too many", by=ministry)


def test_the_page_query_count_is_fixed(client, ministry, django_assert_num_queries):
    client.force_login(ministry)
    key_for(ministry)
    with django_assert_num_queries(3):  # session, user, keys
        client.get(PAGE)
    for number in range(3):
        key_for(ministry, f"k{number}")
    with django_assert_num_queries(3):
        client.get(PAGE)


def test_administrators_make_and_revoke_keys_in_the_admin(client, ministry):
    admin = UserFactory(username="api-admin", is_superuser=True, is_staff=True)
    client.force_login(admin)
    response = client.post(
        "/admin/api/apitoken/add/", {"user": ministry.pk, "name": "Cho Sở"}, follow=True
    )
    assert response.status_code == 200
    token = ApiToken.objects.get(user=ministry)
    message = next(str(m) for m in response.context["messages"])
    key = message.split(": ", 1)[1].split(" ")[0]
    assert key_digest(key) == token.key_hash
    response = client.post(
        "/admin/api/apitoken/",
        {"action": "revoke", "_selected_action": [token.pk]},
        follow=True,
    )
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert client.get(f"/admin/api/apitoken/{token.pk}/change/").status_code == 200
