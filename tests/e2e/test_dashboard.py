"""The ministry's morning: the 2019 overview, every chart drawn, a click to the rows behind a
bar, the province map switched, and the list exported. Screenshots in test-results/."""

import csv
import io
import re

from tests.e2e.conftest import log_in, screenshot

OVERVIEW_2019 = "/?year=2019&fund=national"


def _charts_drawn(page) -> int:
    charts = page.locator("[data-chart]")
    count = charts.count()
    for index in range(count):
        chart = charts.nth(index)
        chart.locator(".main-svg").first.wait_for(state="visible", timeout=20_000)
        # Drawn means marks on the plot, not an empty frame.
        assert chart.locator("g.trace, g.hm image").count() > 0
    return count


def _click_center(page, locator) -> None:
    """Plotly reports the point under the pointer from its hover state: hover, then click."""
    locator.scroll_into_view_if_needed()
    box = locator.bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.mouse.move(x, y)
    page.wait_for_timeout(300)
    page.mouse.click(x, y)


def test_overview_2019_matches_the_summary_api_and_every_chart_is_drawn(demo, open_page):
    page = open_page(1366, 768)
    log_in(page, "bo")
    page.goto(OVERVIEW_2019)
    api = page.request.get("/api/v1/summary/?year=2019&fund=national").json()
    kpis = page.locator(".kpis").inner_text()
    assert f"{api['schemes_contracted']}/{api['schemes_approved']}" in kpis
    assert "178/179" in kpis and "(99,44%)" in kpis
    assert "135,25 / 140,00 tỷ đồng" in kpis and "(96,61%)" in kpis
    assert str(api["schemes_disbursed"]) in kpis
    assert _charts_drawn(page) >= 7
    assert page.errors == []
    screenshot(page, "overview-2019-1366")
    wide = open_page(1920, 1080)
    log_in(wide, "bo")
    wide.goto(OVERVIEW_2019)
    _charts_drawn(wide)
    screenshot(wide, "overview-2019-1920")


def test_a_kpi_and_a_bar_lead_to_their_rows(demo, open_page):
    page = open_page()
    log_in(page, "bo")
    page.goto(OVERVIEW_2019)
    page.locator(".kpi a", has_text="178").first.click()
    page.wait_for_url(re.compile(r"/de-an/\?.*contracted=1"))
    assert "178" in page.locator("main").inner_text()

    page.goto(OVERVIEW_2019)
    _charts_drawn(page)
    bar = page.locator('[data-chart="chart-content"] .bars .point path').first
    with page.expect_navigation():
        _click_center(page, bar)
    assert re.search(r"/de-an/\?.*content_area=nd45-", page.url)
    screenshot(page, "list-from-content-area-bar")
    # A region's bar drills the overview down to that region.
    page.goto(OVERVIEW_2019)
    _charts_drawn(page)
    with page.expect_navigation():
        _click_center(page, page.locator('[data-chart="chart-regions"] .bars .point path').first)
    assert "region=" in page.url
    assert page.errors == []


def test_the_province_map_switches(demo, open_page):
    page = open_page()
    log_in(page, "bo")
    page.goto(OVERVIEW_2019)
    assert "63 tỉnh" in page.locator(".map-switch .current").inner_text()
    page.locator(".map-switch a").click()
    page.wait_for_url(re.compile(r"map=34"))
    assert "34 tỉnh" in page.locator(".map-switch .current").inner_text()
    _charts_drawn(page)
    tiles = page.locator('[data-chart="chart-map"]').inner_text()
    assert "Thái Nguyên" in tiles and "Bắc Kạn" not in tiles
    screenshot(page, "overview-2019-map-34")


def test_the_filtered_list_exports_exactly_its_rows(demo, open_page):
    page = open_page()
    log_in(page, "bo")
    page.goto("/de-an/?year=2019&fund=national&contracted=1")
    screenshot(page, "list-2019-contracted")
    with page.expect_download() as download:
        page.get_by_text("Xuất CSV").click()
    text = download.value.path().read_text(encoding="utf-8-sig")
    rows = [row for row in csv.reader(io.StringIO(text)) if row and row[0].startswith("KCQG-")]
    assert len(rows) == 178
    assert "Bản đồ tỉnh" in text
