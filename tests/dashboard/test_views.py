"""The overview and province pages: figures equal programme_summary, links carry the scheme
list's parameters, a province user sees only its province, and the query count is fixed."""

import re
from html.parser import HTMLParser
from urllib.parse import parse_qs, urlsplit

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dashboard.selectors import ProgrammeFilter, programme_summary
from projects.models import Fund
from tests.dashboard.conftest import TY, make_scheme, old
from tests.factories import ContractFactory, DisbursementFactory

OVERVIEW_2019 = "/?year=2019&fund=national"


class Links(HTMLParser):
    """The href and text of every link inside the KPI cards."""

    def __init__(self):
        super().__init__()
        self.depth = 0
        self.links: list[tuple[str, str]] = []
        self._href = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "section" and attrs.get("class") == "kpis":
            self.depth = 1
        elif self.depth and tag == "section":
            self.depth += 1
        if self.depth and tag == "a":
            self._href = attrs["href"]
            self.links.append((self._href, ""))

    def handle_endtag(self, tag):
        if self.depth and tag == "section":
            self.depth -= 1
        if tag == "a":
            self._href = None

    def handle_data(self, data):
        if self._href is not None and self.links:
            href, text = self.links[-1]
            self.links[-1] = (href, text + data)


def kpi_links(html: str) -> list[tuple[str, dict]]:
    parser = Links()
    parser.feed(html)
    result = []
    for href, text in parser.links:
        parts = urlsplit(href)
        assert parts.path == "/de-an/"
        result.append((text.strip(), {k: v[0] for k, v in parse_qs(parts.query).items()}))
    return result


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", html))


def test_anonymous_visitors_are_sent_to_sign_in(client):
    for url in ("/", "/tinh/34/19/"):
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith("/dang-nhap/")


def test_kpis_are_programme_summary(client, ministry_user, programme):
    client.force_login(ministry_user)
    response = client.get(OVERVIEW_2019)
    summary = programme_summary(ProgrammeFilter(year=2019, fund=Fund.NATIONAL))
    assert response.context["kpis"]["summary"] == summary
    page = text_of(response.text)
    assert "5,00 tỷ đồng" in page
    assert "4 đề án" in page
    assert "3/4 (75,00%)" in page
    assert "2,60 / 5,00 tỷ đồng (52,00%)" in page
    assert "2/3 (66,67%)" in page  # behind schedule: A and C of the 3 contracted


def test_default_year_and_fund(client, ministry_user, programme):
    client.force_login(ministry_user)
    response = client.get("/")
    programme_shown = response.context["programme"]
    # No allocation in the current year: the latest year that has one.
    assert programme_shown.year == 2019
    assert programme_shown.fund == Fund.NATIONAL
    assert programme_shown.province_map == "63"  # in force on 31/12/2019
    assert not response.context["filters"]["map_chosen"]
    assert "63 tỉnh, thành (trước 01/07/2025)" in response.text
    switch = response.context["map"]["switch_url"]
    assert parse_qs(urlsplit(switch).query)["map"] == ["34"]


def test_kpi_links_carry_the_scheme_list_parameters(client, ministry_user, programme):
    client.force_login(ministry_user)
    html = client.get(
        "/?year=2019&fund=national&region=north&content_area=nd45-3&province=19&map=63"
    ).text
    links = kpi_links(html)
    base = {
        "year": "2019",
        "fund": "national",
        "region": "north",
        "content_area": "nd45-3",
        "province": "19",
        "map": "63",
    }
    assert all({**params, **base} == params for _text, params in links)
    extras = {frozenset(set(params) - set(base)) for _text, params in links}
    assert extras == {
        frozenset(),
        frozenset({"contracted"}),
        frozenset({"disbursed"}),
        frozenset({"behind"}),
    }
    by_text = {}
    for text, params in links:
        by_text.setdefault(text, []).append(params)
    assert by_text["1,00 tỷ đồng"] == [base]  # A only: north, nd45-3, old province 19
    assert {"contracted": "1"}.items() <= by_text["1"][0].items()  # 1 contracted
    for _text, params in links:
        if "disbursed" in params:
            assert params["disbursed"] == "1"
        if "behind" in params:
            assert params["behind"] == "1"


def test_both_funds_link_with_fund_all(client, ministry_user, programme):
    client.force_login(ministry_user)
    links = kpi_links(client.get("/?year=2019&fund=all").text)
    assert {params["fund"] for _text, params in links} == {"all"}
    assert "region" not in links[0][1] and "province" not in links[0][1]


