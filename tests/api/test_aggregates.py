"""aggregates/ serves the dashboard's figures: the same selectors, called as the overview calls
them for the same user (every scheme for ministry staff; a province user's own schemes)."""

import pytest

from dashboard import selectors
from dashboard.selectors import ProgrammeFilter
from projects.models import Fund
from projects.permissions import schemes_visible_to
from provinces.models import Region
from tests.api.conftest import bearer, old
from tests.factories import AllocationFactory, SchemeFactory

URL = "/api/v1/aggregates/"


def _money(rows, key_code="code"):
    return {
        row[key_code]: (int(row["budget"]), int(row["disbursed"]), row["schemes"]) for row in rows
    }


def _api(rows):
    return {row["code"]: (row["budget_vnd"], row["disbursed_vnd"], row["schemes"]) for row in rows}


@pytest.mark.parametrize("map_version", ["63", "34"])
def test_national_figures_equal_the_dashboards(client, world, ministry_key, map_version):
    body = client.get(
        URL, {"year": 2019, "fund": "national", "map": map_version}, **bearer(ministry_key)
    ).json()
    programme = ProgrammeFilter(year=2019, fund=Fund.NATIONAL, province_map=map_version)
    groups = body["groups"]
    assert body["scope"] == "all"
    assert body["map"] == map_version
    assert _api(groups["region"]) == _money(selectors.disbursement_by_region(programme))
    assert _api(groups["province"]) == _money(selectors.disbursement_by_province(programme))
    assert _api(groups["content_area"]) == _money(selectors.budget_by_content_area(programme))
    assert _api(groups["year"]) == {
        str(figures.year): (
            int(figures.summary.budget),
            int(figures.summary.disbursed),
            figures.summary.schemes_approved,
        )
        for figures in selectors.trend_by_year(programme)
    }
    assert groups["year"][0] == {
        "code": "2019",
        "name": "Năm 2019",
        "budget_vnd": 2_500_000_000,
        "disbursed_vnd": 1_300_000_000,
        "disbursed_rate": "52.00",
        "schemes": 3,
    }


def test_provinces_follow_the_map(client, world, ministry_key):
    old_map = client.get(URL, {"year": 2019, "by": "province", "map": "63"}, **bearer(ministry_key))
    codes = {row["code"]: row["budget_vnd"] for row in old_map.json()["groups"]["province"]}
    assert codes == {"01": 1_200_000_000, "06": 500_000_000, "19": 800_000_000}
    new_map = client.get(URL, {"year": 2019, "by": "province", "map": "34"}, **bearer(ministry_key))
    rows = new_map.json()["groups"]["province"]
    assert {row["code"]: row["budget_vnd"] for row in rows} == {
        "01": 1_200_000_000,
        "19": 1_300_000_000,
    }
    assert {row["map"] for row in rows} == {"34"}


def test_a_province_user_gets_its_own_schemes_figures_as_on_its_overview(
    client, world, thai_nguyen, province_key
):
    body = client.get(URL, {"year": 2019, "fund": "national"}, **bearer(province_key)).json()
    assert body["scope"] == "visible"
    programme = ProgrammeFilter(year=2019, fund=Fund.NATIONAL, province_map="63")
    visible = schemes_visible_to(thai_nguyen)
    assert _api(body["groups"]["region"]) == _money(
        selectors.disbursement_by_region(programme, visible)
    )
    assert body["groups"]["year"][0]["budget_vnd"] == 1_300_000_000
    assert {row["code"] for row in body["groups"]["province"]} == {"06", "19"}
    summary = selectors.visible_summary(programme, visible)
    assert body["groups"]["region"] == [
        {
            "code": "north",
            "name": Region.objects.get(code="north").name,
            "budget_vnd": int(summary.budget),
            "disbursed_vnd": int(summary.disbursed),
            "disbursed_rate": "23.08",
            "schemes": 2,
        }
    ]


def test_one_group_with_by(client, world, ministry_key):
    body = client.get(URL, {"year": 2019, "by": "content_area"}, **bearer(ministry_key)).json()
    assert list(body["groups"]) == ["content_area"]
    assert [row["code"] for row in body["groups"]["content_area"]] == ["nd45-1", "nd45-3"]


def test_english_names_with_accept_language(client, world, ministry_key):
    body = client.get(
        URL, {"year": 2019, "by": "region"}, HTTP_ACCEPT_LANGUAGE="en", **bearer(ministry_key)
    ).json()
    assert body["groups"]["region"][0]["name"] == Region.objects.get(code="north").name_en


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"year": 2019, "by": "district"}, "by"),
        ({}, "year"),
        ({"year": 2019, "map": "64"}, "map"),
        ({"year": 2019, "page": "2"}, "params"),
    ],
)
def test_bad_aggregate_parameters_are_400(client, world, ministry_key, params, field):
    response = client.get(URL, params, **bearer(ministry_key))
    assert response.status_code == 400
    assert response.json()["errors"][field]


def test_aggregate_query_count_is_fixed(client, world, ministry_key, django_assert_num_queries):
    # Key (1) + last use (1) + years (1, from the summary table) + regions, provinces, content
    # areas (1 each).
    with django_assert_num_queries(6):
        client.get(URL, {"year": 2019}, **bearer(ministry_key))
    for _ in range(3):
        AllocationFactory(scheme=SchemeFactory(province=old("79")))
    with django_assert_num_queries(6):
        client.get(URL, {"year": 2019}, **bearer(ministry_key))
