"""Reads of the money side: envelopes with what is approved in them, and the year-end report
(approved, disbursed by 31/12 and by the settlement deadline of 22/01, returned, settled)."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import DecimalField, F, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce

from budgets.models import (
    ZERO,
    Allocation,
    AnnualPlan,
    Disbursement,
    Envelope,
    Settlement,
    money_sum,
)
from provinces.models import Province

NOTHING = Decimal(0)
_MONEY = DecimalField(max_digits=18, decimal_places=0)


def _summed(rows: QuerySet, group: str, expression) -> Coalesce:
    """SUM(expression) over `rows`, correlated to the outer row; 0 when none."""
    total = rows.order_by().values(group).annotate(total=Sum(expression)).values("total")
    return Coalesce(Subquery(total), ZERO, output_field=_MONEY)


def settlement_deadline(year: int) -> datetime.date:
    """The settlement of a plan year's schemes is due by 22 January of the next year."""
    return datetime.date(year + 1, 1, 22)


def envelope_list(plan: AnnualPlan) -> QuerySet[Envelope]:
    """The plan's envelopes with `approved` and `remaining`, in one query."""
    return with_approved(Envelope.objects.filter(plan=plan)).select_related(
        "plan", "province", "organisation"
    )


def with_approved(envelopes: QuerySet[Envelope]) -> QuerySet[Envelope]:
    """Annotate `approved` (the support approved for the schemes an envelope holds, as
    budgets.envelopes.envelope_allocations defines them) and `remaining`, by correlated
    subqueries: the cost does not grow with the number of envelopes."""
    by_centre = Allocation.objects.filter(
        plan=OuterRef("plan"), scheme__implementing_unit=OuterRef("organisation")
    )
    centres = Envelope.objects.filter(plan=OuterRef("plan"), organisation__isnull=False)
    by_province = (
        Allocation.objects.filter(plan=OuterRef("plan"))
        .filter(
            Q(scheme__province=OuterRef("province"))
            | Q(scheme__province__successor=OuterRef("province"))
        )
        .exclude(scheme__implementing_unit__in=centres.values("organisation"))
    )
    return envelopes.annotate(
        approved=_summed(by_centre, "plan", "amount") + _summed(by_province, "plan", "amount")
    ).annotate(remaining=F("amount") - F("approved"))


@dataclass(frozen=True)
class YearEndRow:
    plan: AnnualPlan
    province: Province | None
    approved: Decimal
    disbursed_by_year_end: Decimal
    disbursed_by_deadline: Decimal
    settled: Decimal

    @property
    def not_disbursed(self) -> Decimal:
        """What goes back to the budget: approved but not paid out by the deadline."""
        return self.approved - self.disbursed_by_deadline

    @property
    def label(self) -> str:
        return self.province.name if self.province else ""


def year_end_report(*, year: int, fund: str | None = None, by_province: bool = False):
    """One row per plan of the year (and per province of the 34-unit map within each plan,
    with `by_province`), from three grouped queries."""
    allocations = Allocation.objects.filter(plan__year=year)
    if fund:
        allocations = allocations.filter(plan__fund=fund)
    group = ["plan"] + (["scheme__province__successor"] if by_province else [])
    ledger = Disbursement.objects.filter(contract__allocation__in=allocations)
    settlements = Settlement.objects.filter(allocation__in=allocations)
    prefix = "contract__allocation__"

    approved = {
        _key(row, group): row["total"]
        for row in allocations.values(*group).annotate(total=money_sum("amount")).order_by()
    }
    disbursed = {
        _key(row, group, prefix): row
        for row in ledger.values(*(prefix + g for g in group))
        .annotate(
            by_year_end=money_sum(
                Disbursement.signed_amount(), paid_on__lte=datetime.date(year, 12, 31)
            ),
            by_deadline=money_sum(
                Disbursement.signed_amount(), paid_on__lte=settlement_deadline(year)
            ),
        )
        .order_by()
    }
    settled = {
        _key(row, group, "allocation__"): row["total"]
        for row in settlements.values(*("allocation__" + g for g in group))
        .annotate(total=money_sum("settled_amount"))
        .order_by()
    }
    plans = AnnualPlan.objects.in_bulk({key[0] for key in approved})
    provinces = Province.objects.in_bulk({key[1] for key in approved if len(key) > 1})
    rows = []
    for key, total in approved.items():
        paid = disbursed.get(key, {})
        rows.append(
            YearEndRow(
                plan=plans[key[0]],
                province=provinces.get(key[1]) if len(key) > 1 else None,
                approved=total,
                disbursed_by_year_end=paid.get("by_year_end", NOTHING),
                disbursed_by_deadline=paid.get("by_deadline", NOTHING),
                settled=settled.get(key, NOTHING),
            )
        )
    rows.sort(key=lambda row: (str(row.plan), row.label))
    return rows


def _key(row: dict, group: list[str], prefix: str = "") -> tuple:
    return tuple(row[prefix + name] for name in group)
