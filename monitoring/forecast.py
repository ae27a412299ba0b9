"""The expected disbursement at 31 December of a plan year, per province, region and content area,
and the schemes most at risk of leaving money unspent.

Method (the pages say the same in words):

1. Money with a planned date still ahead. Each contract signed by the day `on` has planned
   payments (monitoring.schedule.planned_payments: today a linear schedule from signature to
   31 December). What is planned between `on` and 31 December and not yet paid is expected to be
   paid on plan.
2. Money with no planned date ahead: tranches already due but unpaid on `on` (a contract behind
   its schedule), and approved money not yet under a signed contract (only for schemes still
   approved, contracted or in progress). Past plan years show how much of a year's disbursement
   is typically paid after month m: 1 − c(m), where c(m) is the share of the year's disbursement
   reached by the end of month m, pooled over the previous plan years (same fund and filters,
   among the schemes the user may see; monitoring.curve). This money is expected to be paid in
   that share.
3. Expected at 31/12 = paid by `on` + (1) + (2) × (1 − c(m)), m the last month completed by `on`.
   A scheme stopped by `on` is expected to pay nothing more (its status is the one it had on
   `on`, read from its status history). Expected rate = expected ÷ budget approved.

The year's own progress is not extrapolated as a whole (paid ÷ c(m)): the money already paid sits
on contracts whose schedules place the rest, and the curve would count that rest a second time.

Sums come from the database, in a fixed number of queries whatever the data size: one for the
allocations with their contracts signed by `on` and what each paid by then, one for the content
areas, one for the past years' curve. The combination is exact rational arithmetic, rounded to
whole đồng and to 0,01% only when shown."""

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

from django.db.models import (
    F,
    FilteredRelation,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
)
from django.db.models.functions import Coalesce

from budgets.models import ZERO, Disbursement
from monitoring.curve import (
    HISTORY_YEARS,
    Curve,
    completed_months,
    history_curve,
    to_money,
    to_rate,
)
from monitoring.schedule import Dues, planned_dues
from monitoring.scope import Scope, allocations_in, province_prefix
from projects.models import Scheme, status_on

OPEN_STATUSES = (Scheme.Status.APPROVED, Scheme.Status.CONTRACTED, Scheme.Status.IN_PROGRESS)


@dataclass(frozen=True)
class SchemeForecast:
    """One scheme's year: approved budget, paid by `on`, expected at 31/12, and why money may be
    left. `reasons`: (code, amount) with code one of unsigned, behind, after_year, stopped,
    closed."""

    scheme_id: int
    code: str
    title: str
    status: str
    province: str
    province_code: str
    province_map: str
    budget: Decimal
    disbursed: Decimal
    expected: Fraction
    reasons: tuple[tuple[str, Decimal], ...]

    @property
    def expected_amount(self) -> Decimal:
        return to_money(self.expected)

    @property
    def left(self) -> Decimal:
        """Approved money expected to be left undisbursed at 31/12 (never below 0)."""
        return max(to_money(Fraction(self.budget) - self.expected), Decimal(0))

    @property
    def expected_rate(self) -> Decimal | None:
        return to_rate(self.expected, self.budget)


@dataclass
class GroupForecast:
    """A province, region or content area (`key` and `label` fields), or the whole scope."""

    key: str
    fields: dict
    budget: Decimal = Decimal(0)
    disbursed: Decimal = Decimal(0)
    expected: Fraction = Fraction(0)
    schemes: int = 0

    def add(self, scheme: SchemeForecast) -> None:
        self.budget += scheme.budget
        self.disbursed += scheme.disbursed
        self.expected += scheme.expected
        self.schemes += 1

    @property
    def expected_amount(self) -> Decimal:
        return to_money(self.expected)

    @property
    def left(self) -> Decimal:
        return max(to_money(Fraction(self.budget) - self.expected), Decimal(0))

    @property
    def disbursed_rate(self) -> Decimal | None:
        return to_rate(self.disbursed, self.budget)

    @property
    def expected_rate(self) -> Decimal | None:
        return to_rate(self.expected, self.budget)


