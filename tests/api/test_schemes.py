from decimal import Decimal

import pytest

from projects.models import Scheme
from tests.api.conftest import bearer, old
from tests.factories import AllocationFactory, DisbursementFactory, SchemeFactory

URL = "/api/v1/schemes/"


def _codes(body) -> list[str]:
    return [row["code"] for row in body["results"]]


def test_each_scheme_with_money_as_integers_and_rate_as_string(client, world, ministry_key):
    body = client.get(URL, {"year": 2019}, **bearer(ministry_key)).json()
    assert body["count"] == 3
    assert _codes(body) == ["KCQG-2019-001", "KCQG-2019-002", "KCQG-2019-003"]
    first = body["results"][0]
    assert first["year"] == 2019
    assert first["title"] == "Hỗ trợ máy sấy chè Thái Nguyên"
    assert first["province"] == {
        "name": old("19").name,
        "map": "63",
        "code_63": "19",
        "code_34": "19",
    }
    assert first["content_areas"] == ["nd45-3"]
    assert first["kind"] == Scheme.Kind.TARGETED
    assert first["status"] == Scheme.Status.APPROVED
    assert (first["approved_vnd"], first["contracted_vnd"], first["disbursed_vnd"]) == (
        800_000_000,
        800_000_000,
        300_000_000,
    )
    assert first["disbursed_rate"] == "37.50"
    assert first["url"].endswith("/api/v1/schemes/KCQG-2019-001/2019/")
    # Bắc Kạn (06) merged into Thái Nguyên (19) on the new map.
    assert body["results"][1]["province"]["code_63"] == "06"
    assert body["results"][1]["province"]["code_34"] == "19"
    assert body["totals"] == {
        "approved_vnd": 2_500_000_000,
        "contracted_vnd": 2_500_000_000,
        "disbursed_vnd": 1_300_000_000,
        "disbursed_rate": "52.00",
    }


@pytest.mark.parametrize(
    ("params", "codes"),
    [
        ({"q": "may say che"}, ["KCQG-2019-001"]),  # no diacritics
        ({"q": "BÁT TRÀNG"}, ["KCQG-2019-003"]),
        ({"province": "19", "map": "34"}, ["KCQG-2019-001", "KCQG-2019-002"]),
        ({"province": "19", "map": "63"}, ["KCQG-2019-001"]),
        ({"region": "north"}, ["KCQG-2019-001", "KCQG-2019-002", "KCQG-2019-003"]),
        ({"region": "south"}, []),
        ({"content_area": "nd45-1"}, ["KCQG-2019-002"]),
        ({"disbursed": "1"}, ["KCQG-2019-001", "KCQG-2019-003"]),
        ({"disbursed": "0"}, ["KCQG-2019-002"]),
        ({"status": ["approved", "settled"]}, ["KCQG-2019-001", "KCQG-2019-002", "KCQG-2019-003"]),
        ({"status": "settled"}, []),
        ({"fund": "local"}, []),
        ({"sector": "a"}, ["KCQG-2019-001", "KCQG-2019-002", "KCQG-2019-003"]),
    ],
)
def test_the_list_pages_filters(client, world, ministry_key, params, codes):
    response = client.get(URL, {"year": 2019, **params}, **bearer(ministry_key))
    assert response.status_code == 200, response.json()
    assert _codes(response.json()) == codes


def test_a_province_key_lists_only_its_province(client, world, province_key):
    body = client.get(URL, {"year": 2019}, **bearer(province_key)).json()
    assert _codes(body) == ["KCQG-2019-001", "KCQG-2019-002"]
    assert body["totals"]["approved_vnd"] == 1_300_000_000
    # Asking for another province gives an empty list, not its schemes.
    other = client.get(URL, {"year": 2019, "province": "01", "map": "34"}, **bearer(province_key))
    assert other.json()["count"] == 0


