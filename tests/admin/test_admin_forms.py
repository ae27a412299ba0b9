"""Forms of the reference and scheme admins: Vietnamese messages where the database would
answer with a constraint name, and fields that the money already recorded depends on."""

from django.urls import reverse

from organisations.models import Organisation
from provinces.models import ProvinceMap
from tests import factories
from tests.conftest import province


def test_a_user_is_bound_to_a_unit_of_the_34_unit_map(admin_client_vi):
    add = reverse("admin:accounts_user_add")
    form = admin_client_vi.get(add).context["adminform"].form
    assert set(form.fields["province"].queryset.values_list("map_version", flat=True)) == {
        ProvinceMap.NEW_34
    }
    data = {
        "username": "tinh-moi",
        "usable_password": "false",
        "role": "province",
        "_save": "1",
    }
    missing = admin_client_vi.post(add, data)
    assert missing.context["adminform"].form.errors["province"] == [
        "Cán bộ tỉnh phải thuộc một tỉnh, thành phố."
    ]
    old_map = admin_client_vi.post(add, {**data, "province": province("06", "63").pk})
    assert "province" in old_map.context["adminform"].form.errors

    created = admin_client_vi.post(add, {**data, "province": province("19").pk})
    assert created.status_code == 302


def test_a_provincial_body_needs_its_province(admin_client_vi):
    add = reverse("admin:organisations_organisation_add")
    data = {"kind": Organisation.Kind.DEPARTMENT, "name": "Sở Công Thương thử", "_save": "1"}
    response = admin_client_vi.post(add, data)
    assert response.context["adminform"].form.errors["province"] == [
        "Sở Công Thương và Trung tâm khuyến công tỉnh phải thuộc một tỉnh, thành phố."
    ]
    created = admin_client_vi.post(add, {**data, "province": province("19").pk, "is_active": "on"})
    assert created.status_code == 302
    assert Organisation.objects.get(name="Sở Công Thương thử").search_text == "so cong thuong thu"


def test_a_funded_scheme_keeps_its_year_and_fund(admin_client_vi, money_chain):
    scheme = money_chain.contract.allocation.scheme
    change = reverse("admin:projects_scheme_change", args=(scheme.pk,))
    fields = admin_client_vi.get(change).context["adminform"].form.fields
    assert "plan_year" not in fields
    assert "fund" not in fields
    assert "title" in fields

    unfunded = factories.SchemeFactory()
    change = reverse("admin:projects_scheme_change", args=(unfunded.pk,))
    assert "plan_year" in admin_client_vi.get(change).context["adminform"].form.fields
