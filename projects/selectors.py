"""Reads for the scheme list, its exports and the scheme page.

The list answers the same question as the overview's figures: which schemes are in the year's
plan (an allocation in a plan of that year and fund, approved by a batch decided by the cut-off),
which of them are contracted, which have money out. The sets are built from
`dashboard.selectors.allocations_for`, the very queryset the overview counts, so that a KPI card
and the list it links to cannot disagree."""

import datetime
from dataclasses import dataclass, replace
from decimal import Decimal
from itertools import pairwise

from django.core.exceptions import EmptyResultSet
from django.db import connection, models
from django.db.models import (
    Case,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, NullIf
from django.shortcuts import get_object_or_404
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from budgets.models import Allocation, Contract, Disbursement, money_sum
from core.money import format_number, format_vnd, rate
from dashboard.selectors import ProgrammeFilter, allocations_for, money_rows
from establishments.models import Establishment
from projects.models import Scheme, SchemeQuerySet, SchemeStatusChange, money_source
from projects.permissions import schemes_visible_to
from provinces.models import Province, ProvinceMap
from reference.models import ContentArea

# The workflow order of the statuses, so that sorting by status reads like the scheme's life.
STATUS_ORDER = {status: index for index, status in enumerate(Scheme.Status.values)}
ACCEPTED_STATUSES = (
    Scheme.Status.ACCEPTED,
    Scheme.Status.LIQUIDATED,
    Scheme.Status.SETTLED,
)


class Stage(models.TextChoices):
    """How far along the money chain a scheme of the year's plan is (the overview's funnel);
    `pending` are the year's schemes not (yet) in the plan."""

    APPROVED = "approved", _("Được phê duyệt trong kế hoạch")
    CONTRACTED = "contracted", _("Đã ký hợp đồng / giao nhiệm vụ")
    DISBURSED = "disbursed", _("Đã giải ngân")
    ACCEPTED = "accepted", _("Đã nghiệm thu")
    SETTLED = "settled", _("Đã quyết toán")
    PENDING = "pending", _("Chưa được phê duyệt (đang xét, nháp)")


def list_programme(programme: ProgrammeFilter, today: datetime.date) -> ProgrammeFilter:
    """The programme with its cut-off made explicit: the date asked for, else 31/12 of the
    year, or today if that comes first (a schedule is measured against today, not the future)."""
    if programme.as_of is not None:
        return programme
    return replace(programme, as_of=min(datetime.date(programme.year, 12, 31), today))


# -- the sets the overview counts ------------------------------------------------------------------


def in_plan_q(programme: ProgrammeFilter) -> Q:
    """Schemes with an allocation in the year's plans (of the fund) approved by the cut-off.

    Only a scheme of the year, or a pilot scheme of an earlier year, can be funded from the
    year's plans (budgets.services.allocation_set): said on the scheme's own columns, so that
    the database reads the year's schemes instead of sorting every scheme by code and probing
    the plans for each until a page is full (codes follow the years)."""
    year = programme.year
    own_columns = Q(plan_year=year) | Q(kind=Scheme.Kind.PILOT, plan_year__lt=year)
    return own_columns & Q(pk__in=money_rows(programme).values("scheme"))


def pending_q(programme: ProgrammeFilter) -> Q:
    """Schemes made for the year (and fund) that are not in its plan by the cut-off."""
    q = Q(plan_year=programme.year) & ~in_plan_q(programme)
    if programme.fund:
        q &= Q(fund=programme.fund)
    return q


def _contracts(programme: ProgrammeFilter) -> QuerySet[Contract]:
    return Contract.objects.filter(
        allocation__in=allocations_for(programme), signed_on__lte=programme.cutoff
    )


def _money_source(programme: ProgrammeFilter) -> str | None:
    return money_source(programme.cutoff, programme.year)


def contracted_q(programme: ProgrammeFilter) -> Q:
    """Schemes with a contract or task assignment signed by the cut-off on the year's plan."""
    source = _money_source(programme)
    if source is not None:
        column = "contracted_year_end" if source == "year_end" else "contracted"
        return Q(pk__in=money_rows(programme).filter(**{f"{column}__gt": 0}).values("scheme"))
    return Q(pk__in=_contracts(programme).values("allocation__scheme"))


def disbursed_q(programme: ProgrammeFilter) -> Q:
    """Schemes whose net disbursement (advances + payments − refunds) by the cut-off is > 0."""
    source = _money_source(programme)
    if source is not None:
        # An allocation's net is never negative: a scheme's is > 0 when one of them is.
        column = "disbursed_year_end" if source == "year_end" else "disbursed"
        return Q(pk__in=money_rows(programme).filter(**{f"{column}__gt": 0}).values("scheme"))
    scheme = "contract__allocation__scheme"
    net = (
        Disbursement.objects.filter(
            contract__in=_contracts(programme), paid_on__lte=programme.cutoff
        )
        .order_by()
        .values(scheme)
        .annotate(net=Sum(Disbursement.signed_amount()))
        .filter(net__gt=0)
        .values(scheme)
    )
    return Q(pk__in=net)


def paid_in_month_q(programme: ProgrammeFilter, month: datetime.date) -> Q:
    """Schemes with a ledger entry (of the year's plan) dated in the month starting at `month`."""
    end = (month.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
    ledger = Disbursement.objects.filter(
        contract__allocation__in=allocations_for(programme),
        paid_on__gte=month,
        paid_on__lt=end,
    )
    return Q(pk__in=ledger.values("contract__allocation__scheme"))


def stage_q(programme: ProgrammeFilter, stage: str) -> Q:
    if stage == Stage.PENDING:
        return pending_q(programme)
    q = in_plan_q(programme)
    if stage == Stage.CONTRACTED:
        q &= contracted_q(programme)
    elif stage == Stage.DISBURSED:
        q &= disbursed_q(programme)
    elif stage == Stage.ACCEPTED:
        q &= Q(status__in=ACCEPTED_STATUSES)
    elif stage == Stage.SETTLED:
        q &= Q(status=Scheme.Status.SETTLED)
    return q


# -- the list --------------------------------------------------------------------------------------


def scheme_rows(schemes: QuerySet[Scheme], programme: ProgrammeFilter) -> SchemeQuerySet:
    """The one prepared queryset of the list and its exports: the given (visible) schemes in
    the programme's place, content area and sector, with money and schedule as of the cut-off,
    and everything a row shows joined or prefetched. Year, fund and stage come from the list's
    filters (`projects.filters.SchemeFilter`), which always apply a stage."""
    status_order = Case(
        *(When(status=status, then=Value(index)) for status, index in STATUS_ORDER.items()),
        output_field=models.IntegerField(),
    )
    first_area = ContentArea.objects.filter(schemes=OuterRef("pk")).order_by("number")
    return (
        schemes.filter(programme.scheme_q(prefix=""))
        .with_schedule(programme.cutoff, plan_year=programme.year)
        .select_related("province__successor", "province__region", "sector", "implementing_unit")
        .prefetch_related(
            Prefetch("content_areas", queryset=ContentArea.objects.order_by("number"))
        )
        .alias(
            status_order=status_order,
            first_area=Subquery(first_area.values("number")[:1]),
            # Per ten thousand, integer arithmetic on both databases; -1 when nothing approved.
            rate_order=Coalesce(
                models.F("disbursed") * 10000 / NullIf(models.F("approved"), Value(Decimal(0))),
                Value(Decimal(-1)),
                output_field=models.DecimalField(max_digits=30, decimal_places=0),
            ),
        )
    )


@dataclass(frozen=True)
class ListTotals:
    count: int
    approved: Decimal
    contracted: Decimal
    disbursed: Decimal

    @property
    def disbursed_rate(self) -> Decimal | None:
        return rate(self.disbursed, self.approved)

    @property
    def contracted_rate(self) -> Decimal | None:
        return rate(self.contracted, self.approved)


def scheme_totals(rows: QuerySet[Scheme]) -> ListTotals:
    """Row count and money totals of every filtered row (all pages), in one query: one grouped
    aggregate over the summary table when the rows' money comes from it."""
    figures = rows.money_totals()
    names = ("approved", "contracted", "disbursed")
    return ListTotals(
        count=figures["count"], **{name: Decimal(figures[name] or 0) for name in names}
    )


def list_years(schemes: QuerySet[Scheme], current: int) -> list[int]:
    """The plan years with schemes the user can see, newest first, the current one included."""
    # A loose index scan (one query): from the smallest year, each step asks for the smallest
    # year after it, an index probe, rather than a DISTINCT over every scheme (a scan of the
    # whole table at national scale).
    try:
        sql, params = schemes.order_by().values("plan_year").query.sql_with_params()
    except EmptyResultSet:  # none() for a user who may see nothing
        return [current]
    first = f"SELECT MIN(s.plan_year) FROM ({sql}) s"  # noqa: S608
    after = f"SELECT MIN(s.plan_year) FROM ({sql}) s WHERE s.plan_year > years.y"  # noqa: S608
    statement = (
        f"WITH RECURSIVE years(y) AS ({first} UNION ALL SELECT ({after}) FROM years "  # noqa: S608
        "WHERE years.y IS NOT NULL) SELECT y FROM years WHERE y IS NOT NULL"
    )
    with connection.cursor() as cursor:
        cursor.execute(statement, (*params, *params))
        years = {row[0] for row in cursor.fetchall()}
    return sorted(years | {current}, reverse=True)


# -- the scheme page -------------------------------------------------------------------------------


def scheme_get_for_page(user: User, pk: int, today: datetime.date) -> Scheme:
    """The scheme with everything its page shows, or 404 if the user may not see it."""
    contracts = (
        Contract.objects.select_related("contractor")
        .annotate(net=money_sum(Disbursement.signed_amount("disbursements__")))
        .order_by("signed_on", "number")
    )
    queryset = (
        schemes_visible_to(user)
        .with_schedule(today)
        .select_related("province__successor", "province__region", "sector", "implementing_unit")
        .prefetch_related(
            Prefetch("content_areas", queryset=ContentArea.objects.select_related("content_list")),
            "coordinating_units",
            Prefetch(
                "beneficiaries",
                queryset=Establishment.objects.select_related("province", "sector"),
            ),
            Prefetch(
                "allocations",
                queryset=Allocation.objects.select_related("plan", "batch").order_by("plan__year"),
            ),
            Prefetch("allocations__contracts", queryset=contracts),
            Prefetch(
                "allocations__contracts__disbursements",
                queryset=Disbursement.objects.order_by("paid_on", "pk"),
            ),
            # The monthly progress reports (submissions.ProgressReport, reached by name: that
            # app comes after this one).
            "progress_reports__reported_by",
        )
    )
    return get_object_or_404(queryset, pk=pk)


@dataclass(frozen=True)
class MoneyChain:
    """A scheme's money from approval to what is left, as of one day."""

    as_of: datetime.date
    approved: Decimal
    contracted: Decimal
    advances: Decimal
    payments: Decimal
    refunds: Decimal
    disbursed: Decimal
    expected: Decimal
    lag: Decimal
    behind: bool

    @property
    def remaining(self) -> Decimal:
        """Approved support not (yet) disbursed."""
        return self.approved - self.disbursed

    @property
    def contracted_rate(self) -> Decimal | None:
        return rate(self.contracted, self.approved)

    @property
    def disbursed_rate(self) -> Decimal | None:
        return rate(self.disbursed, self.approved)

    @property
    def lag_rate(self) -> Decimal | None:
        return rate(self.lag, self.contracted)

    @property
    def disbursed_share(self) -> Decimal:
        """Disbursed ÷ contracted, in per cent, within 0–100: the length of the progress bar."""
        return min(max(rate(self.disbursed, self.contracted) or Decimal(0), Decimal(0)), 100)

    @property
    def expected_share(self) -> Decimal:
        """Expected ÷ contracted, in per cent: where the schedule's mark sits on the bar."""
        return min(max(rate(self.expected, self.contracted) or Decimal(0), Decimal(0)), 100)


def scheme_money_chain(scheme: Scheme, as_of: datetime.date) -> MoneyChain:
    """The money chain of a scheme fetched by `scheme_get_for_page` (one query for the ledger
    by kind; the rest are the scheme's annotations)."""
    kind = Disbursement.Kind
    ledger = Disbursement.objects.filter(contract__allocation__scheme=scheme, paid_on__lte=as_of)
    sums = ledger.aggregate(
        advances=money_sum("amount", kind=kind.ADVANCE),
        payments=money_sum("amount", kind=kind.PAYMENT),
        refunds=money_sum("amount", kind=kind.REFUND),
    )
    return MoneyChain(
        as_of=as_of,
        approved=scheme.approved,
        contracted=scheme.contracted,
        disbursed=scheme.disbursed,
        expected=scheme.expected,
        lag=scheme.lag,
        behind=bool(scheme.behind),
        **sums,
    )


@dataclass(frozen=True)
class StatusChange:
    when: datetime.datetime
    user: User | None
    old: str | None
    new: str
    reason: str = ""
    decision_number: str = ""


def scheme_status_timeline(scheme: Scheme) -> list[StatusChange]:
    """The scheme's steps, oldest first: the workflow's own record (who, when, from, to, why)
    where there is one; for schemes brought in by import or seeding, which have none, the
    history rows where the status changed. One or two queries."""
    labels = dict(Scheme.Status.choices)
    steps = [
        StatusChange(
            when=change.at,
            user=change.by,
            old=labels.get(change.from_status),
            new=labels.get(change.to_status, change.to_status),
            reason=change.reason,
            decision_number=change.decision_number,
        )
        for change in SchemeStatusChange.objects.filter(scheme=scheme)
        .select_related("by")
        .order_by("at", "pk")
    ]
    if steps:
        return steps
    rows = (
        scheme.history.select_related("history_user")
        .only("history_date", "history_type", "status", "history_user")
        .order_by("history_date", "history_id")
    )
    changes: list[StatusChange] = []
    previous = None
    for row in rows:
        if row.history_type != "-" and row.status != previous:
            changes.append(
                StatusChange(
                    when=row.history_date,
                    user=row.history_user,
                    old=labels.get(previous) if previous else None,
                    new=labels.get(row.status, row.status),
                )
            )
        previous = row.status
    return changes


@dataclass(frozen=True)
class FieldChange:
    label: str
    old: str
    new: str


@dataclass(frozen=True)
class ChangeEntry:
    when: datetime.datetime
    user: User | None
    created: bool
    changes: list[FieldChange]


_M2M = ("content_areas", "coordinating_units", "beneficiaries")


def _m2m_accessor(history_model, name: str) -> str:
    relation = history_model._meta.get_field(f"{history_model._meta.model_name}_{name}")
    return relation.get_accessor_name()


def _related_name(obj) -> str:
    return str(obj) if obj is not None else "—"


def scheme_change_log(scheme: Scheme, limit: int = 20) -> list[ChangeEntry]:
    """Who changed what, newest first: the last `limit` history rows, each diffed against the
    row before it (`diff_against`), with many-to-many fields compared from prefetched
    snapshots and foreign keys named with one query per model that changed."""
    history_model = scheme.history.model
    accessors = {name: _m2m_accessor(history_model, name) for name in _M2M}
    target = {"content_areas": "contentarea", "coordinating_units": "organisation"}
    target["beneficiaries"] = "establishment"
    rows = list(
        scheme.history.select_related("history_user")
        .prefetch_related(*(f"{accessors[name]}__{target[name]}" for name in _M2M))
        .order_by("-history_date", "-history_id")[: limit + 1]
    )
    rows.reverse()
    diffs: list[tuple[object, list]] = []
    if rows and rows[0].history_type == "+":
        diffs.append((rows[0], []))
    for previous, record in pairwise(rows):
        delta = record.diff_against(previous, excluded_fields=_M2M)
        m2m = []
        for name in _M2M:
            old = {getattr(r, target[name]) for r in getattr(previous, accessors[name]).all()}
            new = {getattr(r, target[name]) for r in getattr(record, accessors[name]).all()}
            if old != new:
                m2m.append((name, sorted(old, key=str), sorted(new, key=str)))
        diffs.append((record, [*delta.changes, *m2m]))

    # Foreign keys come as ids: name them with one query per related model.
    wanted: dict[type, set] = {}
    for _record, changes in diffs:
        for change in changes:
            if isinstance(change, tuple):
                continue
            field = Scheme._meta.get_field(change.field)
            if field.is_relation:
                wanted.setdefault(field.related_model, set()).update({change.old, change.new})
    named = {model: model.objects.in_bulk(ids - {None}) for model, ids in wanted.items()}

    entries = [
        ChangeEntry(
            when=record.history_date,
            user=record.history_user,
            created=record.history_type == "+" and not changes,
            changes=[_describe(change, named) for change in changes],
        )
        for record, changes in diffs
    ]
    entries.reverse()
    return entries[:limit]


def _describe(change, named: dict) -> FieldChange:
    if isinstance(change, tuple):
        name, old, new = change
        field = Scheme._meta.get_field(name)
        return FieldChange(
            label=capfirst(field.verbose_name),
            old="; ".join(map(str, old)) or "—",
            new="; ".join(map(str, new)) or "—",
        )
    field = Scheme._meta.get_field(change.field)
    return FieldChange(
        label=capfirst(field.verbose_name),
        old=_show(field, change.old, named),
        new=_show(field, change.new, named),
    )


def _show(field, value, named: dict) -> str:
    if value is None or value == "":
        return "—"
    if field.is_relation:
        return _related_name(named.get(field.related_model, {}).get(value))
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(field, models.DecimalField):
        return format_vnd(value)
    if isinstance(value, int):
        return format_number(value) if field.name != "plan_year" else str(value)
    text = str(value)
    return text if len(text) <= 200 else text[:199] + "…"


def province_on_map(province: Province, map_version: str) -> Province:
    """The unit a record's province is shown as on a map: itself, or its successor on the 34."""
    if map_version == ProvinceMap.NEW_34 and province.successor_id:
        return province.successor
    return province
