"""Forecast and consistency in the browser: the overview's panels, the forecast page with every
chart drawn, a failing count leading to its rows, and a province user seeing only its own.
Screenshots in test-results/."""

import re

from tests.e2e.conftest import log_in, screenshot

FORECAST = "/giam-sat/du-bao/?year=2019&fund=national&as_of=30/09/2019"


def _drawn(page, selector: str) -> None:
    chart = page.locator(selector)
    chart.locator(".main-svg").first.wait_for(state="visible", timeout=20_000)
    assert chart.locator("g.trace").count() > 0


def test_forecast_and_consistency_in_the_browser(demo, open_page):
    page = open_page(1366, 768)
    log_in(page, "bo")
    page.goto("/?year=2019&fund=national&as_of=30/09/2019")
    panel = page.locator("#du-bao")
    assert "Dự báo giải ngân đến 31/12/2019" in panel.inner_text()
    _drawn(page, '[data-chart="chart-forecast"]')
    assert re.search(r"\d+,\d\d%", panel.inner_text())
    panel.scroll_into_view_if_needed()
    screenshot(page, "overview-forecast-panel")

    page.goto(FORECAST)
    for name in ("chart-curve", "chart-regions", "chart-provinces"):
        _drawn(page, f'[data-chart="{name}"]')
    assert "Phương pháp" in page.locator("main").inner_text()
    assert page.locator("table.risk tbody tr").count() > 0
    screenshot(page, "forecast-2019-09-30")
    risk = page.locator("article", has=page.locator("table.risk"))
    risk.scroll_into_view_if_needed()
    screenshot(page, "forecast-at-risk-export-links")
    with page.expect_download() as download:
        risk.get_by_role("link", name="Xuất Excel").click()
    assert download.value.suggested_filename == "du-bao-de-an-nguy-co-2019.xlsx"

    page.goto("/giam-sat/nhat-quan/?year=2019&fund=national")
    assert "Chỉ số chất lượng dữ liệu" in page.locator("main").inner_text()
    assert "Báo cáo tiến độ" in page.locator("main").inner_text()
    screenshot(page, "consistency-2019")
    page.goto("/giam-sat/nhat-quan/?year=2019&fund=national&check=past_end")
    rows = page.locator("#loi")
    assert "Quá hạn chưa nghiệm thu" in rows.inner_text()
    assert rows.locator("tbody tr").count() > 0 or "Không có dòng nào" in rows.inner_text()
    screenshot(page, "consistency-rows")
    assert page.errors == []

    province = open_page(1366, 768)
    log_in(province, "tinh-19")
    province.goto(FORECAST)
    _drawn(province, '[data-chart="chart-provinces"]')
    rows = province.locator("table.data:not(.risk) tbody tr td:first-child").all_inner_texts()
    assert rows and all("Thái Nguyên" in row or "Bắc Kạn" in row or ". " in row for row in rows)
    assert "Hà Nội" not in province.locator("main").inner_text()
    screenshot(province, "forecast-province-19")
    assert province.errors == []
