import datetime

import pytest
from django.utils import timezone

from api.models import ApiToken
from api.services import api_token_revoke, key_digest
from tests.api.conftest import bearer

URL = "/api/v1/schemes/?year=2019"


def test_no_key_is_401_with_a_json_message(client, world):
    response = client.get(URL)
    assert response.status_code == 401
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert "Bearer" in body["error"]
    assert body["errors"] == {}


@pytest.mark.parametrize(
    "header", ["Bearer kc_not-a-real-key", "Token kc_abc", "Bearer ", "kc_abc", "Basic YTpi"]
)
def test_a_bad_or_malformed_key_is_401(client, world, ministry_key, header):
    response = client.get(URL, HTTP_AUTHORIZATION=header)
    assert response.status_code == 401
    assert response.json()["error"]


def test_a_good_key_reads_and_marks_its_last_use(client, world, ministry, ministry_key):
    token = ApiToken.objects.get(user=ministry)
    assert token.last_used_at is None
    before = timezone.now()
    response = client.get(URL, **bearer(ministry_key))
    assert response.status_code == 200
    token.refresh_from_db()
    assert token.last_used_at >= before
    # The history records who made the key, not each use.
    assert token.history.count() == 1


def test_the_last_use_is_rewritten_at_most_once_a_minute(client, world, ministry, ministry_key):
    token = ApiToken.objects.get(user=ministry)
    assert client.get(URL, **bearer(ministry_key)).status_code == 200
    token.refresh_from_db()
    first = token.last_used_at
    assert client.get(URL, **bearer(ministry_key)).status_code == 200
    token.refresh_from_db()
    assert token.last_used_at == first  # a second later: the row is left as it was
    an_hour_ago = first - datetime.timedelta(hours=1)
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=an_hour_ago)
    assert client.get(URL, **bearer(ministry_key)).status_code == 200
    token.refresh_from_db()
    assert token.last_used_at > first


def test_a_revoked_key_is_refused(client, world, ministry, ministry_key):
    assert client.get(URL, **bearer(ministry_key)).status_code == 200
    api_token_revoke(token=ApiToken.objects.get(user=ministry), by=ministry)
    response = client.get(URL, **bearer(ministry_key))
    assert response.status_code == 401
    assert "thu hồi" in response.json()["error"]


def test_the_key_of_a_disabled_account_is_403(client, world, ministry, ministry_key):
    ministry.is_active = False
    ministry.save()
    response = client.get(URL, **bearer(ministry_key))
    assert response.status_code == 403
    assert response.json()["error"]


def test_the_key_is_stored_only_as_its_hash(ministry, ministry_key):
    token = ApiToken.objects.get(user=ministry)
    assert token.key_hash == key_digest(ministry_key)
    assert ministry_key not in (token.key_hash, token.prefix)
    assert ministry_key.startswith(token.prefix)


def test_a_browser_session_works_without_a_key(client, world, ministry):
    client.force_login(ministry)
    assert client.get(URL).status_code == 200


def test_the_key_acts_for_its_user_even_in_another_users_session(
    client, world, thai_nguyen, ministry_key
):
    """A key names its user: the session of whoever runs the program does not widen it."""
    client.force_login(thai_nguyen)
    body = client.get("/api/v1/aggregates/?year=2019&by=region", **bearer(ministry_key)).json()
    assert body["scope"] == "all"


def test_answers_for_a_key_are_private_to_it(client, world, ministry_key):
    response = client.get(URL, **bearer(ministry_key))
    assert "private" in response["Cache-Control"]
    assert "Authorization" in response["Vary"]