@dataclass(frozen=True)
class Forecast:
    year: int
    on: datetime.date
    month: int
    curve: Curve
    total: GroupForecast
    by_province: list[GroupForecast]
    by_region: list[GroupForecast]
    by_content_area: list[GroupForecast]
    schemes: list[SchemeForecast] = field(repr=False)

    @property
    def pace(self) -> Fraction:
        """1 − c(m): the share of unscheduled money expected to be paid by 31/12."""
        return 1 - self.curve.shares[self.month]

    @property
    def pace_percent(self) -> Decimal:
        return to_rate(self.pace, 1)

    def at_risk(self, limit: int | None = 10) -> list[SchemeForecast]:
        """The schemes expected to leave the most money undisbursed, largest first."""
        lefts = ((scheme.left, scheme) for scheme in self.schemes)  # each computed once
        risky = [(left, scheme) for left, scheme in lefts if left > 0]
        risky.sort(key=lambda pair: (-pair[0], pair[1].code))
        return [scheme for _left, scheme in (risky if limit is None else risky[:limit])]


def _scheme_forecast(
    row: dict, contracts: list[dict], dues: dict[int, Dues], scope: Scope, pace: Fraction
) -> SchemeForecast:
    status = row["status_on"]
    budget = row["amount"]
    paid = sum((c["paid"] for c in contracts), Decimal(0))
    signed = sum((c["value"] for c in contracts), Decimal(0))
    ahead = overdue = after_year = Decimal(0)
    for contract in contracts:
        due_now, due_by_year_end, due_after = dues[contract["id"]]
        after_year += due_after
        ahead += max(due_by_year_end - max(due_now, contract["paid"]), Decimal(0))
        overdue += max(due_now - contract["paid"], Decimal(0))
    unsigned = max(budget - signed, Decimal(0))
    reasons: list[tuple[str, Decimal]] = []
    if status == Scheme.Status.STOPPED:
        expected = Fraction(paid)
        if budget > paid:
            reasons.append(("stopped", budget - paid))
    else:
        still_to_sign = unsigned if status in OPEN_STATUSES else Decimal(0)
        expected = Fraction(paid + ahead) + Fraction(overdue + still_to_sign) * pace
        if still_to_sign:
            reasons.append(("unsigned", still_to_sign))
        elif unsigned:
            reasons.append(("closed", unsigned))
        if overdue:
            reasons.append(("behind", overdue))
        if after_year and scope.on <= scope.year_end:
            reasons.append(("after_year", after_year))
    return SchemeForecast(
        scheme_id=row["scheme_id"],
        code=row["scheme__code"],
        title=row["scheme__title"],
        status=status,
        province=row["scheme__province__short_name"],
        province_code=row["scheme__province__code"],
        province_map=row["scheme__province__map_version"],
        budget=budget,
        disbursed=paid,
        expected=expected,
        reasons=tuple(reasons),
    )


def _grouped(
    schemes: Iterable[SchemeForecast], keys: dict[int, list[tuple[str, dict]]]
) -> list[GroupForecast]:
    groups: dict[str, GroupForecast] = {}
    for scheme in schemes:
        for key, fields in keys.get(scheme.scheme_id, []):
            groups.setdefault(key, GroupForecast(key=key, fields=fields)).add(scheme)
    return list(groups.values())


