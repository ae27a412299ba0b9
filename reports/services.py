"""Every write of the reports app: asking for an issue, making its files (in a worker), the
monthly e-mail and the subscription to it."""

import datetime
import hashlib
import logging

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import Role, User
from core.money import format_billions, format_rate
from exports.models import ExportJob
from provinces.models import Province, map_on
from reports import storage
from reports.models import ReportDelivery, ReportFund, ReportIssue, ReportSubscription
from reports.pdf import report_pdf
from reports.periods import Period, kind_of
from reports.permissions import may_request_reports, may_subscribe, refusal, report_scope
from reports.selectors import monthly_as_of, report_data
from reports.xlsx import report_xlsx

logger = logging.getLogger(__name__)

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PDF_TYPE = "application/pdf"


@transaction.atomic
def report_request(
    *,
    by: User,
    period: str,
    year: int,
    fund: str,
    province_map: str,
    as_of: datetime.date,
    province: Province | None = None,
) -> ReportIssue:
    """Record the parameters of an issue and hand its making to a worker once committed. A
    province user's scope is its own unit whatever is asked (report_scope); ministry staff
    report on the whole programme, or on a province when they issue a province's report
    again."""
    if not may_request_reports(by):
        raise PermissionDenied(refusal(by))
    if not by.sees_everything:
        province = report_scope(by)
    issue = ReportIssue(
        kind=kind_of(period),
        period=period,
        year=year,
        fund=fund,
        province_map=province_map,
        as_of=as_of,
        province=province,
        requested_by=by,
    )
    issue.full_clean()
    issue.save()
    _enqueue(issue.pk)
    return issue


def report_reissue(*, issue: ReportIssue, by: User) -> ReportIssue:
    """The same parameters and scope again, as a new issue (its files come out byte for byte
    the same while the records are unchanged). The caller has checked that the user may read
    `issue` (issues_visible_to)."""
    return report_request(
        by=by,
        period=issue.period,
        year=issue.year,
        fund=issue.fund,
        province_map=issue.province_map,
        as_of=issue.as_of,
        province=issue.province,
    )


def _enqueue(issue_id: int) -> None:
    from reports.tasks import report_generate_task

    transaction.on_commit(lambda: report_generate_task.delay(issue_id))


def _progress(issue_id: int, percent: int) -> None:
    ReportIssue.objects.filter(pk=issue_id).update(progress=percent)


def report_generate(*, issue_id: int) -> ReportIssue | None:
    """Make the files of a queued issue. Safe to run twice: only the run that moves the issue
    from queued to running does the work. A failure is recorded on the issue with its reason."""
    claimed = ReportIssue.objects.filter(pk=issue_id, status=ReportIssue.Status.QUEUED).update(
        status=ReportIssue.Status.RUNNING, started_at=timezone.now(), progress=5
    )
    if not claimed:
        return None
    issue = ReportIssue.objects.select_related("province").get(pk=issue_id)
    try:
        with translation.override("vi"):
            data = report_data(issue)
            _progress(issue_id, 40)
            xlsx = report_xlsx(data)
            _progress(issue_id, 70)
            pdf = report_pdf(data)
            _progress(issue_id, 90)
        folder = f"{storage.REPORT_DIR}/{issue.pk}"
        xlsx_path = storage.save(f"{folder}/{issue.file_name('xlsx')}", xlsx)
        pdf_path = storage.save(f"{folder}/{issue.file_name('pdf')}", pdf)
    except Exception as error:
        logger.exception("report issue %s failed", issue_id)
        ReportIssue.objects.filter(pk=issue_id).update(
            status=ReportIssue.Status.FAILED,
            error=_("Không lập được báo cáo: %(error)s") % {"error": error.__class__.__name__},
            finished_at=timezone.now(),
        )
        return None
    ReportIssue.objects.filter(pk=issue_id).update(
        status=ReportIssue.Status.DONE,
        progress=100,
        xlsx_path=xlsx_path,
        xlsx_sha256=hashlib.sha256(xlsx).hexdigest(),
        pdf_path=pdf_path,
        pdf_sha256=hashlib.sha256(pdf).hexdigest(),
        finished_at=timezone.now(),
    )
    issue.refresh_from_db()
    return issue


def abandoned_work_fail(*, now: datetime.datetime) -> int:
    """Mark failed the report issues and export jobs a worker took more than
    KC_WORK_TIMEOUT_MINUTES ago and never finished (the worker died or was stopped: a task
    that runs again finds them running and leaves them); the number marked. The user sees why
    and asks again."""
    before = now - datetime.timedelta(minutes=settings.KC_WORK_TIMEOUT_MINUTES)
    message = _("Máy chủ dừng giữa chừng khi đang lập tệp. Hãy yêu cầu lại.")
    reports = ReportIssue.objects.filter(
        status=ReportIssue.Status.RUNNING, started_at__lt=before
    ).update(status=ReportIssue.Status.FAILED, error=message, finished_at=now)
    exports = ExportJob.objects.filter(
        status=ExportJob.Status.RUNNING, started_at__lt=before
    ).update(status=ExportJob.Status.FAILED, error=message, finished_at=now)
    return reports + exports


