"""The periodic report page in Chromium: asking for a report, and the page following an issue
being made by a worker (its progress script runs under the site's strict CSP)."""

import datetime

import pytest

from accounts.models import Role
from reports.models import ReportIssue
from reports.services import report_generate
from tests.e2e.conftest import DEMO_PASSWORD, log_in, screenshot
from tests.factories import UserFactory
from tests.reference import load_reference
from tests.reports.conftest import make_issue


@pytest.fixture
def ministry(transactional_db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    load_reference()
    user = UserFactory(role=Role.MINISTRY, username="bo-baocao", email="bo@example.vn")
    user.set_password(DEMO_PASSWORD)
    user.save()
    return user


def test_ask_for_a_report_and_follow_its_making(open_page, ministry):
    page = open_page()
    log_in(page, "bo-baocao")
    page.goto("/bao-cao/")
    assert page.locator("h1").inner_text() == "Báo cáo tình hình thực hiện kế hoạch khuyến công"
    page.fill("#id_year", "2019")
    page.select_option("#id_period", "q3")
    page.select_option("#id_fund", "all")
    page.select_option("#id_province_map", "34")
    page.click("form.report-form button[type=submit]")
    page.wait_for_load_state("networkidle")
    # Tasks run in-process here: the report is made by the time the page comes back.
    issue = ReportIssue.objects.get()
    row = page.locator(f"#issue-{issue.pk}")
    assert "Báo cáo quý III năm 2019" in row.inner_text()
    assert "tính đến 30/09/2019" in row.inner_text()
    assert row.locator(".files a").all_inner_texts() == ["Excel", "PDF"]
    with page.expect_download() as download:
        row.locator(".files a", has_text="PDF").click()
    assert download.value.suggested_filename == issue.file_name("pdf")

    # An issue still waiting for a worker: the page follows it until its files are there.
    waiting = make_issue(by=ministry, as_of=datetime.date(2019, 12, 31))
    page.goto("/bao-cao/")
    waiting_row = page.locator(f"#issue-{waiting.pk}")
    assert waiting_row.locator("progress").count() == 1
    assert waiting_row.locator(".label").inner_text() == "Đang chờ"
    report_generate(issue_id=waiting.pk)
    waiting_row.locator(".files a", has_text="Excel").wait_for(timeout=15_000)
    assert waiting_row.locator(".label").inner_text() == "Đã xong"
    assert waiting_row.locator("progress").count() == 0
    screenshot(page, "reports-page")
    assert page.errors == []


def test_the_monthly_mail_setting(open_page, ministry):
    page = open_page()
    log_in(page, "bo-baocao")
    page.goto("/bao-cao/nhan-thu/")
    page.click("main form button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert "Anh/chị sẽ nhận báo cáo hằng tháng qua thư." in page.inner_text("main")
    assert "Đang nhận" in page.inner_text("main")
    screenshot(page, "reports-subscription")
    assert page.errors == []
