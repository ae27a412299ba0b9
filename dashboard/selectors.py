"""Aggregates across apps for the dashboard, the reports and the public API, each in a fixed
number of queries whatever the data size.

The figures are read from the summary table (budgets.summary.AllocationMoney: one row per
allocation, kept by the money services' transactions) when the cutoff is 31 December of the
plan year or any day from today on, which is what the pages ask for unless the user picks a
day; an earlier day reads the contracts and the ledger (exact, and slower). Both give the same
figures: the table is computed by the ledger path's own expressions (tests/budgets)."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, ExtractMonth

from budgets.models import (
    ZERO,
    Allocation,
    AnnualPlan,
    Contract,
    ContractAmendment,
    Disbursement,
    money_sum,
)
from budgets.rollup import BOTH_FUNDS, YearRollup
from budgets.summary import AllocationMoney
from core.db import day_number
from core.money import rate
from projects.models import (
    Scheme,
    approved_changed_after,
    ledger_money,
    money_source,
    schedule_expressions,
)
from provinces.models import Province, ProvinceMap, Region, map_on
from reference.models import ContentArea, Sector


@dataclass(frozen=True)
class ProgrammeFilter:
    """Which part of the programme a figure is about. `province` is read on `province_map`:
    on the 34-unit map it takes in the records of the old provinces merged into it."""

    year: int
    fund: str | None = None
    region: Region | None = None
    province: Province | None = None
    province_map: str | None = None
    content_area: ContentArea | None = None
    sector: Sector | None = None
    as_of: datetime.date | None = None

    @property
    def display_map(self) -> str:
        """The province map aggregates are shown on: the one asked for, else the one in force
        at the end of the year."""
        return self.province_map or map_on(datetime.date(self.year, 12, 31))

    @property
    def cutoff(self) -> datetime.date:
        """The day the figures are taken on: by default the year's disbursement deadline."""
        return self.as_of or datetime.date(self.year, 12, 31)

    def scheme_q(self, prefix: str = "scheme__") -> Q:
        q = Q()
        if self.region is not None:
            q &= Q(**{f"{prefix}province__region": self.region})
        if self.province is not None:
            if self.province_map == ProvinceMap.NEW_34:
                q &= Q(**{f"{prefix}province__successor": self.province})
            else:
                q &= Q(**{f"{prefix}province": self.province})
        if self.content_area is not None:
            q &= Q(**{f"{prefix}content_areas": self.content_area})
        if self.sector is not None:
            q &= Q(**{f"{prefix}sector": self.sector})
        return q


@dataclass(frozen=True)
class ProgrammeSummary:
    budget: Decimal
    schemes_approved: int
    schemes_contracted: int
    contracted: Decimal
    disbursed: Decimal
    schemes_disbursed: int

    @property
    def contracted_rate(self) -> Decimal | None:
        """Schemes contracted ÷ schemes approved, in per cent."""
        return rate(self.schemes_contracted, self.schemes_approved)

    @property
    def disbursed_rate(self) -> Decimal | None:
        """Money disbursed ÷ budget approved (not ÷ contracted), in per cent."""
        return rate(self.disbursed, self.budget)


def allocations_for(programme: ProgrammeFilter) -> QuerySet[Allocation]:
    """The approved support of the schemes in the year's plans, as approved by the cutoff."""
    allocations = Allocation.objects.filter(
        programme.scheme_q(),
        plan__year=programme.year,
        batch__decision_date__lte=programme.cutoff,
    )
    if programme.fund:
        allocations = allocations.filter(plan__fund=programme.fund)
    return allocations


def programme_summary(programme: ProgrammeFilter) -> ProgrammeSummary:
    """The headline figures: budget approved, schemes approved, schemes contracted, money
    disbursed (advances + payments − refunds) and schemes with disbursement (1 query from the
    summary table, 4 from the ledger for a day before the year end)."""
    return visible_summary(programme)


# -- the summary table ---------------------------------------------------------------------------

# Where the summary table's columns for a scheme's place are: the province is copied on each
# row, the rest is the scheme's.
SUMMARY_PATHS = {
    "scheme__province__region": "province__region",
    "scheme__province__successor": "province__successor",
    "scheme__province": "province",
}


def _summary_path(path: str) -> str:
    for scheme_path, own in SUMMARY_PATHS.items():
        if path == scheme_path or path.startswith(scheme_path + "__"):
            return own + path[len(scheme_path) :]
    return path


