"""The public open-data page: the same figures as the dashboard's selectors and the API, and
downloads that read back to exactly the rows the page shows."""

import csv
import io
import json

import pytest

from core.money import format_number
from dashboard import selectors
from dashboard.selectors import ProgrammeFilter
from projects.models import Fund
from provinces.models import Region
from tests.api.conftest import bearer, old
from tests.factories import AllocationFactory, SchemeFactory

PAGE = "/du-lieu-mo/"
QUERY = {"year": 2019, "fund": "national", "map": "34"}


def _csv(response) -> list[list[str]]:
    raw = response.content
    assert raw.startswith("\ufeff".encode())
    return list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))


def test_the_page_is_public_and_shows_every_group(client, world):
    response = client.get(PAGE, QUERY)
    assert response.status_code == 200
    page = response.text
    for heading in ("Theo năm", "Theo vùng", "Theo tỉnh, thành phố", "Theo nội dung khuyến công"):
        assert heading in page
    # Vietnamese formats: 2.500.000.000 đồng approved in 2019, 52,00% disbursed.
    assert "2.500.000.000" in page
    assert "52,00%" in page
    # Figures only: no scheme, no beneficiary, no person.
    assert "KCQG-2019-001" not in page
    assert "máy sấy chè" not in page


def test_page_csv_json_api_and_dashboard_agree(client, world, ministry_key):
    body = client.get(PAGE + "tai-ve.json", QUERY).json()
    api = client.get("/api/v1/aggregates/", QUERY, **bearer(ministry_key)).json()
    assert body == api
    programme = ProgrammeFilter(year=2019, fund=Fund.NATIONAL, province_map="34")
    provinces = {
        row["code"]: (int(row["budget"]), int(row["disbursed"]), row["schemes"])
        for row in selectors.disbursement_by_province(programme)
    }
    assert {
        row["code"]: (row["budget_vnd"], row["disbursed_vnd"], row["schemes"])
        for row in body["groups"]["province"]
    } == provinces
    summary = selectors.programme_summary(ProgrammeFilter(year=2019, fund=Fund.NATIONAL))
    year = body["groups"]["year"][0]
    assert (year["budget_vnd"], year["disbursed_vnd"]) == (summary.budget, summary.disbursed)

    rows = _csv(client.get(PAGE + "tai-ve.csv", QUERY))
    header, data = rows[0], rows[1:]
    assert header[:3] == ["Nhóm", "Mã", "Tên"]
    json_rows = [row for group in body["groups"].values() for row in group]
    assert len(data) == len(json_rows)
    for line, row in zip(data, json_rows, strict=True):
        assert line[1:3] == [row["code"], row["name"]]
        assert [int(line[4]), int(line[5]), int(line[7])] == [
            row["budget_vnd"],
            row["disbursed_vnd"],
            row["schemes"],
        ]
        assert line[6] == (row["disbursed_rate"] or "")
    # And the page shows each of those rows.
    page = client.get(PAGE, QUERY).text
    for group, group_rows in body["groups"].items():
        for row in group_rows:
            assert (row["code"] if group == "year" else row["name"]) in page
            assert format_number(row["budget_vnd"]) in page
            assert format_number(row["disbursed_vnd"]) in page


def test_the_map_switch(client, world):
    old_map = client.get(PAGE + "tai-ve.json", {**QUERY, "map": "63"}).json()
    assert {row["code"] for row in old_map["groups"]["province"]} == {"01", "06", "19"}
    page = client.get(PAGE, {**QUERY, "map": "63"}).text
    assert "map=34" in page  # the link to the other map
    new_map = client.get(PAGE + "tai-ve.json", QUERY).json()
    assert {row["code"] for row in new_map["groups"]["province"]} == {"01", "19"}


def test_csv_neutralises_formulas(client, world):
    Region.objects.filter(code="north").update(name='=HYPERLINK("http://x")')
    rows = _csv(client.get(PAGE + "tai-ve.csv", QUERY))
    names = [line[2] for line in rows if line[1] == "north"]
    assert names == ['\'=HYPERLINK("http://x")']


def test_downloads_are_named_for_their_query(client, world):
    response = client.get(PAGE + "tai-ve.csv", QUERY)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="khuyen-cong-2019-national-ban-do-34.csv"' in response["Content-Disposition"]
    assert json.loads(client.get(PAGE + "tai-ve.json", QUERY).content)["map"] == "34"


@pytest.mark.parametrize("suffix", ["", "tai-ve.csv", "tai-ve.json"])
def test_bad_parameters_are_400(client, world, suffix):
    assert client.get(PAGE + suffix, {"year": "abc"}).status_code == 400


def test_defaults_to_the_latest_year_with_figures(client, world):
    page = client.get(PAGE).text
    assert "Số liệu tổng hợp năm 2019" in page


def test_open_data_query_count_is_fixed(client, world, django_assert_num_queries):
    # Years (1 for the default, 1 for the list) + years' figures (1) + 3 groups (1 each).
    with django_assert_num_queries(6):
        client.get(PAGE)
    for _ in range(3):
        AllocationFactory(scheme=SchemeFactory(province=old("79")))
    with django_assert_num_queries(6):
        client.get(PAGE)
