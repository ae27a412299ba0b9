"""Who may ask for the periodic report and read its files.

Ministry staff, approvers and administrators report on the whole programme. A province user
reports on its own unit only (with the old provinces merged into it): the scope is set on the
server from the user's province, never from the request. Regional-centre staff have no report
here (their centre's plan is part of the ministry's)."""

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from accounts.models import Role, User
from provinces.models import Province
from reports.models import ReportIssue


def may_request_reports(user: User) -> bool:
    return user.is_authenticated and (
        user.sees_everything or (user.role == Role.PROVINCE and user.province_id is not None)
    )


def refusal(user: User) -> str:
    return _(
        "Báo cáo định kỳ dành cho cán bộ Bộ Công Thương và cán bộ Sở Công Thương (báo cáo của "
        "tỉnh mình)."
    )


def report_scope(user: User) -> Province | None:
    """The province a user's report covers; None for the whole programme."""
    return None if user.sees_everything else user.province


def issues_visible_to(user: User) -> QuerySet[ReportIssue]:
    """The issues whose files the user may read: every issue for ministry staff; those of its
    own unit for a province user, whoever in the unit asked for them."""
    if not may_request_reports(user):
        return ReportIssue.objects.none()
    if user.sees_everything:
        return ReportIssue.objects.all()
    return ReportIssue.objects.filter(province_id=user.province_id)


def may_subscribe(user: User) -> bool:
    """The monthly report by e-mail covers the whole programme: ministry staff only."""
    return user.is_authenticated and user.sees_everything