def test_chart_links(client, ministry_user, programme):
    client.force_login(ministry_user)
    figures = client.get(OVERVIEW_2019).context["charts"]

    def params(url):
        return {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}

    funnel = figures["funnel"]["data"][0]
    assert list(funnel["x"]) == [4, 3, 2, 2, 1]
    assert [params(url)["stage"] for url in funnel["customdata"]] == [
        "approved",
        "contracted",
        "disbursed",
        "accepted",
        "settled",
    ]
    monthly = figures["monthly"]["data"][-1]
    assert monthly["name"] == "2019"
    assert params(monthly["customdata"][3]) == {
        "year": "2019",
        "fund": "national",
        "paid_month": "2019-03",
    }
    earlier = figures["monthly"]["data"][0]
    assert params(earlier["customdata"][5])["paid_month"] == "2018-05"
    content = figures["content"]["data"][0]
    assert {params(url)["content_area"] for url in content["customdata"]} == {
        "nd45-1",
        "nd45-3",
        "nd45-5",
    }
    sectors = figures["sectors"]["data"][0]
    assert {params(url)["sector"] for url in sectors["customdata"]} == {"a", "dd", "d"}
    provinces = figures["provinces"]["data"][0]
    assert "/tinh/63/06/?year=2019&fund=national" in provinces["customdata"]
    regions = figures["regions"]["data"][0]
    assert {params(url)["region"] for url in regions["customdata"]} == {"north", "south"}
    trend = figures["trend"]["data"][0]
    assert [params(url)["year"] for url in trend["customdata"]] == ["2018", "2019"]
    tiles = figures["map"]["data"][0]["customdata"]
    assert "/tinh/63/79/?year=2019&fund=national" in {url for row in tiles for url in row}


def test_the_34_map_groups_old_provinces(client, ministry_user, programme):
    client.force_login(ministry_user)
    response = client.get(OVERVIEW_2019 + "&map=34")
    provinces = response.context["charts"]["provinces"]["data"][0]
    # Highest rate first: Thái Nguyên 2,6/3,0; then Hồ Chí Minh and Hà Nội at 0% (by name).
    assert list(provinces["x"]) == ["Thái Nguyên", "Hà Nội", "Hồ Chí Minh"]
    assert any("2,60 / 3,00 tỷ đồng" in text for text in provinces["hovertext"])
    assert response.context["map"]["current"] == "34"
    assert response.context["filters"]["map_chosen"]


def test_records_of_the_new_map_on_the_old_map_are_labelled(client, ministry_user, db):
    from tests.dashboard.conftest import new

    make_scheme(province=old("19"), budget=1 * TY, year=2025, code="old-unit")
    make_scheme(province=new("19"), budget=2 * TY, year=2025, code="new-unit")
    client.force_login(ministry_user)
    response = client.get("/?year=2025&fund=national&map=63")
    labels = list(response.context["charts"]["provinces"]["data"][0]["x"])
    assert "Thái Nguyên (đơn vị mới)" in labels
    assert "Thái Nguyên" in labels
    assert response.context["merged_new_units"]
    assert "không tách được về các tỉnh cũ" in response.text


def test_invalid_parameters_are_reported_not_fatal(client, ministry_user, programme):
    client.force_login(ministry_user)
    response = client.get("/?year=2019&fund=national&region=west&province=19")
    assert response.status_code == 200
    assert response.context["programme"].region is None
    assert response.context["errors"]


def test_behind_table_links_to_scheme_pages(client, ministry_user, programme):
    client.force_login(ministry_user)
    html = client.get(OVERVIEW_2019).text
    assert f'href="/de-an/{programme["C"].pk}/"' in html
    assert f'href="/de-an/{programme["A"].pk}/"' in html
    assert html.index(f"/de-an/{programme['C'].pk}/") < html.index(f"/de-an/{programme['A'].pk}/")


# Province users ---------------------------------------------------------------------------


def test_a_province_user_sees_only_its_province(client, thai_nguyen_user, programme):
    client.force_login(thai_nguyen_user)
    response = client.get(OVERVIEW_2019)
    summary = response.context["kpis"]["summary"]
    assert summary.budget == 3 * TY  # A and B, not C (HCM) nor D (Hà Nội)
    assert summary.schemes_approved == 2
    page = text_of(response.text)
    assert "3,00 tỷ đồng" in page and "5,00 tỷ đồng" not in page
    figures = response.context["charts"]
    assert set(figures["provinces"]["data"][0]["x"]) == {"Thái Nguyên", "Bắc Kạn"}
    assert list(figures["regions"]["data"][0]["y"]) == ["Miền Bắc"]
    trend = figures["trend"]["data"][0]
    assert list(trend["y"]) == [1.0, 3.0]  # 2018: G (old 19); 2019: A and B
    assert [row["scheme"].code for row in response.context["behind"]] == ["A"]


def test_a_province_user_gets_404_on_another_province(client, thai_nguyen_user, programme):
    client.force_login(thai_nguyen_user)
    assert client.get("/tinh/34/19/").status_code == 200
    assert client.get("/tinh/63/06/").status_code == 200  # Bắc Kạn, merged into Thái Nguyên
    assert client.get("/tinh/34/01/").status_code == 404
    assert client.get("/tinh/63/79/").status_code == 404
    assert client.get("/tinh/99/19/").status_code == 404


# The province page --------------------------------------------------------------------------


