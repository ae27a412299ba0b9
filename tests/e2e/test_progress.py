"""A province files a monthly progress report in the browser; the ministry sees it on the scheme
page and finds the schemes with missing reports from the consistency panel. Screenshots in
test-results/."""

from projects.models import Scheme
from submissions.models import ProgressReport
from submissions.reporting import Period
from tests.e2e.conftest import log_in, screenshot


def test_a_progress_report_from_the_form_to_the_consistency_panel(demo, open_page):
    scheme = (
        Scheme.objects.filter(
            plan_year=2026,
            status=Scheme.Status.IN_PROGRESS,
            province__successor__code="19",
            province__successor__map_version="34",
        )
        .order_by("code")
        .first()
    )
    assert scheme is not None
    period = Period(2026, 10)
    # The demo has the unit's reports: this month's is taken back, to be filed here.
    ProgressReport.objects.filter(
        scheme=scheme, period_year=period.year, period_month=period.month
    ).delete()
    page = open_page(1366, 900)
    log_in(page, "tinh-19")
    page.goto(f"/ho-so/{scheme.pk}/")
    page.click("text=Gửi báo cáo tiến độ")
    assert "Báo cáo tiến độ hằng tháng" in page.locator("main").inner_text()
    page.select_option("#id_period", period.key)
    page.fill("#id_submitted_on", "24/10/2026")
    page.fill("#id_work_done", "Đã lắp đặt 3 máy sấy chè, chạy thử đạt công suất thiết kế.")
    page.fill("#id_percent_complete", "120")
    page.fill("#id_amount_spent", "99.000.000.000")
    page.click("form.dossier-form button[type=submit]")
    assert "Chưa lưu được báo cáo" in page.locator("main").inner_text()
    screenshot(page, "progress-report-refused")
    page.fill("#id_percent_complete", "65")
    page.click("form.dossier-form button[type=submit]")
    assert "vượt tổng kinh phí của đề án" in page.locator("main").inner_text()
    page.fill("#id_amount_spent", "150.000.000")
    page.click("form.dossier-form button[type=submit]")
    page.wait_for_load_state("networkidle")
    main = page.locator("main").inner_text()
    assert "Đã ghi báo cáo tiến độ tháng 10/2026" in main
    assert "150.000.000" in main
    screenshot(page, "progress-report-form")
    report = ProgressReport.objects.get(scheme=scheme, period_year=2026, period_month=10)
    assert (report.period_month, report.percent_complete, report.on_time) == (10, 65, True)

    log_in(page, "bo")
    page.goto(f"/de-an/{scheme.pk}/")
    section = page.locator("#tien-do")
    assert "Đã lắp đặt 3 máy sấy chè" in section.inner_text()
    section.scroll_into_view_if_needed()
    screenshot(page, "progress-report-scheme-page")

    page.goto("/giam-sat/nhat-quan/?year=2026&fund=all")
    assert "Báo cáo tiến độ" in page.locator("main").inner_text()
    screenshot(page, "consistency-2026")
    page.goto("/giam-sat/nhat-quan/?year=2026&fund=all&check=progress_late")
    rows = page.locator("#loi")
    assert "Báo cáo tiến độ" in rows.inner_text()
    assert rows.locator("tbody tr").count() > 0
    screenshot(page, "consistency-progress-rows")
    rows.locator("tbody tr a").first.click()
    page.wait_for_load_state("networkidle")
    assert page.locator("#tien-do").count() == 1
    assert page.errors == []
