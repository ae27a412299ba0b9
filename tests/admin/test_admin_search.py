"""Admin search ignores Vietnamese diacritics and case (core.admin.FoldedSearchAdminMixin)."""

import pytest
from django.urls import reverse

from provinces.models import Province, ProvinceMap
from tests import factories
from tests.conftest import province

PROVINCES = reverse("admin:provinces_province_changelist")
SCHEMES = reverse("admin:projects_scheme_changelist")


def listed(client, url: str, term: str) -> list:
    response = client.get(url, {"q": term})
    assert response.status_code == 200
    return list(response.context["cl"].result_list)


@pytest.mark.parametrize("term", ["Thai Nguyen", "thái nguyên", "THAI NGUYEN", "Thái  Nguyên"])
def test_province_search_ignores_diacritics_and_case(admin_client_vi, term):
    found = listed(admin_client_vi, PROVINCES, term)
    assert {(p.name, p.map_version) for p in found} == {
        ("Tỉnh Thái Nguyên", ProvinceMap.OLD_63),
        ("Tỉnh Thái Nguyên", ProvinceMap.NEW_34),
    }


def test_ha_noi_finds_the_capital(admin_client_vi):
    names = {p.name for p in listed(admin_client_vi, PROVINCES, "Ha Noi")}
    assert "Thành phố Hà Nội" in names


def test_every_word_must_match(admin_client_vi):
    # "thai" alone also finds Thái Bình; with "nguyen" only Thái Nguyên is left.
    assert any(p.name == "Tỉnh Thái Bình" for p in listed(admin_client_vi, PROVINCES, "thai"))
    both = listed(admin_client_vi, PROVINCES, "thai nguyen")
    assert {p.name for p in both} == {"Tỉnh Thái Nguyên"}
    assert listed(admin_client_vi, PROVINCES, "thai nguyen xyz") == []


def test_a_quoted_phrase_is_one_word(admin_client_vi):
    assert listed(admin_client_vi, PROVINCES, '"nguyen thai"') == []
    assert len(listed(admin_client_vi, PROVINCES, '"thai nguyen"')) == 2


def test_an_empty_search_lists_everything(admin_client_vi):
    assert len(listed(admin_client_vi, PROVINCES, "")) == Province.objects.count()


def test_scheme_search_hits_the_province_name(admin_client_vi):
    in_thai_nguyen = factories.SchemeFactory.create_batch(2, province=province("19", "63"))
    in_ha_noi = factories.SchemeFactory(province=province("01", "63"))

    assert set(listed(admin_client_vi, SCHEMES, "thai nguyen")) == set(in_thai_nguyen)
    assert set(listed(admin_client_vi, SCHEMES, "THÁI NGUYÊN")) == set(in_thai_nguyen)
    assert listed(admin_client_vi, SCHEMES, "Hà Nội") == [in_ha_noi]
    # Words of the scheme and of its province may be mixed.
    code = in_thai_nguyen[0].code
    assert listed(admin_client_vi, SCHEMES, f"{code.lower()} thai nguyen") == [in_thai_nguyen[0]]


def test_scheme_search_ignores_diacritics_in_the_title(admin_client_vi):
    scheme = factories.SchemeFactory(title="Hỗ trợ mô hình trình diễn kỹ thuật dệt thổ cẩm")
    factories.SchemeFactory()
    assert listed(admin_client_vi, SCHEMES, "det tho cam") == [scheme]


def test_allocation_search_reaches_the_scheme_and_its_province(admin_client_vi, money_chain):
    allocation = money_chain.contract.allocation
    url = reverse("admin:budgets_allocation_changelist")
    assert listed(admin_client_vi, url, "thai nguyen") == [allocation]
    assert listed(admin_client_vi, url, "ha noi") == []


def test_autocomplete_ignores_diacritics_and_keeps_the_34_unit_map(admin_client_vi):
    """The province of a user is chosen with an autocomplete widget: it searches the same way
    and offers only the units of the 34-unit map (the field's limit_choices_to)."""
    response = admin_client_vi.get(
        reverse("admin:autocomplete"),
        {
            "app_label": "accounts",
            "model_name": "user",
            "field_name": "province",
            "term": "thai nguyen",
        },
    )
    assert response.status_code == 200
    ids = [int(row["id"]) for row in response.json()["results"]]
    assert ids == [province("19").pk]