def _columns(source: str) -> dict[str, str]:
    """The summary table's columns of the figures as of the day `money_source` chose."""
    end = "_year_end" if source == "year_end" else ""
    return {name: f"{name}{end}" for name in ("approved", "contracted", "disbursed")}


def money_rows(
    programme: ProgrammeFilter, visible: QuerySet[Scheme] | None = None, *, every_year=False
) -> QuerySet[AllocationMoney]:
    """The summary rows of allocations_for(programme) (of every year if `every_year`, without
    the cutoff), narrowed to the schemes the user may see."""
    condition = Q()
    for child in programme.scheme_q().children:
        path, value = child
        condition &= Q(**{_summary_path(path): value})
    rows = AllocationMoney.objects.filter(condition).order_by()
    if not every_year:
        rows = rows.filter(plan_year=programme.year, decision_date__lte=programme.cutoff)
    if programme.fund:
        rows = rows.filter(fund=programme.fund)
    if visible is not None:
        rows = rows.filter(scheme__in=visible.values("pk"))
    return rows


def _summary_figures(columns: dict[str, str]) -> dict:
    contracted, disbursed = columns["contracted"], columns["disbursed"]
    return {
        "budget": money_sum(columns["approved"]),
        "schemes_approved": Count("scheme", distinct=True),
        "schemes_contracted": Count("scheme", distinct=True, filter=Q(**{f"{contracted}__gt": 0})),
        "contracted": money_sum(contracted),
        "disbursed": money_sum(disbursed),
        # An allocation's net disbursement is never negative (a refund cannot exceed what was
        # paid out), so a scheme has disbursement when one of its allocations has.
        "schemes_disbursed": Count("scheme", distinct=True, filter=Q(**{f"{disbursed}__gt": 0})),
    }


def summary_of(allocations: QuerySet[Allocation], cutoff: datetime.date) -> ProgrammeSummary:
    """The headline figures of any set of allocations, counted up to `cutoff` (4 queries)."""
    approved = allocations.annotate(on_cutoff=_approved_on(cutoff)).aggregate(
        budget=money_sum("on_cutoff"), schemes=Count("scheme", distinct=True)
    )
    contracts = Contract.objects.filter(allocation__in=allocations, signed_on__lte=cutoff)
    contracted = contracts.annotate(on_cutoff=_contract_value_on(cutoff)).aggregate(
        value=money_sum("on_cutoff"), schemes=Count("allocation__scheme", distinct=True)
    )
    ledger = Disbursement.objects.filter(contract__in=contracts, paid_on__lte=cutoff)
    disbursed = ledger.aggregate(total=money_sum(Disbursement.signed_amount()))["total"]
    schemes_disbursed = (
        ledger.values("contract__allocation__scheme")
        .annotate(net=money_sum(Disbursement.signed_amount()))
        .filter(net__gt=0)
        .count()
    )
    return ProgrammeSummary(
        budget=approved["budget"],
        schemes_approved=approved["schemes"],
        schemes_contracted=contracted["schemes"],
        contracted=contracted["value"],
        disbursed=disbursed,
        schemes_disbursed=schemes_disbursed,
    )


@dataclass(frozen=True)
class YearFigures:
    year: int
    fund: str
    summary: ProgrammeSummary


def programme_by_year(fund: str | None = None) -> list[YearFigures]:
    """The headline figures of every plan year, newest first (1 query whatever the years),
    each year's disbursement counted up to its own 31 December."""
    return _rollup_by_year(Q(), fund)


def _rollup_by_year(condition: Q, fund: str | None) -> list[YearFigures]:
    """_figures_by_year() of every summary row, or of those of some provinces (`condition` on
    the province), from the per-year rollup: a few rows per year and province, whose figures
    add up over provinces (budgets.rollup)."""
    figures = (
        YearRollup.objects.filter(condition, fund=fund or BOTH_FUNDS)
        .order_by()
        .values("plan_year")
        .annotate(
            budget=money_sum("budget"),
            schemes_approved=Sum("schemes_approved"),
            schemes_contracted=Sum("schemes_contracted"),
            contracted=money_sum("contracted"),
            disbursed=money_sum("disbursed"),
            schemes_disbursed=Sum("schemes_disbursed"),
        )
        .order_by("-plan_year")
    )
    return [
        YearFigures(year=row.pop("plan_year"), fund=fund or "all", summary=ProgrammeSummary(**row))
        for row in figures
    ]


