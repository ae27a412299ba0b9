"""The figures of the report on the implementation of the khuyến công plan, read as of the
issue's day through the dashboard's own selectors, so that a report and the overview asked for
the same year, fund and day show the same figures. A fixed number of queries whatever the data.

Registers (typical products, cluster planning dossiers, fairs and conferences) are counted by
province on the issue's map: products certified in the year's rounds by a decision dated by the
day; dossiers appraised in the year by the day; events held in the year that had begun by the
day."""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _

from core.money import rate
from dashboard import selectors as dashboard
from dashboard.selectors import ProgrammeFilter, ProgrammeSummary
from projects.models import Scheme
from provinces.models import Province, ProvinceMap
from registers.models import ClusterPlanDossier, ProductLevel, PromotionEvent, TypicalProduct
from registers.selectors import in_province, province_path
from reports.models import ReportFund, ReportIssue
from reports.periods import month_end

ZERO = Decimal(0)


def unit_schemes(province: Province) -> QuerySet[Scheme]:
    """The schemes a province user of `province` (a 34-map unit) sees: those of the unit and of
    the old provinces merged into it (projects.permissions.schemes_visible_to's rule)."""
    return Scheme.objects.filter(province__in=Province.objects.filter(successor=province))


def issue_programme(issue: ReportIssue) -> ProgrammeFilter:
    return ProgrammeFilter(
        year=issue.year,
        fund=issue.fund_or_none,
        province_map=issue.province_map,
        as_of=issue.as_of,
    )


@dataclass(frozen=True)
class MoneyRow:
    """One line of a summary table: schemes and money of a group as of the report's day."""

    code: str
    label: str
    schemes: int
    schemes_contracted: int
    budget: Decimal
    contracted: Decimal
    disbursed: Decimal

    @property
    def disbursed_rate(self):
        """Disbursed ÷ approved, in per cent (None with nothing approved)."""
        return rate(self.disbursed, self.budget)


@dataclass(frozen=True)
class RegisterRow:
    code: str
    label: str
    products: dict[str, int]
    dossiers_appraised: int
    fairs: int
    conferences: int

    @property
    def products_total(self) -> int:
        return sum(self.products.values())


@dataclass(frozen=True)
class MonthPoint:
    month: int
    cumulative: Decimal


@dataclass(frozen=True)
class ReportData:
    issue: ReportIssue
    scope_label: str
    summary: ProgrammeSummary
    disbursed_in_period: Decimal
    monthly: list[MonthPoint]
    regions: list[MoneyRow]
    content_areas: list[MoneyRow]
    provinces: list[MoneyRow]
    registers: list[RegisterRow]
    register_totals: RegisterRow
    dossier_provinces: int
    merged_new_units: bool = False
    levels: list[tuple[str, str]] = field(default_factory=list)

    @property
    def fund_label(self) -> str:
        return str(ReportFund(self.issue.fund).label)

    @property
    def map_label(self) -> str:
        return str(ProvinceMap(self.issue.province_map).label)


def _money_rows(rows: list[dict], label) -> list[MoneyRow]:
    return [
        MoneyRow(
            code=str(row["code"]),
            label=label(row),
            schemes=row["schemes"],
            schemes_contracted=row["schemes_contracted"],
            budget=row["budget"],
            contracted=row["contracted"],
            disbursed=row["disbursed"],
        )
        for row in rows
    ]


def _monthly(programme: ProgrammeFilter, visible) -> list[MonthPoint]:
    """Money disbursed to the end of each month of the plan year up to the report's day
    (dashboard.monthly_cumulative of the year alone), every month listed."""
    points = {
        row["month"]: row["cumulative"]
        for row in dashboard.monthly_cumulative(programme, visible, previous_years=0)
        if row["year"] == programme.year
    }
    last = programme.cutoff
    until = 0 if last.year < programme.year else (last.month if last.year == programme.year else 12)
    curve, running = [], ZERO
    for month in range(1, until + 1):
        running = points.get(month, running)
        curve.append(MonthPoint(month=month, cumulative=running))
    return curve


def _disbursed_before(curve: list[MonthPoint], start: datetime.date, year: int) -> Decimal:
    """Money disbursed by the day before the period began (the end of the previous month)."""
    if start.year != year or start.month == 1:
        return ZERO
    for point in curve:
        if point.month == start.month - 1:
            return point.cumulative
    return ZERO


