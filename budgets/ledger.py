"""What every money service shares: saving with its author, row locks, the sums that bound a
write, the period lock and the advance rules in force. Only budgets' services import it."""

import datetime
from decimal import ROUND_FLOOR, Decimal

from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import Model, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from budgets.models import (
    AdvanceRule,
    Allocation,
    AnnualPlan,
    Contract,
    Disbursement,
    PeriodLock,
    money_sum,
)
from projects.models import Fund


class MoneyChainError(ValidationError):
    """A write that would break disbursed ≤ contracted ≤ approved ≤ envelope."""


class PeriodClosedError(ValidationError):
    """A write into a year whose books are closed."""


def save(obj: Model, by: User | None) -> None:
    obj.full_clean()
    obj._history_user = by  # recorded in the object's history with the change
    obj.save()


def lock[M: Model](obj: M) -> M:
    return type(obj).objects.select_for_update().get(pk=obj.pk)


def day(value: datetime.date) -> str:
    return value.strftime("%d/%m/%Y")


def today() -> datetime.date:
    return timezone.localdate()


def share(value: Decimal, rate: Decimal) -> Decimal:
    """`rate` per cent of `value`, in whole đồng, rounded down: a ceiling never rounds up."""
    return (value * rate / 100).to_integral_value(rounding=ROUND_FLOOR)


# The sums that bound each write.


def plan_envelope(plan: AnnualPlan) -> Decimal:
    return plan.batches.aggregate(total=money_sum("amount"))["total"]


def plan_allocated(plan: AnnualPlan, exclude: Allocation | None = None) -> Decimal:
    allocations = plan.allocations.all()
    if exclude is not None and exclude.pk:
        allocations = allocations.exclude(pk=exclude.pk)
    return allocations.aggregate(total=money_sum("amount"))["total"]


def allocation_contracted(allocation: Allocation, exclude: Contract | None = None) -> Decimal:
    contracts = allocation.contracts.all()
    if exclude is not None:
        contracts = contracts.exclude(pk=exclude.pk)
    return contracts.aggregate(total=money_sum("value"))["total"]


def contract_disbursed(contract: Contract, on: datetime.date | None = None) -> Decimal:
    """Net amount paid out under the contract (advances + payments − refunds), up to `on`."""
    entries = contract.disbursements.all()
    if on is not None:
        entries = entries.filter(paid_on__lte=on)
    return entries.aggregate(total=money_sum(Disbursement.signed_amount()))["total"]


def advances_outstanding(advanced: Decimal, refunded: Decimal) -> Decimal:
    """Advances not yet settled: what was advanced less what came back (a refund returns
    unused advance money), never below 0. The one rule the advance cap is checked on and the
    finance screens show."""
    return max(advanced - refunded, Decimal(0))


def contract_advanced(contract: Contract) -> tuple[Decimal, bool]:
    """Advances outstanding under the contract (advances − refunds, never below 0), and whether
    any advance was made at all."""
    ADVANCE, REFUND = Disbursement.Kind.ADVANCE, Disbursement.Kind.REFUND
    totals = contract.disbursements.aggregate(
        advanced=money_sum("amount", kind=ADVANCE),
        refunded=money_sum("amount", kind=REFUND),
    )
    outstanding = advances_outstanding(totals["advanced"], totals["refunded"])
    return outstanding, totals["advanced"] > 0


# Rules in force.


# PostgreSQL advisory lock (two-int form): the first int names this use, the second the period.
_PERIOD_LOCK_CLASS = 0x4B43  # "KC"


def _period_key(year: int, fund: str) -> int:
    return year * 10 + list(Fund.values).index(fund)


def lock_period(*, year: int, fund: str, exclusive: bool) -> None:
    """Writes into a period take it shared, the closing of the period exclusive, until their
    transaction ends: a closing waits for the writes in flight, and a write that starts after
    the closing committed sees it. SQLite runs one write transaction at a time anyway."""
    if connection.vendor != "postgresql":
        return
    function = "pg_advisory_xact_lock" if exclusive else "pg_advisory_xact_lock_shared"
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {function}(%s, %s)",  # one of the two names above
            [_PERIOD_LOCK_CLASS, _period_key(year, fund)],
        )


def assert_period_open(*, year: int, fund: str) -> None:
    """Refuse any money write into a year whose books are closed for the fund."""
    lock_period(year=year, fund=fund, exclusive=False)
    closing = PeriodLock.objects.filter(year=year, fund=fund, reopened_on__isnull=True).first()
    if closing is not None:
        raise PeriodClosedError(
            _(
                "Sổ năm %(year)s (%(fund)s) đã khoá ngày %(day)s: không ghi thêm, sửa số liệu "
                "tiền của năm này. Lãnh đạo phê duyệt hoặc quản trị hệ thống phải mở lại sổ "
                "trước."
            )
            % {"year": year, "fund": Fund(fund).label, "day": day(closing.closed_on)}
        )


def assert_periods_open(plan: AnnualPlan, *days: datetime.date | None) -> None:
    """The plan's year and the year of each date the write takes effect on must be open."""
    years = {plan.year} | {d.year for d in days if d is not None}
    for year in sorted(years):
        assert_period_open(year=year, fund=plan.fund)


def assert_not_future(value: datetime.date, what: str) -> None:
    if value > today():
        raise ValidationError(
            _("%(what)s %(day)s ở tương lai: chỉ ghi những gì đã xảy ra (hôm nay là %(today)s).")
            % {"what": what, "day": day(value), "today": day(today())}
        )


def advance_rule_on(on: datetime.date, scheme_kind: str) -> AdvanceRule | None:
    """The advance rule in force on a day for a kind of scheme: one for that kind if there is
    one, else one for every kind; None when no rule covers the day."""
    return (
        AdvanceRule.objects.filter(valid_from__lte=on)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=on))
        .filter(scheme_kind__in=[scheme_kind, ""])
        .order_by("-scheme_kind")  # the kind's own rule before the general one
        .first()
    )