def figures_by_year(allocations: QuerySet[Allocation], fund: str = "all") -> list[YearFigures]:
    """programme_by_year() for any set of allocations (1 query), newest first."""
    return _figures_by_year(AllocationMoney.objects.filter(allocation__in=allocations), fund)


def _figures_by_year(rows: QuerySet[AllocationMoney], fund: str) -> list[YearFigures]:
    # Every allocation of the year, whatever its decision date, as of the year's 31 December.
    figures = (
        rows.order_by()
        .values("plan_year")
        .annotate(**_summary_figures(_columns("year_end")))
        .order_by("-plan_year")
    )
    return [
        YearFigures(year=row.pop("plan_year"), fund=fund, summary=ProgrammeSummary(**row))
        for row in figures
    ]


# The overview and province pages. Each function takes the part of the programme a page shows
# and `visible`, the schemes the user may see (schemes_visible_to), or None for staff who see
# every scheme, in which case the figures are exactly those of programme_summary() and the API.
# Each runs one query, whatever the data size.

# Statuses that count as "accepted" in the status funnel (accepted, then liquidated, settled).
ACCEPTED_STATUSES = (Scheme.Status.ACCEPTED, Scheme.Status.LIQUIDATED, Scheme.Status.SETTLED)


def scoped_allocations(
    programme: ProgrammeFilter, visible: QuerySet[Scheme] | None = None
) -> QuerySet[Allocation]:
    """allocations_for(programme), narrowed to the schemes the user may see."""
    allocations = allocations_for(programme).order_by()
    if visible is not None:
        allocations = allocations.filter(scheme__in=visible.values("pk"))
    return allocations


def visible_summary(
    programme: ProgrammeFilter, visible: QuerySet[Scheme] | None = None
) -> ProgrammeSummary:
    """programme_summary() of what the user may see (1 query, 4 on the ledger path)."""
    source = money_source(programme.cutoff, programme.year)
    if source is None:
        return summary_of(scoped_allocations(programme, visible), programme.cutoff)
    figures = money_rows(programme, visible).aggregate(**_summary_figures(_columns(source)))
    return ProgrammeSummary(**figures)


def plan_years(visible: QuerySet[Scheme] | None = None) -> list[int]:
    """The years that have allocations the user may see, oldest first."""
    allocations = Allocation.objects.filter(plan=OuterRef("pk"))
    if visible is not None:
        allocations = allocations.filter(scheme__in=visible.values("pk"))
    plans = AnnualPlan.objects.order_by().filter(Exists(allocations))
    return sorted(set(plans.values_list("year", flat=True)))


@dataclass(frozen=True)
class ScheduleFigures:
    """Where the programme's schemes stand on the cutoff: `contracted` schemes (a contract
    signed by then), those `behind` a linear schedule (SchemeQuerySet.with_schedule), and by
    current status those `accepted` (or later) and `settled`."""

    contracted: int
    behind: int
    accepted: int
    settled: int

    @property
    def behind_rate(self) -> Decimal | None:
        """Schemes behind schedule ÷ schemes contracted, in per cent."""
        return rate(self.behind, self.contracted)


def _programme_schemes(
    programme: ProgrammeFilter, visible: QuerySet[Scheme] | None
) -> QuerySet[Scheme]:
    allocations = scoped_allocations(programme, visible)
    return Scheme.objects.filter(pk__in=allocations.values("scheme")).order_by()


def _schedule_rows(
    programme: ProgrammeFilter, visible: QuerySet[Scheme] | None, on: datetime.date, source: str
) -> QuerySet[AllocationMoney]:
    """Per scheme of the programme: its money in the year's plans and where it stands on
    `on`, as SchemeQuerySet.with_schedule(on, plan_year=year) computes it, from the summary
    rows, with `behind` as 1 or 0."""
    columns = _columns(source)
    deadline = Value(day_number(datetime.date(programme.year, 12, 31)))
    schemes = money_rows(programme, visible).values("scheme")
    grouped = (
        AllocationMoney.objects.filter(plan_year=programme.year, scheme__in=schemes)
        .order_by()
        .values("scheme", "scheme__code", "scheme__status")
        .annotate(
            c=Sum(columns["contracted"]),
            f=Min("first_signed_on"),
            d=Sum(columns["disbursed"]),
        )
    )
    lag = schedule_expressions(F("c"), F("f"), F("d"), on, deadline)["lag"]
    margin = settings.BEHIND_SCHEDULE_MARGIN_PERCENT
    return grouped.annotate(lag=lag).annotate(
        behind=Case(
            When(Q(c__gt=0) & Q(lag__gt=F("c") * margin / 100), then=Value(1)),
            default=Value(0),
            output_field=IntegerField(),
        )
    )


