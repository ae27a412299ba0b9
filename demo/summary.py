"""The short Vietnamese summary `seed_demo` prints, computed from the database."""

import datetime

from django.db.models import Count, F, Q

from budgets.models import Allocation, Disbursement, money_sum
from core.money import format_billions, format_rate, format_vnd, rate
from projects.models import Fund, Scheme

FUND_LABEL = {Fund.NATIONAL: "KCQG", Fund.LOCAL: "KCĐP"}


def _day(day: datetime.date) -> str:
    return day.strftime("%d/%m/%Y")


def year_lines(today: datetime.date) -> list[str]:
    """Per plan year: schemes approved by fund, support approved, and net disbursed by
    31 December of that year (or by `today` for the year in progress)."""
    approved: dict[int, dict] = {}
    rows = Allocation.objects.values("plan__year", "plan__fund").annotate(
        schemes=Count("scheme", distinct=True), total=money_sum("amount")
    )
    for row in rows:
        year = approved.setdefault(row["plan__year"], {"total": 0, "funds": {}})
        year["total"] += row["total"]
        year["funds"][row["plan__fund"]] = row["schemes"]
    year_field = "contract__allocation__plan__year"
    disbursed = dict(
        Disbursement.objects.filter(paid_on__year__lte=F(year_field), paid_on__lte=today)
        .values(year_field)
        .annotate(total=money_sum(Disbursement.signed_amount()))
        .values_list(year_field, "total")
    )
    pending = dict(
        Scheme.objects.exclude(status__in=Scheme.IN_PLAN)
        .values("plan_year")
        .annotate(n=Count("pk"))
        .values_list("plan_year", "n")
    )
    lines = []
    for year in sorted(set(approved) | set(pending)):
        parts = []
        if year in approved:
            row, paid = approved[year], disbursed.get(year, 0)
            cutoff = min(datetime.date(year, 12, 31), today)
            counts = {label: row["funds"].get(fund, 0) for fund, label in FUND_LABEL.items()}
            funds = ", ".join(f"{label} {n}" for label, n in counts.items())
            total = row["total"]
            parts.append(
                f"{sum(counts.values())} đề án ({funds}); duyệt {format_billions(total)}; "
                f"giải ngân {format_billions(paid)} ({format_rate(rate(paid, total))}) "
                f"đến {_day(cutoff)}"
            )
        if year in pending:
            parts.append(f"{pending[year]} đề án chưa phê duyệt")
        lines.append(f"{year}: " + "; ".join(parts))
    return lines


def headline(year: int, fund: str = Fund.NATIONAL) -> str:
    """The figures of the report for one year's plan, e.g. "2019: 179 đề án,
    140.000.000.000 đồng; 178 đã ký hợp đồng; 175 đề án giải ngân 135.250.000.000 đồng đến
    31/12/2019"."""
    cutoff = datetime.date(year, 12, 31)
    allocations = Allocation.objects.filter(plan__year=year, plan__fund=fund)
    approved = allocations.aggregate(
        schemes=Count("scheme", distinct=True), total=money_sum("amount")
    )
    contracted = allocations.filter(contracts__signed_on__lte=cutoff).aggregate(
        n=Count("scheme", distinct=True)
    )["n"]
    ledger = Disbursement.objects.filter(contract__allocation__in=allocations, paid_on__lte=cutoff)
    paid = ledger.aggregate(total=money_sum(Disbursement.signed_amount()))["total"]
    paying = (
        ledger.values("contract__allocation__scheme")
        .annotate(net=money_sum(Disbursement.signed_amount()))
        .filter(Q(net__gt=0))
        .count()
    )
    return (
        f"{year}: {approved['schemes']} đề án, {format_vnd(approved['total'])}; "
        f"{contracted} đã ký hợp đồng; {paying} đề án giải ngân {format_vnd(paid)} "
        f"đến {_day(cutoff)}"
    )