def test_pagination_edges(client, world, ministry_key):
    first = client.get(URL, {"year": 2019, "page_size": 2}, **bearer(ministry_key)).json()
    assert (first["count"], first["page"], first["pages"]) == (3, 1, 2)
    assert first["previous"] is None
    assert first["next"].startswith("http://testserver/api/v1/schemes/?")
    assert "page=2" in first["next"] and "page_size=2" in first["next"]
    second = client.get(first["next"], **bearer(ministry_key)).json()
    assert _codes(second) == ["KCQG-2019-003"]
    assert second["next"] is None
    assert "page=1" in second["previous"]
    # Exactly full pages: no empty page after the last one.
    exact = client.get(URL, {"year": 2019, "page_size": 3}, **bearer(ministry_key)).json()
    assert (exact["pages"], exact["next"]) == (1, None)
    beyond = client.get(URL, {"year": 2019, "page_size": 3, "page": 2}, **bearer(ministry_key))
    assert beyond.status_code == 404
    assert "2" in beyond.json()["error"]
    biggest = client.get(URL, {"year": 2019, "page_size": 200}, **bearer(ministry_key))
    assert biggest.status_code == 200
    # An empty list is a first page.
    empty = client.get(URL, {"year": 2030}, **bearer(ministry_key)).json()
    assert (empty["count"], empty["pages"], empty["results"]) == (0, 1, [])


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"page_size": "201"}, "page_size"),
        ({"page_size": "0"}, "page_size"),
        ({"page": "0"}, "page"),
        ({"page": "two"}, "page"),
        ({"status": "lost"}, "status"),
        ({"province": "19"}, "map"),
        ({"year": "1990"}, "year"),
        ({"paid_month": "2019-13"}, "paid_month"),
        ({"sort": "code"}, "params"),
    ],
)
def test_bad_list_parameters_are_400_naming_the_parameter(
    client, world, ministry_key, params, field
):
    response = client.get(URL, {"year": 2019, **params}, **bearer(ministry_key))
    assert response.status_code == 400
    body = response.json()
    assert body["error"]
    assert body["errors"][field][0], body


def test_the_list_query_count_does_not_grow_with_the_data(
    client, world, ministry_key, django_assert_num_queries
):
    client.get(URL, {"year": 2019}, **bearer(ministry_key))
    # Key (1) + last use (1) + totals (1) + page (1) + content areas (1).
    with django_assert_num_queries(5):
        client.get(URL, {"year": 2019}, **bearer(ministry_key))
    for _ in range(4):
        AllocationFactory(scheme=SchemeFactory(province=old("01")))
    with django_assert_num_queries(5):
        assert client.get(URL, {"year": 2019}, **bearer(ministry_key)).json()["count"] == 7


DETAIL = "/api/v1/schemes/KCQG-2019-001/2019/"


def test_the_detail_has_facts_money_chain_and_history(client, world, province_key):
    body = client.get(DETAIL, **bearer(province_key)).json()
    assert body["code"] == "KCQG-2019-001"
    assert body["content_areas"][0]["code"] == "nd45-3"
    assert body["money"]["approved_vnd"] == 800_000_000
    assert body["money"]["advances_vnd"] == 300_000_000
    assert body["money"]["remaining_vnd"] == 500_000_000
    assert body["money"]["disbursed_rate"] == "37.50"
    assert isinstance(body["status_history"], list)
    # Figures, not people: no beneficiary, no user named.
    assert "beneficiaries" not in body


def test_another_provinces_scheme_is_404(client, world, province_key):
    response = client.get("/api/v1/schemes/KCQG-2019-003/2019/", **bearer(province_key))
    assert response.status_code == 404
    assert "KCQG-2019-003" in response.json()["error"]
    assert (
        client.get("/api/v1/schemes/KCQG-2019-001/2018/", **bearer(province_key)).status_code == 404
    )


def test_the_detail_query_count_is_fixed(client, world, ministry_key, django_assert_num_queries):
    # Key (1) + last use (1) + visible (1) + scheme and its prefetches (8, progress reports
    # included) + ledger (1) + status steps (1, and the history when there are none: 1).
    with django_assert_num_queries(14):
        assert client.get(DETAIL, **bearer(ministry_key)).status_code == 200
    contract = world["tn"].allocations.get().contracts.get()
    DisbursementFactory.create_batch(3, contract=contract, amount=Decimal(10_000_000))
    with django_assert_num_queries(14):
        assert client.get(DETAIL, **bearer(ministry_key)).status_code == 200
