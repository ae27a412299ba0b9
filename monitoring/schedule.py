"""The planned payments of contracts: the one place that reads payment schedules.

Today no contract carries a schedule of its own, so every signed contract is given the linear
schedule that SchemeQuerySet.with_schedule also assumes: from the day of signature to
31 December of the plan year, paid in tranches due at each month's end. When contracts carry
their own tranches (budgets.ContractTranche: contract → "tranches", number, due_on, amount),
this function is where they are read (one query for a whole batch of contracts, so callers keep a
fixed query count), with the linear schedule kept for contracts that have none."""

import datetime
from collections.abc import Iterable
from decimal import Decimal

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
    and `value`. The tranches of a contract add up to its value."""
    deadline = datetime.date(plan_year, 12, 31)
    return {
        row["id"]: linear_tranches(row["signed_on"], row["value"], deadline) for row in contracts
    }
