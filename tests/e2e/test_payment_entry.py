"""The agency's finance officer records a payment from the scheme page: the remaining figure
follows the amount as it is typed (the page's own script, under the strict CSP), and the saved
entry updates the ledger."""

import datetime
import os
import tempfile
from decimal import Decimal
from pathlib import Path

from django.core.management import call_command

from accounts.models import Role
from budgets.services import disbursement_record
from provinces.models import Province
from tests.e2e.conftest import DEMO_PASSWORD, log_in, screenshot
from tests.factories import ContractFactory, SchemeFactory, UserFactory

# Besides test-results/, where a person reviewing the run looks at them.
SHOTS = Path(os.environ.get("KC_SCREENSHOT_DIR", tempfile.gettempdir()))


def _preview(page) -> str:
    return page.locator("#entry-preview").inner_text()


def test_record_a_payment_and_watch_what_remains(transactional_db, open_page):
    call_command("load_reference", verbosity=0)
    officer = UserFactory(
        role=Role.MINISTRY, username="ketoan-cuc", last_name="Trần Thị", first_name="Lan"
    )
    officer.set_password(DEMO_PASSWORD)
    officer.save()
    scheme = SchemeFactory(
        code="KCQG-2019-042",
        title="Hỗ trợ ứng dụng máy sấy miến dong",
        province=Province.objects.get(code="06", map_version="63"),
    )
    contract = ContractFactory(
        allocation__scheme=scheme,
        allocation__amount=Decimal(1_000_000_000),
        value=Decimal(1_000_000_000),
        number="42/2019/HĐ-KCQG",
        signed_on=datetime.date(2019, 3, 15),
    )
    disbursement_record(
        contract=contract,
        kind="advance",
        amount=Decimal(600_000_000),
        paid_on=datetime.date(2019, 4, 2),
        voucher_number="UNC-0001",
        by=officer,
    )

    page = open_page(1366, 900)
    log_in(page, "ketoan-cuc")
    page.goto(f"/de-an/{scheme.pk}/")
    page.screenshot(path=str(SHOTS / "payment-entry-scheme.png"), full_page=False)
    page.get_by_role("link", name="sổ giải ngân 42/2019/HĐ-KCQG").click()
    page.wait_for_load_state("networkidle")
    assert page.locator("#remaining-now").inner_text() == "400.000.000 đồng"
    assert "Hiện còn 400.000.000 đồng chưa giải ngân." in _preview(page)

    page.locator("label.seg", has_text="Thanh toán").click()
    amount = page.locator("#id_amount")
    amount.press_sequentially("25")
    assert "còn lại 399.999.975 đồng" in _preview(page)
    amount.press_sequentially("0.000.000")
    assert "đã giải ngân 850.000.000 đồng, còn lại 150.000.000 đồng" in _preview(page)
    amount.press_sequentially("0")  # 2.500.000.000 is no longer grouped by threes
    assert "Chưa đọc được số tiền" in _preview(page)
    amount.fill("450.000.000")
    assert "Vượt giá trị hợp đồng 50.000.000 đồng" in _preview(page)
    amount.fill("250.000.000")
    assert "còn lại 150.000.000 đồng" in _preview(page)
    page.fill("#id_voucher_number", "UNC-0002")
    page.fill("#id_note", "Thanh toán khối lượng nghiệm thu đợt 1")
    page.screenshot(path=str(SHOTS / "payment-entry-typing.png"), full_page=True)

    page.get_by_role("button", name="Ghi vào sổ").click()
    page.wait_for_load_state("networkidle")
    main = page.locator("main").inner_text()
    assert "Đã ghi thanh toán, chứng từ UNC-0002: 250.000.000 đồng." in main
    assert "Hợp đồng còn 150.000.000 đồng chưa giải ngân." in main
    assert page.locator("#remaining-now").inner_text() == "150.000.000 đồng"
    assert page.locator("table.ledger-table tbody tr").count() == 2
    assert contract.disbursements.filter(voucher_number="UNC-0002").exists()
    page.screenshot(path=str(SHOTS / "payment-entry-saved.png"), full_page=True)
    screenshot(page, "payment-entry-saved")

    # The advance was a mistake: reversed, with a reason, never deleted.
    page.locator("tr", has_text="UNC-0001").get_by_role("link", name="Đảo").click()
    page.fill("#id_reason", "Ghi nhầm hợp đồng")
    page.fill("#id_voucher_number", "DAO-0001")
    page.screenshot(path=str(SHOTS / "payment-entry-reverse.png"), full_page=True)
    page.get_by_role("button", name="Ghi bút toán đảo").click()
    page.wait_for_load_state("networkidle")
    assert "Đã đảo chứng từ UNC-0001 bằng chứng từ DAO-0001" in page.locator("main").inner_text()
    assert page.locator("#remaining-now").inner_text() == "750.000.000 đồng"
    assert "đã đảo bởi DAO-0001" in page.locator("table.ledger-table").inner_text()
    page.screenshot(path=str(SHOTS / "payment-entry-reversed.png"), full_page=True)

    page.goto("/tai-chinh/?q=mien+dong")
    assert page.locator("table.contracts tbody tr").count() == 1
    page.screenshot(path=str(SHOTS / "payment-entry-list.png"), full_page=True)
    assert page.errors == []