# -- The monthly report --------------------------------------------------------------------------


def subscribers() -> QuerySet[User]:
    """Ministry staff who asked for the monthly report and have an address."""
    return (
        User.objects.filter(report_subscription__monthly=True, is_active=True)
        .filter(Q(is_superuser=True) | Q(role__in=[Role.MINISTRY, Role.APPROVER, Role.ADMIN]))
        .exclude(email="")
        .order_by("pk")
    )


def _monthly_issue(as_of: datetime.date) -> ReportIssue:
    """The monthly issue of the day, made once whatever the number of runs: the whole
    programme, both funds, on the province map in force that day."""
    defaults = {
        "kind": kind_of(Period.YEAR),
        "period": Period.YEAR,
        "year": as_of.year,
        "fund": ReportFund.ALL,
        "province_map": map_on(as_of),
    }
    try:
        with transaction.atomic():
            issue, _created = ReportIssue.objects.get_or_create(
                trigger=ReportIssue.Trigger.MONTHLY, as_of=as_of, defaults=defaults
            )
    except IntegrityError:  # another run made it in between
        issue = ReportIssue.objects.get(trigger=ReportIssue.Trigger.MONTHLY, as_of=as_of)
    return issue


def _message(issue: ReportIssue, recipient: User, xlsx: bytes, pdf: bytes) -> EmailMessage:
    summary = report_data_summary(issue)
    body = "\n".join(
        [
            _("Kính gửi %(name)s,") % {"name": recipient.get_full_name() or recipient.username},
            "",
            _(
                "Hệ thống gửi %(title)s về tình hình thực hiện kế hoạch khuyến công (cả hai "
                "nguồn kinh phí), số liệu tính đến ngày %(day)s."
            )
            % {"title": issue.title.lower(), "day": issue.as_of.strftime("%d/%m/%Y")},
            "",
            *summary,
            "",
            _("Báo cáo chi tiết ở tệp Excel và PDF đính kèm."),
            _("Thôi nhận thư này: trang Báo cáo định kỳ → Nhận báo cáo hằng tháng qua thư."),
        ]
    )
    message = EmailMessage(
        _("Báo cáo khuyến công tính đến ngày %(day)s") % {"day": issue.as_of.strftime("%d/%m/%Y")},
        body,
        settings.DEFAULT_FROM_EMAIL,
        [recipient.email],
    )
    message.attach(issue.file_name("xlsx"), xlsx, XLSX_TYPE)
    message.attach(issue.file_name("pdf"), pdf, PDF_TYPE)
    return message


def report_data_summary(issue: ReportIssue) -> list[str]:
    """The headline figures in a few lines, for the body of the message."""
    from dashboard.selectors import visible_summary
    from reports.selectors import issue_programme

    summary = visible_summary(issue_programme(issue))
    return [
        _("- Kinh phí được phê duyệt: %(v)s; %(n)s đề án.")
        % {"v": format_billions(summary.budget), "n": summary.schemes_approved},
        _("- Đã ký hợp đồng: %(c)s/%(n)s đề án (%(r)s).")
        % {
            "c": summary.schemes_contracted,
            "n": summary.schemes_approved,
            "r": format_rate(summary.contracted_rate),
        },
        _("- Đã giải ngân: %(v)s (%(r)s kinh phí được phê duyệt).")
        % {"v": format_billions(summary.disbursed), "r": format_rate(summary.disbursed_rate)},
    ]


def monthly_report_send(*, today: datetime.date) -> int:
    """Make the report as of the last day of the previous month (once) and e-mail it with its
    files to each subscriber not sent it yet. Returns the number of messages sent."""
    issue = _monthly_issue(monthly_as_of(today))
    if issue.status == ReportIssue.Status.QUEUED:
        report_generate(issue_id=issue.pk)
        issue.refresh_from_db()
    if issue.status != ReportIssue.Status.DONE:
        return 0
    xlsx, pdf = storage.read(issue.xlsx_path), storage.read(issue.pdf_path)
    sent = 0
    pending = subscribers().exclude(pk__in=issue.deliveries.values("recipient"))
    with translation.override("vi"):
        for recipient in pending:
            _message(issue, recipient, xlsx, pdf).send()
            ReportDelivery.objects.get_or_create(issue=issue, recipient=recipient)
            sent += 1
    return sent


@transaction.atomic
def subscription_set(*, user: User, monthly: bool) -> ReportSubscription:
    if not may_subscribe(user):
        raise PermissionDenied(_("Báo cáo hằng tháng qua thư dành cho cán bộ Bộ Công Thương."))
    subscription, _created = ReportSubscription.objects.select_for_update().get_or_create(user=user)
    if subscription.monthly != monthly:
        subscription.monthly = monthly
        subscription._history_user = user
        subscription.save(update_fields=["monthly", "updated_at"])
    return subscription
