"""The report's files read back: the workbook with openpyxl, the PDF's text with pypdf; and the
same parameters issued twice give the same bytes."""

import datetime
import hashlib
import io
import time
import zipfile
from decimal import Decimal

import openpyxl
import pytest
from django.utils import timezone
from pypdf import PdfReader

from reports import storage
from reports.models import ReportIssue
from reports.pdf import report_pdf
from reports.selectors import report_data
from reports.services import report_generate
from reports.xlsx import report_xlsx
from tests.reports.conftest import make_issue

pytestmark = pytest.mark.django_db

TY = Decimal(1_000_000_000)


def _rows(sheet) -> list[tuple]:
    return list(sheet.iter_rows(values_only=True))


def _labelled(sheet, label: str) -> tuple:
    return next(row for row in _rows(sheet) if row and row[0] == label)


def _pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def test_the_workbook_reads_back(programme):
    data = report_data(make_issue())
    workbook = openpyxl.load_workbook(io.BytesIO(report_xlsx(data)))
    assert workbook.sheetnames == ["Tổng hợp", "Theo nội dung", "Theo tỉnh", "Sổ theo dõi"]
    summary = workbook["Tổng hợp"]
    assert _labelled(summary, "Kinh phí được phê duyệt")[1:4] == (
        "5.000.000.000 đồng (5,00 tỷ đồng)",
        5 * TY,
        "đồng",
    )
    assert _labelled(summary, "Đề án đã ký hợp đồng, giao nhiệm vụ")[1] == "3/4 (75,00%)"
    assert _labelled(summary, "Kinh phí đã giải ngân (lũy kế)")[1:3] == (
        "2,60 / 5,00 tỷ đồng (52,00%)",
        TY * Decimal("2.6"),
    )
    assert _labelled(summary, "Số đề án có giải ngân")[2] == 2
    assert _labelled(summary, "Bản đồ tỉnh")[1] == "63 tỉnh, thành (trước 01/07/2025)"
    # Money cells are whole đồng shown with thousands separators and the unit.
    budget_cell = next(
        row[2] for row in summary.iter_rows() if row[0].value == "Kinh phí được phê duyệt"
    )
    assert budget_cell.number_format == '#,##0" đồng"'
    assert _labelled(summary, "Tháng 12")[1] == TY * Decimal("2.6")
    charts = summary._charts
    assert sorted(type(chart).__name__ for chart in charts) == ["BarChart", "LineChart"]

    provinces = workbook["Theo tỉnh"]
    header = next(row for row in _rows(provinces) if row and row[0] == "STT")
    assert header[1:5] == (
        "Tỉnh, thành phố",
        "Số đề án",
        "Đề án đã ký HĐ",
        "Kinh phí phê duyệt (đồng)",
    )
    thai_nguyen = next(row for row in _rows(provinces) if row and row[1] == "Thái Nguyên")
    assert thai_nguyen[2:7] == (1, 1, TY, TY, TY * Decimal("0.8"))
    # tỷ đồng and the rate, read back as the text written (never through a float).
    assert [Decimal(str(value)) for value in thai_nguyen[7:10]] == [1, Decimal("0.8"), 80]
    total = next(row for row in _rows(provinces) if row and row[1] == "Tổng cộng")
    assert total[2:7] == (4, 3, 5 * TY, TY * Decimal("4.5"), TY * Decimal("2.6"))
    areas = workbook["Theo nội dung"]
    assert any(row[1] and str(row[1]).startswith("1. ") for row in _rows(areas))
    # The file's dates are the day taken (openpyxl's naive UTC), not the day it was made.
    for stamp in (workbook.properties.created, workbook.properties.modified):
        assert (stamp.date(), stamp.time()) == (datetime.date(2019, 12, 31), datetime.time(0))


def test_the_pdf_text_is_vietnamese_with_the_figures(programme):
    content = report_pdf(report_data(make_issue(province_map="34")))
    reader = PdfReader(io.BytesIO(content))
    assert reader.metadata.creation_date.date() == datetime.date(2019, 12, 31)
    text = _pdf_text(content)
    for expected in (
        "BÁO CÁO TÌNH HÌNH THỰC HIỆN KẾ HOẠCH KHUYẾN CÔNG",
        "Báo cáo năm 2019 — số liệu tính đến ngày 31/12/2019",
        "Bản đồ tỉnh: 34 tỉnh, thành (từ 01/07/2025)",
        "3/4 (75,00%)",
        "2,60 / 5,00 tỷ đồng (52,00%)",
        "5.000.000.000 đồng (5,00 tỷ đồng)",
        "Lũy kế giải ngân theo tháng (tỷ đồng)",
        "Tỷ lệ giải ngân theo vùng (%)",
        "Miền Bắc",
        "Thái Nguyên",
        "Sản phẩm tiêu biểu, quy hoạch cụm công nghiệp, hội chợ, hội nghị",
    ):
        assert expected in text, expected


