"""The monthly report: made once as of the last day of the previous month and e-mailed with
its files to the ministry staff who chose to receive it (Django's locmem mail backend)."""

import datetime
import io

import openpyxl
import pytest
from celery.schedules import crontab
from django.conf import settings
from django.core import mail
from django.utils import timezone
from pypdf import PdfReader

from accounts.models import Role
from reports import storage
from reports.models import ReportDelivery, ReportIssue, ReportSubscription
from reports.selectors import monthly_as_of
from reports.services import XLSX_TYPE, monthly_report_send, subscription_set
from reports.tasks import monthly_report_send_task
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.fixture
def subscribed(ministry_user):
    ministry_user.email = "bo@example.vn"
    ministry_user.save(update_fields=["email"])
    subscription_set(user=ministry_user, monthly=True)
    approver = UserFactory(role=Role.APPROVER, username="ld-thu", email="ld@example.vn")
    subscription_set(user=approver, monthly=True)
    return [ministry_user, approver]


@pytest.mark.parametrize(
    ("today", "as_of"),
    [
        (D(2020, 1, 1), D(2019, 12, 31)),
        (D(2019, 3, 1), D(2019, 2, 28)),
        (D(2020, 3, 1), D(2020, 2, 29)),
        (D(2019, 7, 15), D(2019, 6, 30)),
    ],
)
def test_the_day_taken_is_the_last_of_the_previous_month(today, as_of):
    assert monthly_as_of(today) == as_of


def test_the_beat_sends_it_on_the_first_at_seven_in_hanoi():
    entry = settings.CELERY_BEAT_SCHEDULE["report-monthly"]
    assert entry["task"] == "reports.monthly_report_send"
    assert entry["schedule"] == crontab(day_of_month=1, hour=7, minute=0)
    assert settings.CELERY_TIMEZONE == "Asia/Ho_Chi_Minh"


def test_subscribers_receive_the_report_with_its_files(programme, media, subscribed):
    # Not sent: a ministry user who did not subscribe, one with no address, a province user
    # whose subscription row was written behind the service's back, an inactive subscriber.
    UserFactory(role=Role.MINISTRY, username="bo-khong", email="khong@example.vn")
    no_address = UserFactory(role=Role.MINISTRY, username="bo-trong", email="")
    subscription_set(user=no_address, monthly=True)
    province = UserFactory(role=Role.PROVINCE, province=_province(), email="t@example.vn")
    ReportSubscription.objects.create(user=province, monthly=True)
    gone = UserFactory(role=Role.MINISTRY, username="bo-nghi", email="nghi@example.vn")
    subscription_set(user=gone, monthly=True)
    gone.is_active = False
    gone.save(update_fields=["is_active"])

    assert monthly_report_send(today=D(2020, 1, 1)) == 2
    issue = ReportIssue.objects.get(trigger=ReportIssue.Trigger.MONTHLY)
    assert (issue.as_of, issue.year, issue.period, issue.fund, issue.province_map) == (
        D(2019, 12, 31),
        2019,
        "year",
        "all",
        "63",
    )
    assert issue.status == ReportIssue.Status.DONE and issue.requested_by is None
    assert sorted(message.to[0] for message in mail.outbox) == ["bo@example.vn", "ld@example.vn"]
    message = mail.outbox[0]
    assert message.subject == "Báo cáo khuyến công tính đến ngày 31/12/2019"
    # Both funds: the local scheme F (0,7 tỷ) is in.
    assert "Kinh phí được phê duyệt: 5,70 tỷ đồng; 5 đề án." in message.body
    assert "Đã giải ngân: 2,60 tỷ đồng" in message.body
    (xlsx_name, xlsx, xlsx_type), (pdf_name, pdf, pdf_type) = message.attachments
    assert (xlsx_name, xlsx_type) == (issue.file_name("xlsx"), XLSX_TYPE)
    assert (pdf_name, pdf_type) == (issue.file_name("pdf"), "application/pdf")
    assert xlsx == storage.read(issue.xlsx_path) and pdf == storage.read(issue.pdf_path)
    workbook = openpyxl.load_workbook(io.BytesIO(xlsx))
    fund = next(
        row
        for row in workbook["Tổng hợp"].iter_rows(values_only=True)
        if row[0] == "Nguồn kinh phí"
    )
    assert fund[1] == "Cả hai nguồn"
    assert "31/12/2019" in PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    assert ReportDelivery.objects.filter(issue=issue).count() == 2


def _province():
    from provinces.models import Province

    return Province.objects.get(code="19", map_version="34")


def test_a_second_run_sends_nothing_again(programme, media, subscribed):
    assert monthly_report_send(today=D(2020, 1, 1)) == 2
    assert monthly_report_send(today=D(2020, 1, 1)) == 0
    assert len(mail.outbox) == 2
    assert ReportIssue.objects.count() == 1
    # A new subscriber before the second run gets the same issue.
    late = UserFactory(role=Role.MINISTRY, username="bo-muon", email="muon@example.vn")
    subscription_set(user=late, monthly=True)
    assert monthly_report_send(today=D(2020, 1, 1)) == 1
    assert mail.outbox[-1].to == ["muon@example.vn"]


def test_the_task_takes_the_previous_month_of_today(media, subscribed):
    assert monthly_report_send_task.delay().get() == 2
    issue = ReportIssue.objects.get()
    assert issue.as_of == monthly_as_of(timezone.localdate())
    assert issue.status == ReportIssue.Status.DONE
