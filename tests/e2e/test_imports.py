"""Import in the browser: a ministry officer downloads nothing, uploads a schemes file with one
bad cell, reads the problem by row and column, uploads the corrected file, confirms it; and the
progress bar of a file checked in the background follows the check under the strict CSP."""

import datetime
from decimal import Decimal

import pytest

from accounts.models import Role
from budgets.models import PlanBatch
from imports import services
from imports.models import ImportBatch
from projects.models import Scheme
from tests.e2e.conftest import DEMO_PASSWORD, log_in, screenshot
from tests.factories import AnnualPlanFactory, UserFactory
from tests.imports import files
from tests.reference import load_reference


@pytest.fixture
def officer(transactional_db):
    load_reference()
    plan = AnnualPlanFactory(year=2019)
    PlanBatch.objects.create(
        plan=plan,
        number=1,
        decision_number="123/QĐ-BCT",
        decision_date=datetime.date(2018, 12, 30),
        amount=Decimal(10_000_000_000),
    )
    user = UserFactory(role=Role.MINISTRY, username="bo-nhap-e2e")
    user.set_password(DEMO_PASSWORD)
    user.save()
    return user


def test_upload_fix_and_confirm(officer, open_page, tmp_path):
    page = open_page()
    log_in(page, officer.username)
    bad = tmp_path / "ke-hoach-sai.xlsx"
    bad.write_bytes(
        files.xlsx(
            "schemes",
            [
                files.scheme_row(),
                files.scheme_row(**{"Mã đề án": "KC-2", "Kinh phí hỗ trợ": "1,5 tỷ"}),
            ],
        )
    )
    page.goto("/nhap-du-lieu/")
    page.select_option("#id_kind", "schemes")
    page.set_input_files("#id_file", str(bad))
    page.get_by_role("button", name="Tải lên và kiểm tra").click()
    page.wait_for_load_state("networkidle")
    text = page.locator("main").inner_text()
    assert "1 lỗi: chưa ghi dòng nào" in text
    assert "'1,5 tỷ' không phải số tiền hợp lệ" in text
    screenshot(page, "imports-problems")
    good = tmp_path / "ke-hoach.xlsx"
    good.write_bytes(files.xlsx("schemes", [files.scheme_row()]))
    page.goto("/nhap-du-lieu/")
    page.select_option("#id_kind", "schemes")
    page.set_input_files("#id_file", str(good))
    page.get_by_role("button", name="Tải lên và kiểm tra").click()
    page.wait_for_load_state("networkidle")
    screenshot(page, "imports-preview")
    page.get_by_role("button", name="Xác nhận nhập").click()
    page.wait_for_load_state("networkidle")
    assert "Đã nhập: 1 dòng mới" in page.locator("main").inner_text()
    assert Scheme.objects.count() == 1
    page.goto("/nhap-du-lieu/")
    screenshot(page, "imports-list")
    assert page.errors == []


def test_the_progress_bar_follows_a_background_check(officer, open_page):
    content = files.xlsx("schemes", [files.scheme_row()])
    batch = services.batch_create(
        kind="schemes", content=content, filename="dai.xlsx", user=officer
    )
    page = open_page()
    log_in(page, officer.username)
    page.goto(f"/nhap-du-lieu/{batch.pk}/")
    assert page.locator("#import-progress progress").is_visible()
    screenshot(page, "imports-progress")
    services.batch_check(batch_id=batch.pk)
    page.wait_for_selector("text=Tệp hợp lệ: xác nhận để ghi", timeout=15_000)
    assert ImportBatch.objects.get().status == ImportBatch.Status.CHECKED
    assert page.errors == []