def _generate(**params) -> ReportIssue:
    issue = make_issue(**params)
    return report_generate(issue_id=issue.pk)


def test_the_same_parameters_give_the_same_bytes(programme, media):
    first = _generate(period="q3", province_map="34")
    # Zip members carry a time stamp to two seconds: wait past it.
    time.sleep(2.1)
    second = _generate(period="q3", province_map="34")
    assert first.status == second.status == ReportIssue.Status.DONE
    assert first.xlsx_path != second.xlsx_path
    for name in ("xlsx", "pdf"):
        a = storage.read(getattr(first, f"{name}_path"))
        b = storage.read(getattr(second, f"{name}_path"))
        assert a == b, name
        assert hashlib.sha256(a).hexdigest() == getattr(first, f"{name}_sha256")
        assert getattr(first, f"{name}_sha256") == getattr(second, f"{name}_sha256")
    archive = zipfile.ZipFile(io.BytesIO(storage.read(first.xlsx_path)))
    assert {member.date_time for member in archive.infolist()} == {(2019, 9, 30, 0, 0, 0)}
    # Other parameters, other bytes.
    other = _generate(period="q3", province_map="63")
    assert other.xlsx_sha256 != first.xlsx_sha256


def test_generating_twice_does_the_work_once(programme, media):
    issue = make_issue()
    assert report_generate(issue_id=issue.pk).status == ReportIssue.Status.DONE
    assert report_generate(issue_id=issue.pk) is None
    issue.refresh_from_db()
    assert (issue.progress, issue.error) == (100, "")
    assert issue.finished_at >= issue.started_at


def test_a_failure_is_recorded_with_its_reason(programme, media, monkeypatch):
    def broken(_data):
        raise ValueError("broken")

    monkeypatch.setattr("reports.services.report_pdf", broken)
    issue = make_issue()
    assert report_generate(issue_id=issue.pk) is None
    issue.refresh_from_db()
    assert issue.status == ReportIssue.Status.FAILED
    assert "Không lập được báo cáo" in issue.error and "ValueError" in issue.error
    assert issue.pdf_path == ""


def test_work_a_worker_abandoned_is_marked_failed_after_the_timeout(
    programme, media, ministry_user, settings
):
    """A report or export file still running KC_WORK_TIMEOUT_MINUTES after its worker took it
    was abandoned: the sweep marks it failed with the reason; newer or finished work is left."""
    from exports.models import ExportJob
    from reports.services import abandoned_work_fail

    settings.KC_WORK_TIMEOUT_MINUTES = 30
    now = timezone.now()
    old, recent = now - datetime.timedelta(minutes=31), now - datetime.timedelta(minutes=29)
    stuck = make_issue(status=ReportIssue.Status.RUNNING, started_at=old)
    busy = make_issue(status=ReportIssue.Status.RUNNING, started_at=recent, year=2018)
    waiting = make_issue(year=2017)

    def job(started_at, status=ExportJob.Status.RUNNING):
        return ExportJob.objects.create(
            user=ministry_user,
            table="schemes",
            file_format="csv",
            status=status,
            started_at=started_at,
            expires_at=now + datetime.timedelta(days=7),
        )

    stuck_job, busy_job = job(old), job(recent)

    assert abandoned_work_fail(now=now) == 2

    for record in (stuck, busy, waiting, stuck_job, busy_job):
        record.refresh_from_db()
    assert (stuck.status, stuck_job.status) == ("failed", "failed")
    assert "dừng giữa chừng" in stuck.error and "dừng giữa chừng" in stuck_job.error
    assert stuck.finished_at == now
    assert (busy.status, waiting.status, busy_job.status) == ("running", "queued", "running")
    # A task that runs again leaves the failed issue as it is.
    assert report_generate(issue_id=stuck.pk) is None
    assert abandoned_work_fail(now=now) == 0


def test_the_beat_schedule_sweeps_abandoned_work_every_ten_minutes(settings):
    from celery.schedules import crontab

    from reports.tasks import abandoned_work_fail_task

    entry = settings.CELERY_BEAT_SCHEDULE["abandoned-work-sweep"]
    assert entry["task"] == abandoned_work_fail_task.name == "reports.abandoned_work_fail"
    assert entry["schedule"] == crontab(minute="*/10")
