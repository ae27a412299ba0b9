"""Monthly progress reports of a scheme under way, filed by the unit that prepares it
(submissions.reporting says when they are due)."""

import datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Min, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from core.money import format_vnd
from projects.models import Scheme
from submissions.models import ProgressReport
from submissions.permissions import owns, schemes_owned_by
from submissions.reporting import REPORTING, Period


def first_period(scheme: Scheme) -> Period:
    """The first month a scheme may report on: that of its start date or of its first contract,
    whichever is earlier."""
    signed = scheme.allocations.aggregate(first=Min("contracts__signed_on"))["first"]
    return Period.of(min(day for day in (scheme.start_date, signed) if day is not None))


def _total_cost(scheme: Scheme) -> Decimal:
    """What a scheme may spend in all: the support approved in its plans and its counterpart
    funding."""
    approved = scheme.allocations.aggregate(total=Sum("amount"))["total"] or Decimal(0)
    return approved + scheme.counterpart_funding


def report_periods_open(scheme: Scheme, today: datetime.date) -> list[Period]:
    """The months a report may be filed for now, newest first: from first_period() to the
    current month, less those already reported (2 queries)."""
    first = first_period(scheme)
    reported = set(scheme.progress_reports.values_list("period_year", "period_month"))
    return [
        period
        for period in (
            Period.from_index(i) for i in range(Period.of(today).index, first.index - 1, -1)
        )
        if (period.year, period.month) not in reported
    ]


@transaction.atomic
def progress_report_submit(
    *,
    scheme: Scheme,
    by: User,
    period: Period,
    submitted_on: datetime.date,
    work_done: str,
    percent_complete: int,
    amount_spent: Decimal,
) -> ProgressReport:
    """Record the unit's report for `period`. Refused (ValidationError keyed by field) unless the
    scheme is contracted or in progress, the month is not ahead of today nor before the scheme
    starts, the date sent lies between the first day of the month and today, the month has no
    report yet and the amount spent is within the support approved plus the counterpart funding;
    PermissionDenied unless the user's unit prepares the scheme."""
    locked = schemes_owned_by(by).select_for_update(of=("self",)).filter(pk=scheme.pk).first()
    if locked is None or not owns(by, locked):
        raise PermissionDenied(_("Chỉ đơn vị lập đề án mới được báo cáo tiến độ."))
    if locked.status not in REPORTING:
        raise ValidationError(
            _(
                "Đề án %(code)s đang ở trạng thái “%(status)s”: chỉ báo cáo tiến độ khi đề án "
                "đã ký hợp đồng / giao nhiệm vụ hoặc đang thực hiện."
            )
            % {"code": locked.code, "status": Scheme.Status(locked.status).label}
        )
    today = timezone.localdate()
    errors: dict[str, list[str]] = {}
    if period > Period.of(today):
        errors.setdefault("period", []).append(
            _("Tháng %(period)s chưa đến: không báo cáo trước.") % {"period": period.label}
        )
    elif period < (first := first_period(locked)):
        errors.setdefault("period", []).append(
            _("Tháng %(period)s trước khi đề án bắt đầu (tháng %(first)s).")
            % {"period": period.label, "first": first.label}
        )
    elif ProgressReport.objects.filter(
        scheme=locked, period_year=period.year, period_month=period.month
    ).exists():
        errors.setdefault("period", []).append(
            _("Đề án %(code)s đã có báo cáo tiến độ tháng %(period)s.")
            % {"code": locked.code, "period": period.label}
        )
    if submitted_on > today:
        errors.setdefault("submitted_on", []).append(
            _("Ngày gửi %(day)s ở tương lai.") % {"day": submitted_on.strftime("%d/%m/%Y")}
        )
    elif submitted_on < period.first_day:
        errors.setdefault("submitted_on", []).append(
            _("Ngày gửi %(day)s trước tháng báo cáo %(period)s.")
            % {"day": submitted_on.strftime("%d/%m/%Y"), "period": period.label}
        )
    ceiling = _total_cost(locked)
    if amount_spent > ceiling:
        errors.setdefault("amount_spent", []).append(
            _(
                "Kinh phí đã chi %(spent)s vượt tổng kinh phí của đề án %(total)s (kinh phí "
                "khuyến công được duyệt và vốn đối ứng)."
            )
            % {"spent": format_vnd(amount_spent), "total": format_vnd(ceiling)}
        )
    if errors:
        raise ValidationError(errors)
    report = ProgressReport(
        scheme=locked,
        period_year=period.year,
        period_month=period.month,
        due_on=period.due_on,
        submitted_on=submitted_on,
        work_done=(work_done or "").strip(),
        percent_complete=percent_complete,
        amount_spent=amount_spent,
        reported_by=by,
    )
    report.full_clean()
    report._history_user = by
    try:
        with transaction.atomic():
            report.save()
    except IntegrityError as error:  # the same month filed at the same moment by someone else
        raise ValidationError(
            {
                "period": _("Đề án %(code)s đã có báo cáo tiến độ tháng %(period)s.")
                % {"code": locked.code, "period": period.label}
            }
        ) from error
    return report
