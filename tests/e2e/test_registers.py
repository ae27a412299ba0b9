"""The registers in the browser: the public catalogue filtered by level, year, group and
province on the 34 map, with no one signed in; and a Thái Nguyên officer adding an industrial
cluster with areas written the Vietnamese way."""

from tests.e2e.conftest import log_in, screenshot


def test_public_catalogue_filters(demo, open_page):
    page = open_page()
    page.goto("/danh-muc-san-pham/")
    page.select_option("#id_level", "national")
    page.fill("#id_year", "2019")
    page.select_option("#id_group", "handicraft")
    page.get_by_role("button", name="Lọc", exact=True).click()
    page.wait_for_load_state("networkidle")
    rows = page.locator("table.registers tbody tr")
    assert rows.count() == 42
    assert "Dòng 1–42 trên 42" in page.locator(".pager-info").inner_text()
    assert "Thủ công mỹ nghệ" in rows.first.inner_text()
    screenshot(page, "registers-catalogue")
    # The same filter, narrowed to one new unit of the 34-province map.
    page.select_option("#id_province", label="Thái Nguyên")
    page.get_by_role("button", name="Lọc", exact=True).click()
    page.wait_for_load_state("networkidle")
    assert rows.count() < 42
    assert page.errors == []


def test_province_adds_a_cluster(demo, open_page):
    page = open_page()
    log_in(page, "tinh-19")
    page.goto("/cum-cong-nghiep/them/")
    page.fill("#id_name", "Cụm công nghiệp Sơn Cẩm 3")
    page.select_option("#id_province", index=1)
    page.fill("#id_commune", "xã Sơn Cẩm")
    page.fill("#id_decision_date", "15/03/2024")
    page.fill("#id_planned_area", "48,5")
    page.fill("#id_leasable_area", "60")
    page.fill("#id_leased_area", "20,25")
    page.fill("#id_investment", "120.000.000.000")
    page.get_by_role("button", name="Lưu", exact=True).click()
    page.wait_for_load_state("networkidle")
    # More land for lease than planned: refused, with the reason, nothing saved.
    assert "không được lớn hơn diện tích quy hoạch" in page.locator("main").inner_text()
    screenshot(page, "registers-cluster-refused")
    page.fill("#id_leasable_area", "36,25")
    page.get_by_role("button", name="Lưu", exact=True).click()
    page.wait_for_load_state("networkidle")
    main = page.locator("main").inner_text()
    assert "Đã lưu cụm công nghiệp “Cụm công nghiệp Sơn Cẩm 3”" in main
    assert "55,86%" in main  # 20,25 / 36,25 ha
    screenshot(page, "registers-cluster-saved")
    # The refused form answered 400 on purpose; nothing else (no CSP or script error).
    assert [error for error in page.errors if "status of 400" not in error] == []