def schedule_figures(
    programme: ProgrammeFilter,
    visible: QuerySet[Scheme] | None = None,
    on: datetime.date | None = None,
) -> ScheduleFigures:
    """Schemes contracted, behind schedule, accepted and settled (1 query), measured on `on`
    (by default the programme's cutoff; pages pass today in a year still running)."""
    on = on or programme.cutoff
    source = money_source(on, programme.year)
    if source is not None:
        flag = IntegerField()
        rows = _schedule_rows(programme, visible, on, source).annotate(
            is_contracted=Case(When(c__gt=0, then=Value(1)), default=Value(0), output_field=flag),
            is_accepted=Case(
                When(scheme__status__in=ACCEPTED_STATUSES, then=Value(1)),
                default=Value(0),
                output_field=flag,
            ),
            is_settled=Case(
                When(scheme__status=Scheme.Status.SETTLED, then=Value(1)),
                default=Value(0),
                output_field=flag,
            ),
        )
        counts = rows.aggregate(
            n_contracted=Coalesce(Sum("is_contracted"), 0),
            n_behind=Coalesce(Sum("behind"), 0),
            n_accepted=Coalesce(Sum("is_accepted"), 0),
            n_settled=Coalesce(Sum("is_settled"), 0),
        )
        return ScheduleFigures(
            contracted=counts["n_contracted"],
            behind=counts["n_behind"],
            accepted=counts["n_accepted"],
            settled=counts["n_settled"],
        )
    schemes = _programme_schemes(programme, visible).with_schedule(on, plan_year=programme.year)
    # Grouped by a constant rather than aggregate(): aggregate() wraps the annotated query in a
    # subquery, and on SQLite the outer filters then compare the decimals wrongly.
    counts = (
        schemes.annotate(everything=Value(1))
        .values("everything")
        .annotate(
            n_contracted=Count("pk", filter=Q(contracted__gt=0)),
            n_behind=Count("pk", filter=Q(behind=True)),
            n_accepted=Count("pk", filter=Q(status__in=ACCEPTED_STATUSES)),
            n_settled=Count("pk", filter=Q(status=Scheme.Status.SETTLED)),
        )
        .values_list("n_contracted", "n_behind", "n_accepted", "n_settled")
    )
    row = next(iter(counts), (0, 0, 0, 0))
    return ScheduleFigures(*row)


def schemes_most_behind(
    programme: ProgrammeFilter,
    visible: QuerySet[Scheme] | None = None,
    limit: int = 10,
    on: datetime.date | None = None,
) -> list[Scheme]:
    """The schemes furthest behind schedule on `on` (by default the cutoff), largest lag first,
    each annotated with contracted, disbursed, expected and lag (2 queries: the summary table
    picks them, with_schedule() annotates those; 1 query on the ledger path)."""
    on = on or programme.cutoff
    source = money_source(on, programme.year)
    schemes = _programme_schemes(programme, visible)
    if source is not None:
        furthest = (
            _schedule_rows(programme, visible, on, source)
            .filter(behind=1)
            .order_by("-lag", "scheme__code")
            .values_list("scheme", flat=True)[:limit]
        )
        schemes = Scheme.objects.filter(pk__in=list(furthest))
    schemes = schemes.with_schedule(on, plan_year=programme.year)
    return list(
        schemes.filter(behind=True).select_related("province").order_by("-lag", "code")[:limit]
    )


