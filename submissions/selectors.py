"""Reads for the submission portal: the choices a draft may take for its plan year, the user's
dossiers grouped by stage, one dossier with everything its page shows, and a scheme's monthly
progress reports against the months it owed one."""

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from accounts.models import Role, User
from budgets.models import Contract
from establishments.models import Establishment
from organisations.models import Organisation
from projects.models import Scheme, SchemeStatusChange
from projects.permissions import provinces_visible_to, schemes_visible_to
from provinces.models import Province, ProvinceMap
from reference.models import ContentArea, ContentAreaList, Sector
from submissions.models import Attachment, Comment, CostLine, ProgressReport
from submissions.permissions import schemes_owned_by
from submissions.reporting import REPORTING, Period, due_periods

S = Scheme.Status


# What a draft may choose, for its plan year.


def first_day(year: int) -> datetime.date:
    return datetime.date(year, 1, 1)


def content_list_for_year(year: int) -> ContentAreaList | None:
    """The list of content areas in force on 1 January of the plan year; where two are (the
    Decree 45 list has no end date), the more recent one: the 7 groups of the 2021–2025
    programme within 2021–2025, the 9 areas of Decree 45 outside it."""
    day = first_day(year)
    return (
        ContentAreaList.objects.filter(valid_from__lte=day)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=day))
        .order_by("-valid_from")
        .first()
    )


def content_areas_for_years(years) -> QuerySet[ContentArea]:
    lists = {content_list_for_year(year) for year in years} - {None}
    return ContentArea.objects.filter(content_list__in=[item.pk for item in lists]).select_related(
        "content_list"
    )


def sectors_valid_on(day: datetime.date) -> QuerySet[Sector]:
    return Sector.objects.filter(valid_from__lte=day).filter(
        Q(valid_to__isnull=True) | Q(valid_to__gte=day)
    )


def sectors_for_years(years) -> QuerySet[Sector]:
    match = Q(pk__in=[])
    for year in years:
        day = first_day(year)
        match |= Q(valid_from__lte=day) & (Q(valid_to__isnull=True) | Q(valid_to__gte=day))
    return Sector.objects.filter(match)


def draft_provinces(user: User) -> QuerySet[Province]:
    """The units a user may make a draft for: a province user's own unit; for a regional
    centre, the post-2025 units it covers."""
    visible = provinces_visible_to(user).filter(map_version=ProvinceMap.NEW_34)
    if user.role == Role.PROVINCE:
        return visible.filter(pk=user.province_id)
    if user.role == Role.REGIONAL:
        return visible
    return Province.objects.none()


def implementing_units(user: User, province: Province | None) -> QuerySet[Organisation]:
    """A province's active bodies and other units registered in it; a regional centre
    implements its own schemes."""
    if user.role == Role.REGIONAL:
        return Organisation.objects.filter(pk=user.organisation_id)
    if province is None:
        return Organisation.objects.none()
    return Organisation.objects.filter(is_active=True, province__successor=province.successor_id)


def coordinating_units(user: User, provinces: QuerySet[Province]) -> QuerySet[Organisation]:
    """The units a scheme may work with: the bodies of the provinces it may be made for, the
    ministry's agency and the regional centres."""
    national = Q(kind__in=[Organisation.Kind.AGENCY, Organisation.Kind.REGIONAL_CENTRE])
    local = Q(province__successor__in=provinces.values("successor"))
    return Organisation.objects.filter(is_active=True).filter(national | local)


def default_implementing_unit(user: User, province: Province) -> Organisation | None:
    """A province's khuyến công centre; a regional centre itself."""
    if user.role == Role.REGIONAL:
        return user.organisation
    return Organisation.objects.filter(
        kind=Organisation.Kind.PROVINCIAL_CENTRE, province=province, is_active=True
    ).first()


def beneficiary_choices(user: User) -> QuerySet[Establishment]:
    return Establishment.objects.filter(province__in=provinces_visible_to(user)).select_related(
        "province"
    )


# The user's dossiers, by stage.


@dataclass
class Tab:
    key: str
    label: Promise
    statuses: tuple[str, ...]
    count: int = 0
    hint: Promise | str = ""


TABS = (
    ("draft", _("Nháp"), (S.DRAFT,), _("Đang soạn, chưa gửi đi.")),
    ("submitted", _("Đã gửi"), (S.SUBMITTED,), _("Chờ Sở Công Thương thẩm định cơ sở.")),
    ("returned", _("Trả lại"), (S.RETURNED,), _("Cần chỉnh sửa theo ý kiến rồi gửi lại.")),
    (
        "appraising",
        _("Đang thẩm định"),
        (S.BASE_APPRAISED, S.REGISTERED, S.APPRAISED),
        _("Đã qua Sở, đang đăng ký và thẩm định tại Cục."),
    ),
    ("approved", _("Đã phê duyệt"), tuple(Scheme.IN_PLAN), _("Có trong kế hoạch được duyệt.")),
    ("rejected", _("Không chấp thuận"), (S.REJECTED,), _("Không được đưa vào kế hoạch.")),
)