def _registers(issue: ReportIssue) -> tuple[list[RegisterRow], RegisterRow, int]:
    """Registers by province on the issue's map (3 grouped queries and the provinces)."""
    year, day, map_version = issue.year, issue.as_of, issue.province_map
    products = TypicalProduct.objects.certified().filter(round__year=year, decision_date__lte=day)
    dossiers = ClusterPlanDossier.objects.filter(appraised_on__year=year, appraised_on__lte=day)
    events = PromotionEvent.objects.in_year(year).filter(starts_on__lte=day)
    if issue.province_id:
        products = products.filter(in_province("producer__province", issue.province))
        dossiers = dossiers.filter(in_province("province", issue.province))
        events = events.filter(in_province("host_province", issue.province))
    product_key = province_path("producer__province", map_version) + "__code"
    by_province: dict[str, dict] = {}

    def row(code):
        return by_province.setdefault(
            code or "",
            {"products": {}, "dossiers": 0, "fairs": 0, "conferences": 0},
        )

    for code, level, count in (
        products.order_by().values_list(product_key, "round__level").annotate(n=Count("pk"))
    ):
        row(code)["products"][level] = count
    dossier_key = province_path("province", map_version) + "__code"
    for code, count in dossiers.order_by().values_list(dossier_key).annotate(n=Count("pk")):
        row(code)["dossiers"] = count
    event_key = province_path("host_province", map_version) + "__code"
    conference = Q(kind=PromotionEvent.Kind.CONFERENCE)
    for code, fairs, conferences in (
        events.order_by()
        .values_list(event_key)
        .annotate(f=Count("pk", filter=~conference), c=Count("pk", filter=conference))
    ):
        row(code)["fairs"], row(code)["conferences"] = fairs, conferences
    names = dict(
        Province.objects.filter(map_version=map_version, code__in=by_province).values_list(
            "code", "short_name"
        )
    )
    rows = [
        RegisterRow(
            code=code,
            label=names.get(code) or _("Không gắn tỉnh"),
            products=values["products"],
            dossiers_appraised=values["dossiers"],
            fairs=values["fairs"],
            conferences=values["conferences"],
        )
        for code, values in sorted(by_province.items(), key=lambda item: item[0] or "~")
    ]
    totals = RegisterRow(
        code="",
        label=_("Tổng cộng"),
        products={
            level: sum(r.products.get(level, 0) for r in rows) for level in ProductLevel.values
        },
        dossiers_appraised=sum(r.dossiers_appraised for r in rows),
        fairs=sum(r.fairs for r in rows),
        conferences=sum(r.conferences for r in rows),
    )
    dossier_provinces = sum(1 for r in rows if r.dossiers_appraised and r.code)
    return rows, totals, dossier_provinces


def report_data(issue: ReportIssue) -> ReportData:
    """Everything the report's files show, for the issue's parameters and scope."""
    programme = issue_programme(issue)
    visible = unit_schemes(issue.province) if issue.province_id else None
    summary = dashboard.visible_summary(programme, visible)
    curve = _monthly(programme, visible)
    before = _disbursed_before(curve, issue.start, issue.year)
    regions = _money_rows(
        sorted(
            dashboard.disbursement_by_region(programme, visible, contracts=True),
            key=lambda row: row["order"],
        ),
        lambda row: row["name"],
    )
    areas = _money_rows(
        dashboard.budget_by_content_area(programme, visible, contracts=True),
        lambda row: f"{row['number']}. {row['short_name']}",
    )
    province_rows = dashboard.disbursement_by_province(programme, visible, contracts=True)
    merged = any(row["map_version"] != issue.province_map for row in province_rows)
    provinces = _money_rows(
        province_rows,
        lambda row: (
            row["short_name"]
            if row["map_version"] == issue.province_map
            else _("%(name)s (đơn vị mới)") % {"name": row["short_name"]}
        ),
    )
    registers, totals, dossier_provinces = _registers(issue)
    return ReportData(
        issue=issue,
        scope_label=issue.province.name if issue.province_id else _("Toàn quốc"),
        summary=summary,
        disbursed_in_period=summary.disbursed - before,
        monthly=curve,
        regions=regions,
        content_areas=areas,
        provinces=provinces,
        registers=registers,
        register_totals=totals,
        dossier_provinces=dossier_provinces,
        merged_new_units=merged,
        levels=[(level, str(label)) for level, label in ProductLevel.choices],
    )


def monthly_as_of(today: datetime.date) -> datetime.date:
    """The day the monthly report is taken: the last day of the previous month."""
    return month_end(today.replace(day=1) - datetime.timedelta(days=1))