def year_end_forecast(
    scope: Scope,
    visible: QuerySet[Scheme] | None = None,
    *,
    history: Curve | None = None,
    with_content_areas: bool = True,
    history_years: int = HISTORY_YEARS,
) -> Forecast:
    """The forecast of the year in `scope` as seen on `scope.on`: one query for the allocations
    with their contracts signed by then and what each paid by then, one for the content areas
    (unless `with_content_areas` is false) and one for the past years' curve (unless `history`
    is given, e.g. curve_from_cumulative() of rows a page already has)."""
    unit = province_prefix(scope)
    # What each contract paid by `on`, summed per contract (an index range each) rather than
    # joined and grouped: the rows stay one per contract, so the scheme's status on the day is
    # read once per contract instead of once per ledger entry.
    paid = (
        Disbursement.objects.filter(contract=OuterRef("signed__id"), paid_on__lte=scope.on)
        .order_by()
        .values("contract")
        .annotate(total=Sum(Disbursement.signed_amount()))
        .values("total")
    )
    rows = list(
        allocations_in(scope, visible)
        .annotate(
            signed=FilteredRelation("contracts", condition=Q(contracts__signed_on__lte=scope.on))
        )
        .values(
            "pk",
            "amount",
            "scheme_id",
            "scheme__code",
            "scheme__title",
            "scheme__province__short_name",
            "scheme__province__code",
            "scheme__province__map_version",
            "scheme__province__region__code",
            "scheme__province__region__name",
            "scheme__province__region__name_en",
            "scheme__province__region__order",
            "signed__id",
            "signed__signed_on",
            "signed__value",
            unit_code=F(f"{unit}__code"),
            unit_map=F(f"{unit}__map_version"),
            unit_short_name=F(f"{unit}__short_name"),
            unit_name=F(f"{unit}__name"),
            # The status the scheme had on the day: one stopped later was still running then.
            status_on=status_on(scope.on, "scheme__"),
            paid=Coalesce(Subquery(paid), ZERO, output_field=ZERO.output_field),
        )
        .order_by("scheme__code", "pk", "signed__id")
    )
    if history is None:
        history = history_curve(scope, visible, history_years)
    curve = history
    month = completed_months(scope.year, scope.on)
    pace = 1 - curve.shares[month]

    allocations: dict[int, dict] = {}
    by_allocation: dict[int, list[dict]] = defaultdict(list)
    for row in rows:
        allocations.setdefault(row["pk"], row)
        if row["signed__id"] is not None:
            by_allocation[row["pk"]].append(
                {
                    "id": row["signed__id"],
                    "signed_on": row["signed__signed_on"],
                    "value": row["signed__value"],
                    "paid": row["paid"],
                }
            )
    contracts = [contract for group in by_allocation.values() for contract in group]
    dues = planned_dues(contracts, plan_year=scope.year, on=scope.on)
    schemes = [
        _scheme_forecast(row, by_allocation[pk], dues, scope, pace)
        for pk, row in allocations.items()
    ]

    province_keys, region_keys = {}, {}
    for row in allocations.values():
        province_keys[row["scheme_id"]] = [
            (
                f"{row['unit_map']}-{row['unit_code']}",
                {
                    "code": row["unit_code"],
                    "map_version": row["unit_map"],
                    "short_name": row["unit_short_name"],
                    "name": row["unit_name"],
                },
            )
        ]
        region_keys[row["scheme_id"]] = [
            (
                row["scheme__province__region__code"],
                {
                    "code": row["scheme__province__region__code"],
                    "name": row["scheme__province__region__name"],
                    "name_en": row["scheme__province__region__name_en"],
                    "order": row["scheme__province__region__order"],
                },
            )
        ]
    area_keys: dict[int, list[tuple[str, dict]]] = defaultdict(list)
    if with_content_areas:
        areas = Scheme.content_areas.through.objects.filter(
            scheme_id__in=allocations_in(scope, visible).values("scheme_id")
        ).values(
            "scheme_id",
            "contentarea__code",
            "contentarea__number",
            "contentarea__short_name",
            "contentarea__name_en",
        )
        for area in areas:
            area_keys[area["scheme_id"]].append(
                (
                    area["contentarea__code"],
                    {
                        "code": area["contentarea__code"],
                        "number": area["contentarea__number"],
                        "short_name": area["contentarea__short_name"],
                        "name_en": area["contentarea__name_en"],
                    },
                )
            )
    total = GroupForecast(key="all", fields={})
    for scheme in schemes:
        total.add(scheme)
    return Forecast(
        year=scope.year,
        on=scope.on,
        month=month,
        curve=curve,
        total=total,
        by_province=sorted(
            _grouped(schemes, province_keys),
            key=lambda g: (g.fields["map_version"], g.fields["code"]),
        ),
        by_region=sorted(_grouped(schemes, region_keys), key=lambda g: g.fields["order"]),
        by_content_area=sorted(
            _grouped(schemes, area_keys), key=lambda g: (g.fields["number"], g.key)
        ),
        schemes=schemes,
    )