@dataclass
class Dossiers:
    tabs: list[Tab]
    current: Tab
    rows: QuerySet[Scheme] = field(repr=False)
    total: int = 0


def _count_of(model, **outer) -> Coalesce:
    rows = (
        model.objects.filter(**{key: OuterRef(value) for key, value in outer.items()})
        .order_by()
        .values(*outer)
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(rows, output_field=IntegerField()), Value(0))


def dossier_list(user: User, tab_key: str | None) -> Dossiers:
    """The user's dossiers: a count per tab (one query) and the rows of the tab asked for, or
    of the first tab that has any."""
    mine = schemes_owned_by(user)
    by_status = dict(
        mine.order_by().values_list("status").annotate(n=Count("pk")).values_list("status", "n")
    )
    tabs = [Tab(key, label, statuses, hint=hint) for key, label, statuses, hint in TABS]
    for tab in tabs:
        tab.count = sum(by_status.get(status, 0) for status in tab.statuses)
    by_key = {tab.key: tab for tab in tabs}
    current = by_key.get(tab_key or "") or next((t for t in tabs if t.count), tabs[0])
    rows = (
        mine.filter(status__in=current.statuses)
        .select_related("province", "implementing_unit")
        .annotate(
            attachment_count=_count_of(Attachment, scheme="pk"),
            comment_count=_count_of(Comment, scheme="pk"),
            line_count=_count_of(CostLine, scheme="pk"),
        )
        .order_by("-updated_at", "-pk")
    )
    return Dossiers(tabs=tabs, current=current, rows=rows, total=sum(by_status.values()))


# One dossier.


def dossier_get(user: User, pk: int) -> Scheme:
    """The scheme with all its page shows, if the user may see it; 404 otherwise."""
    schemes = (
        schemes_visible_to(user)
        .select_related("province__successor", "sector", "implementing_unit")
        .prefetch_related(
            Prefetch(
                "content_areas",
                queryset=ContentArea.objects.select_related("content_list"),
            ),
            "coordinating_units",
            Prefetch(
                "beneficiaries",
                queryset=Establishment.objects.select_related("sector", "province"),
            ),
            Prefetch("cost_lines", queryset=CostLine.objects.order_by("order", "pk")),
            Prefetch(
                "attachments",
                queryset=Attachment.objects.select_related("uploaded_by").order_by(
                    "uploaded_at", "pk"
                ),
            ),
            Prefetch(
                "comments",
                queryset=Comment.objects.select_related("author").order_by("created_at", "pk"),
            ),
            Prefetch(
                "status_changes",
                queryset=SchemeStatusChange.objects.select_related("by").order_by("at", "pk"),
            ),
            Prefetch(
                "progress_reports",
                queryset=ProgressReport.objects.select_related("reported_by"),
            ),
        )
        .annotate(first_signed_on=_first_signed_on())
    )
    return get_object_or_404(schemes, pk=pk)


def _first_signed_on() -> Subquery:
    """The day the scheme's first contract was signed (None before any)."""
    contracts = Contract.objects.filter(allocation__scheme=OuterRef("pk")).order_by("signed_on")
    return Subquery(contracts.values("signed_on")[:1])


# Progress reports.


@dataclass(frozen=True)
class ProgressRow:
    period: Period
    report: ProgressReport | None
    due: bool  # the month's report was owed by the day

    @property
    def state(self) -> str:
        """on_time, late, missing, or early (filed before its deadline had passed)."""
        if self.report is None:
            return "missing"
        if not self.due:
            return "early" if self.report.on_time else "late"
        return "on_time" if self.report.on_time else "late"


@dataclass(frozen=True)
class ProgressSchedule:
    rows: list[ProgressRow]  # newest month first
    due: int  # months owed by the day
    on_time: int  # of which reported by their deadline

    @property
    def missing(self) -> int:
        return sum(1 for row in self.rows if row.due and row.report is None)


def progress_schedule(scheme: Scheme, on: datetime.date) -> ProgressSchedule:
    """The months a scheme owed a report by `on` (while it is under way) and the reports it
    filed, each month once. Reads `scheme.progress_reports.all()` (prefetch it) and
    `scheme.first_signed_on` (SchemeQuerySet.with_money()): no query of its own."""
    reports = {
        Period(r.period_year, r.period_month): r
        for r in scheme.progress_reports.all()
        if r.submitted_on <= on
    }
    due = (
        due_periods(scheme.first_signed_on, scheme.end_date, on)
        if scheme.status in REPORTING
        else []
    )
    periods = sorted({*due, *reports}, reverse=True)
    owed = set(due)
    rows = [ProgressRow(period, reports.get(period), period in owed) for period in periods]
    on_time = sum(1 for row in rows if row.due and row.report and row.report.on_time)
    return ProgressSchedule(rows=rows, due=len(due), on_time=on_time)
