"""The whole journey of a scheme in the browser: a Thái Nguyên officer drafts and submits it,
the Sở appraises and registers it, the agency appraises it, the approver approves it in the
admin's approval queue, and the ministry's overview counts it."""

import datetime
import re
from decimal import Decimal

from budgets.models import AnnualPlan
from budgets.services import plan_batch_add
from organisations.models import Organisation
from tests.e2e.conftest import log_in, screenshot

TITLE = "Hỗ trợ ứng dụng máy sấy chè tại xã Tân Cương"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _press(page, label: str) -> None:
    page.get_by_role("button", name=label, exact=True).click()
    page.wait_for_load_state("networkidle")


def test_submit_appraise_approve_and_count(demo, open_page):
    plan = AnnualPlan.objects.create(
        year=2027,
        fund="national",
        managing_unit=Organisation.objects.get(kind=Organisation.Kind.AGENCY),
        title="Kế hoạch khuyến công quốc gia năm 2027",
    )
    plan_batch_add(
        plan=plan,
        number=1,
        decision_number="2719/QĐ-BCT",
        decision_date=datetime.date(2026, 11, 20),
        amount=Decimal(5_000_000_000),
    )

    # 1. The province drafts and submits.
    page = open_page()
    log_in(page, "tinh-19")
    page.goto("/ho-so/tao-moi/")
    page.fill("#id_title", TITLE)
    page.select_option("#id_plan_year", "2027")
    page.select_option("#id_fund", "national")
    page.select_option("#id_kind", "targeted")
    page.locator("[name=content_areas]").first.check()
    page.select_option("#id_sector", index=1)
    page.fill("#id_start_date", "01/03/2027")
    page.fill("#id_end_date", "30/11/2027")
    page.fill("#id_lines-0-item", "Máy sấy chè 200 kg/mẻ")
    page.fill("#id_lines-0-support_amount", "600.000.000")
    page.fill("#id_lines-0-counterpart_amount", "400.000.000")
    _press(page, "Lưu nháp")
    assert re.search(r"/ho-so/\d+/$", page.url), page.url
    dossier = page.url
    page.set_input_files(
        "input[type=file]",
        {"name": "thuyet-minh.pdf", "mimeType": "application/pdf", "buffer": PDF},
    )
    _press(page, "Tải lên")
    _press(page, "Gửi Sở Công Thương")
    assert "Đã gửi Sở Công Thương" in page.locator("main").inner_text()
    _press(page, "Sở thẩm định đạt")
    _press(page, "Đăng ký với Cục")
    screenshot(page, "journey-1-registered")

    # 2. The agency appraises it.
    ministry = open_page()
    log_in(ministry, "bo")
    ministry.goto(dossier)
    _press(ministry, "Cục thẩm định đạt")
    assert "Cục đã thẩm định" in ministry.locator("main").inner_text()

    # 3. The approver approves it in the approval queue, in the 2027 batch.
    approver = open_page()
    log_in(approver, "pheduyet")
    approver.goto("/admin/budgets/schemeawaitingapproval/?q=tan+cuong")
    approver.locator("input.action-select").first.check()
    approver.select_option("select[name=action]", "approve_selected")
    approver.locator("button[name=index], input[name=index]").first.click()
    approver.wait_for_load_state("networkidle")
    assert "5.000.000.000 đồng" in approver.locator("#content").inner_text()  # room left
    batch = approver.locator("#id_batch option", has_text="2719/QĐ-BCT").get_attribute("value")
    approver.select_option("#id_batch", batch)
    screenshot(approver, "journey-2-approval")
    approver.locator("input[type=submit][value='Xác nhận']").click()
    approver.wait_for_load_state("networkidle")
    assert "Phê duyệt: 1 đề án." in approver.locator("body").inner_text()

    # 4. The overview counts it.
    ministry.goto("/?year=2027&fund=national")
    kpis = ministry.locator(".kpis").inner_text()
    assert "0,60 tỷ đồng" in kpis and "1 đề án" in kpis
    screenshot(ministry, "journey-3-overview-2027")
    for each in (page, ministry, approver):
        assert each.errors == []