def monthly_cumulative(
    programme: ProgrammeFilter, visible: QuerySet[Scheme] | None = None, previous_years: int = 3
) -> list[dict]:
    """Money disbursed to the end of each month of the year, for the programme's year and the
    `previous_years` before it (same filters), as rows {year, month, cumulative} (1 query).

    Each year counts as programme_summary() does with that year's own cutoff (the programme's
    cutoff for its year, never later than 31 December; 31 December for the years before), so
    the December point of the programme's year is the "disbursed" figure. The database groups
    the entries by (year, month) and the running total is added up over those rows (at most 12
    a year); a month without payments has no row."""
    last = min(programme.cutoff, datetime.date(programme.year, 12, 31))
    if money_source(last, programme.year) is not None:
        return _monthly_from_summary(programme, visible, previous_years, last)
    plan_year = F("contract__allocation__plan__year")
    per_year = Q()
    for year in range(programme.year - previous_years, programme.year + 1):
        cutoff = datetime.date(year, 12, 31)
        if year == programme.year:
            cutoff = min(programme.cutoff, cutoff)
        per_year |= Q(
            contract__allocation__plan__year=year,
            contract__allocation__batch__decision_date__lte=cutoff,
            contract__signed_on__lte=cutoff,
            paid_on__lte=cutoff,
        )
    ledger = Disbursement.objects.filter(
        per_year, programme.scheme_q("contract__allocation__scheme__")
    )
    if programme.fund:
        ledger = ledger.filter(contract__allocation__plan__fund=programme.fund)
    if visible is not None:
        ledger = ledger.filter(contract__allocation__scheme__in=visible.values("pk"))
    # An advance paid before the plan year began counts in its January.
    month = Case(
        When(paid_on__year__lt=plan_year, then=Value(1)),
        default=ExtractMonth("paid_on"),
        output_field=IntegerField(),
    )
    # Grouped by (year, month) in the database; the running total over those few rows here.
    months = (
        ledger.order_by()
        .annotate(year=plan_year, month=month)
        .values("year", "month")
        .annotate(net=Sum(Disbursement.signed_amount()))
        .order_by("year", "month")
    )
    rows, running = [], {}
    for row in months:
        year = row["year"]
        running[year] = running.get(year, Decimal(0)) + row["net"]
        rows.append({"year": year, "month": row["month"], "cumulative": running[year]})
    return rows


def _monthly_from_summary(
    programme: ProgrammeFilter,
    visible: QuerySet[Scheme] | None,
    previous_years: int,
    last: datetime.date,
) -> list[dict]:
    """monthly_cumulative() from the month-end columns of the summary table (1 query over the
    years' rows, none of the ledger). A month whose net change is nil has no row, as a month
    without payments on the ledger path (the curve is the same)."""
    first = programme.year - previous_years
    rows = money_rows(programme, visible, every_year=True).filter(
        plan_year__gte=first, plan_year__lte=programme.year
    )
    per_year = Q()
    for year in range(first, programme.year + 1):
        cutoff = last if year == programme.year else datetime.date(year, 12, 31)
        per_year |= Q(plan_year=year, decision_date__lte=cutoff)
    months = {f"m{month:02d}": money_sum(f"disbursed_m{month:02d}") for month in range(1, 12)}
    sums = (
        rows.filter(per_year)
        .values("plan_year")
        .annotate(**months, m12=money_sum("disbursed_year_end"))
        .order_by("plan_year")
    )
    points = []
    for row in sums:
        year, previous = row["plan_year"], Decimal(0)
        until = last.month if year == programme.year else 12
        for month in range(1, until + 1):
            cumulative = row[f"m{month:02d}"]
            if cumulative != previous:
                points.append({"year": year, "month": month, "cumulative": cumulative})
            previous = cumulative
    return points


def _approved_on(cutoff: datetime.date):
    """An allocation's amount on `cutoff`: now, less the changes decided after it."""
    return F("amount") - approved_changed_after(Allocation, "pk", OuterRef("pk"), cutoff)


def _contract_value_on(cutoff: datetime.date):
    """A contract's value on `cutoff`: now, less the amendments signed after it."""
    later = (
        ContractAmendment.objects.filter(contract=OuterRef("pk"), signed_on__gt=cutoff)
        .order_by()
        .values("contract")
        .annotate(total=Sum(F("value_after") - F("value_before")))
        .values("total")
    )
    return F("value") - Coalesce(Subquery(later), ZERO, output_field=ZERO.output_field)


def _disbursed_by_allocation(cutoff: datetime.date) -> Coalesce:
    """Net money paid on an allocation's contracts signed by `cutoff`, up to `cutoff`."""
    net = (
        Disbursement.objects.filter(
            contract__allocation=OuterRef("pk"),
            contract__signed_on__lte=cutoff,
            paid_on__lte=cutoff,
        )
        .order_by()
        .values("contract__allocation")
        .annotate(total=Sum(Disbursement.signed_amount()))
        .values("total")
    )
    return Coalesce(Subquery(net), ZERO, output_field=ZERO.output_field)


