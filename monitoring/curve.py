"""Exact amounts and rates, and c(m): the share of a plan year's disbursement typically reached
by the end of month m, from the database's aggregates over previous plan years."""

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from django.db.models import Case, F, IntegerField, Q, QuerySet, Sum, Value, When
from django.db.models.functions import ExtractMonth

from budgets.models import Disbursement
from monitoring.scope import Scope
from projects.models import Scheme

# How many previous plan years the monthly curve is taken from.
HISTORY_YEARS = 3


def to_money(value: Fraction | Decimal | int) -> Decimal:
    """Whole đồng, rounded half up."""
    value = Fraction(value)
    return (Decimal(value.numerator) / Decimal(value.denominator)).quantize(
        Decimal(1), rounding=ROUND_HALF_UP
    )


def to_rate(numerator: Fraction | Decimal | int, denominator: Decimal | int) -> Decimal | None:
    """numerator ÷ denominator in per cent, two places, half up; None for a zero denominator."""
    if not denominator:
        return None
    share = Fraction(numerator) * 100 / Fraction(denominator)
    return (Decimal(share.numerator) / Decimal(share.denominator)).quantize(
        Decimal("0.01"), rounding=ROUND_HALF_UP
    )


@dataclass(frozen=True)
class Curve:
    """c(m), m = 0…12: the share of a year's disbursement reached by the end of month m."""

    shares: tuple[Fraction, ...]
    years: tuple[int, ...]

    @property
    def from_history(self) -> bool:
        return bool(self.years)

    def percent(self, month: int) -> Decimal:
        return to_rate(self.shares[month], 1)


def completed_months(year: int, on: datetime.date) -> int:
    """How many months of `year` have ended by the end of day `on` (0…12)."""
    if on.year < year:
        return 0
    if on.year > year:
        return 12
    tomorrow = on + datetime.timedelta(days=1)
    return 12 if tomorrow.year > year else tomorrow.month - 1


def curve_from_cumulative(rows: Iterable[dict], year: int) -> Curve:
    """c(m) pooled over the years before `year` in `rows` ({year, month, cumulative}: money
    disbursed to the end of each month, a month without payments missing, as
    dashboard.selectors.monthly_cumulative gives them). Years that paid nothing weigh nothing;
    no history at all gives m/12."""
    by_year: dict[int, dict[int, Decimal]] = defaultdict(dict)
    for row in rows:
        if row["year"] < year:
            by_year[row["year"]][row["month"]] = row["cumulative"]
    reached = [Fraction(0)] * 13
    for months in by_year.values():
        running = Decimal(0)
        for month in range(1, 13):
            running = months.get(month, running)
            reached[month] += Fraction(running)
    whole = reached[12]
    if whole <= 0:
        return Curve(shares=tuple(Fraction(m, 12) for m in range(13)), years=())
    years = tuple(sorted(y for y, months in by_year.items() if months))
    return Curve(shares=tuple(share / whole for share in reached), years=years)


def history_curve(
    scope: Scope, visible: QuerySet[Scheme] | None = None, years: int = HISTORY_YEARS
) -> Curve:
    """c(m) from the `years` plan years before the scope's (1 query), for the same fund, scheme
    filters and visible schemes: each year's net disbursement (advances + payments − refunds)
    as dashboard.selectors.monthly_cumulative counts it (batches decided, contracts signed and
    entries paid by that year's 31 December; an advance paid before the year in January)."""
    plan_year = F("contract__allocation__plan__year")
    per_year = Q()
    for past in range(scope.year - years, scope.year):
        year_end = datetime.date(past, 12, 31)
        per_year |= Q(
            contract__allocation__plan__year=past,
            contract__allocation__batch__decision_date__lte=year_end,
            contract__signed_on__lte=year_end,
            paid_on__lte=year_end,
        )
    ledger = Disbursement.objects.filter(
        per_year, _prefixed(scope.condition, "contract__allocation__")
    )
    if scope.fund:
        ledger = ledger.filter(contract__allocation__plan__fund=scope.fund)
    if visible is not None:
        ledger = ledger.filter(contract__allocation__scheme__in=visible.values("pk"))
    month = Case(
        When(paid_on__year__lt=plan_year, then=Value(1)),
        default=ExtractMonth("paid_on"),
        output_field=IntegerField(),
    )
    totals = (
        ledger.order_by()
        .values(plan=plan_year, month=month)
        .annotate(total=Sum(Disbursement.signed_amount()))
        .values_list("plan", "month", "total")
    )
    by_year: dict[int, dict[int, Decimal]] = defaultdict(dict)
    for row_year, row_month, total in totals:
        by_year[row_year][row_month] = total or Decimal(0)
    rows = []
    for row_year, months in by_year.items():
        running = Decimal(0)
        for month_number in sorted(months):
            running += months[month_number]
            rows.append({"year": row_year, "month": month_number, "cumulative": running})
    return curve_from_cumulative(rows, scope.year)


def _prefixed(condition: Q, prefix: str) -> Q:
    """A Q on "scheme__…" paths, re-rooted at another model ("contract__allocation__")."""
    q = Q()
    q.connector, q.negated = condition.connector, condition.negated
    for child in condition.children:
        if isinstance(child, Q):
            q.children.append(_prefixed(child, prefix))
        else:
            q.children.append((f"{prefix}{child[0]}", child[1]))
    return q
