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


def _events_workbook(*rows) -> bytes:
    import io

    from openpyxl import Workbook

    from registers.imports import event_columns

    book = Workbook()
    sheet = book.active
    sheet.append([col.header for col in event_columns()])
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _upload(page, content: bytes) -> None:
    page.set_input_files(
        "input[type=file]",
        {
            "name": "hoi-cho-2026.xlsx",
            "mimeType": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "buffer": content,
        },
    )
    page.get_by_role("button", name="Tải lên và kiểm tra").click()
    page.wait_for_load_state("networkidle")


def test_province_imports_its_fairs_from_excel(demo, open_page):
    # Loại, tên, bắt đầu, kết thúc, địa điểm, quốc gia, tỉnh đăng cai, khu vực, đơn vị tổ chức,
    # mã đề án, năm kế hoạch, số gian hàng, nội dung.
    fair = ["Hội chợ khu vực", "Hội chợ CNNT tiêu biểu Thái Nguyên 2026 ", "09/07/2026"]
    fair += ["13/07/2026", "Quảng trường Võ Nguyên Giáp", "", "thai nguyen", "Miền Bắc"]
    fair += ["Sở Công Thương tỉnh Thái Nguyên", "", "", 120, ""]
    conference = ["Hội nghị", "Hội nghị khuyến công Bắc Kạn 2026", "20/08/2026", "19/08/2026"]
    conference += ["Bắc Kạn", "", "Tỉnh Bắc Kạn", "", "", "", "", "", ""]
    hanoi = ["Hội chợ quốc gia", "Hội chợ Hà Nội 2026", "01/10/2026", "05/10/2026", "Hà Nội"]
    hanoi += ["", "Ha Noi", "", "", "", "", 300, ""]
    page = open_page()
    log_in(page, "tinh-19")
    page.goto("/hoi-cho-hoi-nghi/")
    page.get_by_role("link", name="Nhập từ Excel").click()
    page.wait_for_load_state("networkidle")
    assert page.url.endswith("/hoi-cho-hoi-nghi/nhap/")
    # A wrong file: every problem, by row and column, and nothing to confirm.
    _upload(page, _events_workbook(fair, conference, hanoi))
    main = page.locator("main").inner_text()
    assert "2 lỗi: chưa ghi dòng nào" in main
    assert "Dòng 3, cột 'Ngày kết thúc': 19/08/2026 trước ngày bắt đầu 20/08/2026" in main
    assert "Dòng 4, cột 'Tỉnh đăng cai': Thành phố Hà Nội không phải tỉnh của bạn" in main
    assert page.get_by_role("button", name="Xác nhận nhập").count() == 0
    screenshot(page, "registers-events-import-problems")
    # Corrected: a preview of what will be written, then the confirmation.
    conference[3] = "21/08/2026"
    _upload(page, _events_workbook(fair, conference))
    main = page.locator("main").inner_text()
    assert "Hội chợ CNNT tiêu biểu Thái Nguyên 2026 (Hội chợ khu vực, 09/07/2026)" in main
    assert main.count("thêm mới") == 2
    screenshot(page, "registers-events-import-preview")
    page.get_by_role("button", name="Xác nhận nhập").click()
    page.wait_for_load_state("networkidle")
    assert page.url.split("?")[0].endswith("/hoi-cho-hoi-nghi/")
    main = page.locator("main").inner_text()
    assert "Đã nhập: 2 dòng mới, 0 dòng cập nhật, 0 dòng không đổi." in main
    page.goto("/hoi-cho-hoi-nghi/?year=2026")
    assert "Hội nghị khuyến công Bắc Kạn 2026" in page.locator("main").inner_text()
    screenshot(page, "registers-events-imported")
    assert page.errors == []
