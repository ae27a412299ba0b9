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


def _schedules(plan_year: int) -> dict[int, list[Tranche]]:
    """{contract id: its own tranches, in order} for the contracts of `plan_year` that have a
    schedule (1 query). By plan year rather than by a list of ids: a year holds thousands of
    contracts, and the schedules of those not asked for are few and cheap to skip."""
    scheduled: dict[int, list[Tranche]] = {}
    tranches = (
        ContractTranche.objects.filter(contract__allocation__plan__year=plan_year)
        .order_by("contract_id", "due_on", "number")
        .values_list("contract_id", "due_on", "amount")
    )
    for contract_id, due_on, amount in tranches:
        scheduled.setdefault(contract_id, []).append((due_on, amount))
    return scheduled


def planned_payments(contracts: Iterable[dict], *, plan_year: int) -> dict[int, list[Tranche]]:
    """{contract id: [(due_on, amount), …]} for contracts given as rows with `id`, `signed_on`
    and `value`. The tranches of a contract add up to its value (the services keep a schedule
    equal to the contract's value, amendments included)."""
    rows = list(contracts)
    if not rows:
        return {}
    deadline = datetime.date(plan_year, 12, 31)
    scheduled = _schedules(plan_year)
    return {
        row["id"]: scheduled.get(row["id"])
        or linear_tranches(row["signed_on"], row["value"], deadline)
        for row in rows
    }


# What is due by a day, without listing the tranches: the forecast asks it of every contract of
# a year (tens of thousands at national scale).

Dues = tuple[Decimal, Decimal, Decimal]


def _month_end(day: datetime.date) -> datetime.date:
    following = datetime.date(day.year + day.month // 12, day.month % 12 + 1, 1)
    return following - datetime.timedelta(days=1)


def linear_due_by(
    signed_on: datetime.date, value: Decimal, deadline: datetime.date, day: datetime.date
) -> Decimal:
    """The sum of linear_tranches(signed_on, value, deadline) due by `day`: the cumulative
    amount of the last month's end reached by `day` (the cumulative never decreases)."""
    value = Decimal(value)
    if signed_on >= deadline:
        return value if signed_on <= day else Decimal(0)
    if day >= deadline:
        return value
    if day < _month_end(signed_on):
        return Decimal(0)
    # The last month's end reached by `day` (before the deadline, which `day` has not reached).
    month_end = _month_end(day)
    if month_end != day:
        month_end = day.replace(day=1) - datetime.timedelta(days=1)
    start, duration = day_number(signed_on), day_number(deadline) - day_number(signed_on)
    return value * (day_number(month_end) - start) // duration


def _dues(tranches: list[Tranche], on: datetime.date, year_end: datetime.date) -> Dues:
    due_now = due_by_year_end = after_year = Decimal(0)
    for day, amount in tranches:
        if day <= on:
            due_now += amount
        if day <= year_end:
            due_by_year_end += amount
        else:
            after_year += amount
    return due_now, due_by_year_end, after_year


def planned_dues(
    contracts: Iterable[dict], *, plan_year: int, on: datetime.date
) -> dict[int, Dues]:
    """{contract id: (due by `on`, due by 31 December, due after it)} of planned_payments()
    (same query), the linear schedules summed without being listed."""
    rows = list(contracts)
    if not rows:
        return {}
    deadline = datetime.date(plan_year, 12, 31)
    scheduled = _schedules(plan_year)
    dues = {}
    for row in rows:
        own = scheduled.get(row["id"])
        if own:
            dues[row["id"]] = _dues(own, on, deadline)
            continue
        signed_on, value = row["signed_on"], Decimal(row["value"])
        if signed_on >= deadline:  # due at once, in full, on the day of signature
            dues[row["id"]] = _dues([(signed_on, value)], on, deadline)
        else:  # every tranche falls due by the deadline, 31 December
            dues[row["id"]] = (linear_due_by(signed_on, value, deadline, on), value, Decimal(0))
    return dues