def test_province_page_on_the_new_map(client, ministry_user, programme):
    client.force_login(ministry_user)
    response = client.get("/tinh/34/19/?year=2019&fund=national")
    assert response.status_code == 200
    kpis = response.context["kpis"]
    assert kpis["summary"].budget == 3 * TY
    assert kpis["summary"].disbursed == TY * 26 / 10
    assert [unit.code for unit in response.context["merged"]] == ["06", "19"]
    assert "Tỉnh Bắc Kạn" in response.text
    list_url = response.context["list_url"]
    assert parse_qs(urlsplit(list_url).query) == {
        "year": ["2019"],
        "fund": ["national"],
        "province": ["19"],
        "map": ["34"],
    }
    assert f'href="{list_url.replace("&", "&amp;")}"' in response.text
    assert all(params["province"] == "19" for _text, params in kpi_links(response.text))


def test_province_page_on_the_old_map(client, ministry_user, programme):
    client.force_login(ministry_user)
    response = client.get("/tinh/63/06/?year=2019")
    assert response.context["kpis"]["summary"].budget == 2 * TY
    assert response.context["merged"] == []
    assert response.context["successor_url"].startswith("/tinh/34/19/")
    behind = response.context["behind"]
    assert behind == []


# Query counts -------------------------------------------------------------------------------


def _add_schemes(count: int, offset: int) -> None:
    provinces = ["01", "19", "79", "06", "96", "46"]
    for index in range(count):
        allocation = make_scheme(
            province=old(provinces[index % len(provinces)]),
            budget=TY,
            areas=("nd45-1", "nd45-3") if index % 2 else ("nd45-7",),
            sector=["a", "b", "dd"][index % 3],
            code=f"Q{offset + index}",
        )
        contract = ContractFactory(allocation=allocation)
        DisbursementFactory(contract=contract)


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize(
    "url", [OVERVIEW_2019, "/?year=2019&fund=all&map=34&region=north&content_area=nd45-1"]
)
def test_overview_query_count_is_fixed(client, ministry_user, programme, url):
    client.force_login(ministry_user)
    _add_schemes(6, 0)
    client.get(url)
    first = _queries(client, url)
    _add_schemes(12, 100)
    assert _queries(client, url) == first
    assert first <= 23  # + the contracts' schedules read by the forecast


def test_overview_query_count_for_a_province_user(client, thai_nguyen_user, programme):
    client.force_login(thai_nguyen_user)
    _add_schemes(6, 0)
    first = _queries(client, OVERVIEW_2019)
    _add_schemes(12, 100)
    assert _queries(client, OVERVIEW_2019) == first


def test_province_page_query_count_is_fixed(client, ministry_user, programme):
    client.force_login(ministry_user)
    _add_schemes(6, 0)
    url = "/tinh/34/19/?year=2019"
    first = _queries(client, url)
    _add_schemes(12, 100)
    assert _queries(client, url) == first
    assert first <= 23  # + the forecast's schedules and the registers' section (6)


def test_a_year_still_running_is_measured_today(client, ministry_user, programme, monkeypatch):
    import datetime

    from dashboard import views

    monkeypatch.setattr(views, "_today", lambda: datetime.date(2019, 6, 30))
    client.force_login(ministry_user)
    response = client.get("/")  # the current year, 2019, has allocations: it is the default
    assert response.context["programme"].year == 2019
    # On 30/06 only C is behind (A and B have paid more than a linear schedule asks).
    assert [row["scheme"].code for row in response.context["behind"]] == ["C"]
    assert response.context["kpis"]["schedule"].behind == 1
    assert "Số liệu tính đến 30/06/2019" in response.text
    curve = response.context["charts"]["monthly"]["data"][-1]
    assert list(curve["x"]) == list(range(7))  # to the end of June, no flat future


def test_an_empty_programme_renders_with_no_rates(client, ministry_user, db):
    client.force_login(ministry_user)
    response = client.get("/?year=2030&fund=local")
    assert response.status_code == 200
    page = text_of(response.text)
    assert "0,00 tỷ đồng" in page
    assert "0/0 (—)" in page  # no denominator: no rate, said so
    assert response.context["behind"] == []
    assert "Không có đề án nào chậm tiến độ." in page


def test_a_chosen_cutoff_is_carried_to_the_scheme_list(client, ministry_user, programme):
    client.force_login(ministry_user)
    response = client.get("/?year=2019&fund=national&as_of=30/06/2019")
    assert response.context["kpis"]["summary"].disbursed == TY * 28 / 10
    assert {params["as_of"] for _text, params in kpi_links(response.text)} == {"30/06/2019"}
    assert "as_of" not in kpi_links(client.get(OVERVIEW_2019).text)[0][1]


def test_longest_waits_are_on_the_overview(client, ministry_user):
    from projects.models import Scheme
    from tests.factories import SchemeFactory

    waiting = SchemeFactory(status=Scheme.Status.APPRAISED, code="CHO-DUYET-1")
    client.force_login(ministry_user)
    page = client.get("/?year=2019").text
    assert "Hồ sơ chờ xử lý lâu nhất" in page
    assert waiting.code in page
    assert "Lãnh đạo phê duyệt" in page  # whom it waits for
