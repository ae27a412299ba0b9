"""The planned payments of contracts: the one place that reads payment schedules.

A contract's own schedule (budgets.ContractTranche, set when it is signed or amended) is read
here, in one query for a whole batch of contracts so that callers keep a fixed query count. A
contract signed without a schedule is given the linear schedule that SchemeQuerySet.with_schedule
also assumes: from the day of signature to 31 December of the plan year, paid in tranches due at
each month's end. Schedules are read as they stand now: an amendment that replaced a schedule
replaces it for past days too (the amendment keeps the old one in its history)."""

import datetime
from collections.abc import Iterable
from decimal import Decimal

from budgets.models import ContractTranche
from core.db import day_number

Tranche = tuple[datetime.date, Decimal]


def _month_ends(start: datetime.date, end: datetime.date) -> list[datetime.date]:
    """The last day of each month from `start`'s month to `end` (itself the last one)."""
    days = []
    year, month = start.year, start.month
    while True:
        following = datetime.date(year + month // 12, month % 12 + 1, 1)
        last = following - datetime.timedelta(days=1)
        if last >= end:
            days.append(end)
            return days
        days.append(last)
        year, month = following.year, following.month


def linear_tranches(
    signed_on: datetime.date, value: Decimal, deadline: datetime.date
) -> list[Tranche]:
    """`value` spread evenly by day from `signed_on` to `deadline`, due at each month's end, in
    whole đồng: the cumulative amount due at a month's end is value × days elapsed ÷ days in
    the schedule, rounded down (as with_schedule computes it), and the last tranche takes the
    rest. A contract signed on or after the deadline is due at once, in full."""
    value = Decimal(value)
    if signed_on >= deadline:
        return [(signed_on, value)]
    start, duration = day_number(signed_on), day_number(deadline) - day_number(signed_on)
    tranches, paid_before = [], Decimal(0)
    for due_on in _month_ends(signed_on, deadline):
        due = value if due_on == deadline else value * (day_number(due_on) - start) // duration
        if due > paid_before:
            tranches.append((due_on, due - paid_before))
            paid_before = due
    return tranches


def planned_payments(contracts: Iterable[dict], *, plan_year: int) -> dict[int, list[Tranche]]:
    """{contract id: [(due_on, amount), …]} for contracts given as rows with `id`, `signed_on`
    and `value`. The tranches of a contract add up to its value (the services keep a schedule
    equal to the contract's value, amendments included)."""
    rows = list(contracts)
    if not rows:
        return {}
    deadline = datetime.date(plan_year, 12, 31)
    # By plan year rather than by a list of ids: a year holds thousands of contracts, and the
    # schedules of those not asked for are few and cheap to skip.
    scheduled: dict[int, list[Tranche]] = {}
    tranches = (
        ContractTranche.objects.filter(contract__allocation__plan__year=plan_year)
        .order_by("contract_id", "due_on", "number")
        .values_list("contract_id", "due_on", "amount")
    )
    for contract_id, due_on, amount in tranches:
        scheduled.setdefault(contract_id, []).append((due_on, amount))
    return {
        row["id"]: scheduled.get(row["id"])
        or linear_tranches(row["signed_on"], row["value"], deadline)
        for row in rows
    }