def _breakdown(
    programme: ProgrammeFilter,
    visible: QuerySet[Scheme] | None,
    prefix: str,
    fields: tuple[str, ...],
    contracts: bool = False,
) -> list[dict]:
    """Budget approved, money disbursed (as programme_summary counts it) and schemes, grouped
    by the row that `prefix` leads to, with its `fields` (1 query). With `contracts`, also the
    value `contracted` and the `schemes_contracted`, as programme_summary counts them (the
    periodic report's tables)."""
    source = money_source(programme.cutoff, programme.year)
    extra = {}
    if source is not None:
        columns = _columns(source)
        prefix = _summary_path(prefix)
        rows = money_rows(programme, visible)
        budget, disbursed = money_sum(columns["approved"]), money_sum(columns["disbursed"])
        if contracts:
            extra = {
                "contracted": money_sum(columns["contracted"]),
                "schemes_contracted": Count(
                    "scheme", distinct=True, filter=Q(**{f"{columns['contracted']}__gt": 0})
                ),
            }
    else:
        rows = scoped_allocations(programme, visible).annotate(
            net=_disbursed_by_allocation(programme.cutoff),
            on_cutoff=_approved_on(programme.cutoff),
        )
        budget, disbursed = money_sum("on_cutoff"), money_sum("net")
        if contracts:
            rows = rows.annotate(signed=_contracted_by_allocation(programme.cutoff))
            extra = {
                "contracted": money_sum("signed"),
                "schemes_contracted": Count("scheme", distinct=True, filter=Q(signed__gt=0)),
            }
    group = {field: F(f"{prefix}__{field}") for field in fields}
    return list(
        rows.values(**group)
        .annotate(
            budget=budget, disbursed=disbursed, schemes=Count("scheme", distinct=True), **extra
        )
        .order_by(*group)
    )


def _contracted_by_allocation(cutoff: datetime.date):
    """Value on `cutoff` of an allocation's contracts signed by `cutoff` (ledger_money's)."""
    return ledger_money(Contract, "allocation", OuterRef("pk"), cutoff)["contracted"]


def disbursement_by_region(
    programme: ProgrammeFilter, visible: QuerySet[Scheme] | None = None, *, contracts=False
) -> list[dict]:
    """Rows {code, name, name_en, budget, disbursed, schemes} per khuyến công region (a scheme
    counts in the region of the province it was made under)."""
    return _breakdown(
        programme,
        visible,
        "scheme__province__region",
        ("code", "name", "name_en", "order"),
        contracts,
    )


def disbursement_by_province(
    programme: ProgrammeFilter, visible: QuerySet[Scheme] | None = None, *, contracts=False
) -> list[dict]:
    """Rows {code, map_version, short_name, name, budget, disbursed, schemes} per province of
    the programme's display map. On the 34-unit map, old provinces count in the unit they merged
    into. On the 63-unit map, records made under the 34-unit map cannot be split back into old
    provinces: they stay under their new unit (a row whose map_version is "34")."""
    prefix = "scheme__province"
    if programme.display_map == ProvinceMap.NEW_34:
        prefix = "scheme__province__successor"
    return _breakdown(
        programme, visible, prefix, ("code", "map_version", "short_name", "name"), contracts
    )


def budget_by_content_area(
    programme: ProgrammeFilter, visible: QuerySet[Scheme] | None = None, *, contracts=False
) -> list[dict]:
    """Rows {code, number, short_name, name_en, budget, disbursed, schemes} per content area. A
    scheme with several content areas counts in each: the rows may add up to more than the
    budget."""
    return _breakdown(
        programme,
        visible,
        "scheme__content_areas",
        ("code", "number", "short_name", "name_en"),
        contracts,
    )


def budget_by_sector(
    programme: ProgrammeFilter, visible: QuerySet[Scheme] | None = None
) -> list[dict]:
    """Rows {code, short_name, name_en, budget, disbursed, schemes} per sector."""
    return _breakdown(programme, visible, "scheme__sector", ("code", "short_name", "name_en"))


def trend_by_year(
    programme: ProgrammeFilter, visible: QuerySet[Scheme] | None = None
) -> list[YearFigures]:
    """programme_by_year() for the programme's fund, region, province, content area and sector
    (every year, not only the programme's), narrowed to what the user may see (1 query). From
    the per-year rollup when the filters are only of place (region, province) and the user
    sees every scheme; otherwise from the summary rows (content areas and sectors overlap, and
    a scope may be any set of schemes)."""
    if visible is None and programme.content_area is None and programme.sector is None:
        condition = Q()
        for path, value in programme.scheme_q().children:
            condition &= Q(**{_summary_path(path): value})
        return _rollup_by_year(condition, programme.fund)
    rows = money_rows(programme, visible, every_year=True)
    return _figures_by_year(rows, programme.fund or "all")
