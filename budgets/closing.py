"""The end of a plan year: settlement (quyết toán) of each scheme's support, and the closing of
the year's books, which stops every money write dated in that year or for that year's plans
until the year is re-opened, with a reason, by an approver or an administrator."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import Role, User
from budgets.contracts import assert_not_settled
from budgets.ledger import (
    assert_not_future,
    assert_periods_open,
    contract_disbursed,
    day,
    lock,
    lock_period,
    save,
    today,
)
from budgets.models import Allocation, ContractLiquidation, PeriodLock, Settlement
from core.money import format_vnd
from projects.models import Fund, Scheme
from projects.services import record_transition

CLOSERS = {Role.MINISTRY, Role.APPROVER, Role.ADMIN}
REOPENERS = {Role.APPROVER, Role.ADMIN}


def _may(user: User, roles: set[str]) -> bool:
    return user.is_superuser or user.role in roles


@transaction.atomic
def allocation_settle(
    *,
    allocation: Allocation,
    decision_number: str,
    settled_on: datetime.date,
    by: User | None = None,
) -> Settlement:
    """Settle a scheme's support in one plan. Every contract of it must be liquidated, and its
    net disbursed brought to the liquidated value. The amount settled is the net disbursed on
    the settlement date; the rest of the support approved goes back to the budget. When every
    allocation of a liquidated scheme is settled, the scheme moves to "settled"
    (projects.workflow) with the settlement's decision number, in the same transaction."""
    scheme = Scheme.objects.select_for_update(of=("self",)).get(pk=allocation.scheme_id)
    allocation = lock(allocation)
    # Its contracts too, so that no payment slips in between the sums and the settlement.
    contracts = list(allocation.contracts.select_for_update().order_by("signed_on", "pk"))
    assert_periods_open(allocation.plan, settled_on)
    assert_not_future(settled_on, _("Ngày quyết toán"))
    assert_not_settled(allocation)
    settled = 0
    for contract in contracts:
        liquidation = ContractLiquidation.objects.filter(contract=contract).first()
        if liquidation is None:
            raise ValidationError(
                _("Chưa quyết toán được đề án %(code)s: %(contract)s chưa thanh lý.")
                % {"code": allocation.scheme.code, "contract": contract}
            )
        if settled_on < liquidation.signed_on:
            raise ValidationError(
                _("Ngày quyết toán %(day)s trước ngày thanh lý %(contract)s (%(liquidated)s).")
                % {
                    "day": day(settled_on),
                    "contract": contract,
                    "liquidated": day(liquidation.signed_on),
                }
            )
        disbursed = contract_disbursed(contract, on=settled_on)
        if disbursed != liquidation.final_value:
            raise ValidationError(
                _(
                    "Chưa quyết toán được đề án %(code)s: %(contract)s thanh lý %(final)s nhưng "
                    "đến ngày %(day)s đã giải ngân %(disbursed)s."
                )
                % {
                    "code": allocation.scheme.code,
                    "contract": contract,
                    "final": format_vnd(liquidation.final_value),
                    "day": day(settled_on),
                    "disbursed": format_vnd(disbursed),
                }
            )
        settled += disbursed
    settlement = Settlement(
        allocation=allocation,
        decision_number=decision_number,
        settled_on=settled_on,
        settled_amount=settled,
        returned_amount=allocation.amount - settled,
        recorded_by=by,
    )
    save(settlement, by)
    unsettled = Allocation.objects.filter(scheme=scheme, settlement__isnull=True).exists()
    if scheme.status == Scheme.Status.LIQUIDATED and not unsettled and by is not None:
        record_transition(
            scheme=scheme, to=Scheme.Status.SETTLED, by=by, decision_number=decision_number
        )
    return settlement


@transaction.atomic
def year_close(
    *,
    year: int,
    fund: str,
    by: User,
    closed_on: datetime.date | None = None,
    note: str = "",
) -> PeriodLock:
    """Close the books of a year for a fund, once the year is over."""
    if not _may(by, CLOSERS):
        raise PermissionDenied(_("Chỉ cán bộ Bộ, lãnh đạo phê duyệt hoặc quản trị được khoá sổ."))
    closed_on = closed_on or today()
    assert_not_future(closed_on, _("Ngày khoá sổ"))
    if closed_on <= datetime.date(year, 12, 31):
        raise ValidationError(
            _("Chưa khoá sổ năm %(year)s được ngày %(day)s: năm chưa kết thúc.")
            % {"year": year, "day": day(closed_on)}
        )
    lock_period(year=year, fund=fund, exclusive=True)  # waits for the writes in flight
    open_lock = PeriodLock.objects.filter(year=year, fund=fund, reopened_on__isnull=True)
    if open_lock.exists():
        raise ValidationError(
            _("Sổ năm %(year)s (%(fund)s) đã khoá.") % {"year": year, "fund": Fund(fund).label}
        )
    closing = PeriodLock(year=year, fund=fund, closed_on=closed_on, closed_by=by, note=note)
    save(closing, by)
    return closing


@transaction.atomic
def year_reopen(
    *,
    year: int,
    fund: str,
    by: User,
    reason: str,
    reopened_on: datetime.date | None = None,
) -> PeriodLock:
    """Re-open a closed year, with the reason; the closing row keeps who re-opened it."""
    if not _may(by, REOPENERS):
        raise PermissionDenied(_("Chỉ lãnh đạo phê duyệt hoặc quản trị được mở lại sổ."))
    if not reason.strip():
        raise ValidationError(_("Mở lại sổ phải ghi lý do."))
    closing = (
        PeriodLock.objects.select_for_update()
        .filter(year=year, fund=fund, reopened_on__isnull=True)
        .first()
    )
    if closing is None:
        raise ValidationError(
            _("Sổ năm %(year)s (%(fund)s) đang mở.") % {"year": year, "fund": Fund(fund).label}
        )
    reopened_on = reopened_on or today()
    assert_not_future(reopened_on, _("Ngày mở lại sổ"))
    if reopened_on < closing.closed_on:
        raise ValidationError(
            _("Ngày mở lại %(day)s trước ngày khoá sổ %(closed)s.")
            % {"day": day(reopened_on), "closed": day(closing.closed_on)}
        )
    closing.reopened_on = reopened_on
    closing.reopened_by = by
    closing.reopen_reason = reason
    save(closing, by)
    return closing
