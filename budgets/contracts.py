"""A contract after its signature: the planned payment schedule, amendments of its value and
its liquidation. Rows are locked in the order every money service uses: allocation, then
contract."""

import datetime
from collections.abc import Sequence
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from budgets.ledger import (
    MoneyChainError,
    allocation_contracted,
    assert_not_future,
    assert_periods_open,
    contract_disbursed,
    day,
    lock,
    save,
)
from budgets.models import (
    Allocation,
    Contract,
    ContractAmendment,
    ContractLiquidation,
    ContractTranche,
    Settlement,
)
from core.money import format_vnd
from projects.models import Scheme
from projects.services import record_transition

type TrancheInput = tuple[datetime.date, Decimal]


def assert_not_settled(allocation: Allocation) -> None:
    settlement = Settlement.objects.filter(allocation=allocation).first()
    if settlement is not None:
        raise ValidationError(
            _("Kinh phí của đề án %(code)s năm %(year)s đã quyết toán (%(number)s, %(day)s).")
            % {
                "code": allocation.scheme.code,
                "year": allocation.plan.year,
                "number": settlement.decision_number,
                "day": day(settlement.settled_on),
            }
        )


def assert_not_liquidated(contract: Contract) -> None:
    liquidation = ContractLiquidation.objects.filter(contract=contract).first()
    if liquidation is not None:
        raise ValidationError(
            _("%(contract)s đã thanh lý ngày %(day)s.")
            % {"contract": contract, "day": day(liquidation.signed_on)}
        )


def replace_tranches(
    contract: Contract, tranches: Sequence[TrancheInput], by: User | None
) -> list[ContractTranche]:
    """Write the contract's schedule anew, numbered by date. The tranches must add up to the
    contract's value and fall between its signature and 31 December of its plan year."""
    ordered = sorted(tranches, key=lambda tranche: tranche[0])
    year_end = datetime.date(contract.allocation.plan.year, 12, 31)
    for due_on, _amount in ordered:
        if not contract.signed_on <= due_on <= year_end:
            raise ValidationError(
                _(
                    "Đợt thanh toán ngày %(due)s của %(contract)s phải từ ngày ký %(signed)s "
                    "đến %(end)s."
                )
                % {
                    "due": day(due_on),
                    "contract": contract,
                    "signed": day(contract.signed_on),
                    "end": day(year_end),
                }
            )
    total = sum((Decimal(amount) for _due, amount in ordered), Decimal(0))
    if total != contract.value:
        raise MoneyChainError(
            _(
                "Các đợt thanh toán của %(contract)s cộng lại %(total)s, khác giá trị hợp đồng "
                "%(value)s."
            )
            % {
                "contract": contract,
                "total": format_vnd(total),
                "value": format_vnd(contract.value),
            }
        )
    for old in contract.tranches.all():
        old._history_user = by
        old.delete()  # a schedule is a plan, replaced whole; its history keeps the old one
    saved = []
    for number, (due_on, amount) in enumerate(ordered, start=1):
        tranche = ContractTranche(contract=contract, number=number, due_on=due_on, amount=amount)
        save(tranche, by)
        saved.append(tranche)
    return saved


@transaction.atomic
def contract_tranches_set(
    *, contract: Contract, tranches: Sequence[TrancheInput], by: User | None = None
) -> list[ContractTranche]:
    """Set the planned payment schedule of a contract: (due date, amount) pairs."""
    contract = lock(contract)
    assert_periods_open(contract.allocation.plan)
    assert_not_settled(contract.allocation)
    assert_not_liquidated(contract)
    return replace_tranches(contract, tranches, by)


@transaction.atomic
def contract_amend(
    *,
    contract: Contract,
    number: str,
    signed_on: datetime.date,
    value: Decimal,
    reason: str,
    tranches: Sequence[TrancheInput] | None = None,
    by: User | None = None,
) -> ContractAmendment:
    """Change the value of a contract by an amendment. Refused above what the allocation still
    has for it, or below what is already disbursed under it. A contract with a schedule needs
    the new schedule with the amendment. The contract row is saved last."""
    allocation = lock(contract.allocation)
    contract = lock(contract)
    assert_periods_open(allocation.plan, signed_on)
    assert_not_future(signed_on, _("Ngày ký phụ lục"))
    assert_not_settled(allocation)
    assert_not_liquidated(contract)
    if not reason.strip():
        raise ValidationError(_("Điều chỉnh hợp đồng phải ghi lý do."))
    if signed_on < contract.signed_on:
        raise ValidationError(
            _("Phụ lục ký ngày %(day)s, trước ngày ký %(contract)s (%(signed)s).")
            % {"day": day(signed_on), "contract": contract, "signed": day(contract.signed_on)}
        )
    others = allocation_contracted(allocation, exclude=contract)
    if others + value > allocation.amount:
        raise MoneyChainError(
            _(
                "Không thể điều chỉnh %(contract)s lên %(value)s: đề án %(code)s được duyệt "
                "%(approved)s, các hợp đồng khác đã ký %(others)s, còn %(remaining)s."
            )
            % {
                "contract": contract,
                "value": format_vnd(value),
                "code": allocation.scheme.code,
                "approved": format_vnd(allocation.amount),
                "others": format_vnd(others),
                "remaining": format_vnd(allocation.amount - others),
            }
        )
    disbursed = contract_disbursed(contract)
    if value < disbursed:
        raise MoneyChainError(
            _("Không thể điều chỉnh %(contract)s xuống %(value)s: đã giải ngân %(disbursed)s.")
            % {
                "contract": contract,
                "value": format_vnd(value),
                "disbursed": format_vnd(disbursed),
            }
        )
    if tranches is None and contract.tranches.exists():
        raise ValidationError(
            _("%(contract)s có lịch thanh toán: hãy lập lại lịch theo giá trị mới.")
            % {"contract": contract}
        )
    amendment = ContractAmendment(
        contract=contract,
        number=number,
        signed_on=signed_on,
        value_before=contract.value,
        value_after=value,
        reason=reason,
        recorded_by=by,
    )
    save(amendment, by)
    contract.value = value
    if tranches is not None:
        replace_tranches(contract, tranches, by)
    save(contract, by)  # last: what recomputes on a contract's save sees the whole change
    return amendment


@transaction.atomic
def contract_liquidate(
    *,
    contract: Contract,
    number: str,
    signed_on: datetime.date,
    final_value: Decimal,
    note: str = "",
    by: User | None = None,
) -> ContractLiquidation:
    """Record the liquidation of a contract at the value finally accepted. From then on the
    ledger may only bring the net disbursed to that value (final payment or refund). When it
    was the last contract of an accepted scheme to be liquidated, the scheme moves to
    "liquidated" (projects.workflow), with the liquidation's number, in the same transaction."""
    # The scheme first: the order in which the approval takes its locks (scheme, plan,
    # allocation, contract), so that the two never wait on each other.
    scheme = Scheme.objects.select_for_update(of=("self",)).get(pk=contract.allocation.scheme_id)
    allocation = lock(contract.allocation)
    contract = lock(contract)
    assert_periods_open(allocation.plan, signed_on)
    assert_not_future(signed_on, _("Ngày thanh lý"))
    assert_not_settled(allocation)
    assert_not_liquidated(contract)
    if signed_on < contract.signed_on:
        raise ValidationError(
            _("Ngày thanh lý %(day)s trước ngày ký %(contract)s (%(signed)s).")
            % {"day": day(signed_on), "contract": contract, "signed": day(contract.signed_on)}
        )
    if final_value > contract.value:
        raise MoneyChainError(
            _("Giá trị thanh lý %(final)s vượt giá trị %(contract)s: %(value)s.")
            % {
                "final": format_vnd(final_value),
                "contract": contract,
                "value": format_vnd(contract.value),
            }
        )
    liquidation = ContractLiquidation(
        contract=contract,
        number=number,
        signed_on=signed_on,
        final_value=final_value,
        note=note,
        recorded_by=by,
    )
    save(liquidation, by)
    unliquidated = Contract.objects.filter(
        allocation__scheme=scheme, liquidation__isnull=True
    ).exists()
    if scheme.status == Scheme.Status.ACCEPTED and not unliquidated and by is not None:
        record_transition(scheme=scheme, to=Scheme.Status.LIQUIDATED, by=by, decision_number=number)
    return liquidation


# Withdrawing what was recorded by mistake (an import undone as a whole), while nothing hangs on
# it. The rows go; their history keeps them, with who withdrew them.


@transaction.atomic
def contract_remove(*, contract: Contract, by: User | None = None) -> None:
    """Remove a contract recorded by mistake. Refused once anything hangs on it: a ledger entry
    (reversed ones too: the ledger never loses an entry), an amendment, a payment schedule, a
    liquidation, the settlement of its allocation, or the closing of its books."""
    allocation = lock(contract.allocation)
    contract = lock(contract)
    assert_periods_open(allocation.plan, contract.signed_on)
    assert_not_settled(allocation)
    assert_not_liquidated(contract)
    if contract.disbursements.exists():
        raise ValidationError(
            _("%(contract)s đã có chứng từ giải ngân trong sổ: không xoá được.")
            % {"contract": contract}
        )
    if contract.amendments.exists():
        raise ValidationError(
            _("%(contract)s đã có phụ lục điều chỉnh: không xoá được.") % {"contract": contract}
        )
    if contract.tranches.exists():
        raise ValidationError(
            _("%(contract)s đã có lịch thanh toán: không xoá được.") % {"contract": contract}
        )
    contract._history_user = by
    contract.delete()


@transaction.atomic
def amendment_remove(*, amendment: ContractAmendment, by: User | None = None) -> Contract:
    """Withdraw an amendment recorded by mistake: the contract goes back to the value before
    it. Only the contract's latest amendment, while the contract still has the value it set, no
    payment schedule was drawn for that value, no more than the value before was disbursed, the
    support approved still holds the value before, and the books are open."""
    allocation = lock(amendment.contract.allocation)
    contract = lock(amendment.contract)
    amendment = ContractAmendment.objects.get(pk=amendment.pk)
    assert_periods_open(allocation.plan, amendment.signed_on)
    assert_not_settled(allocation)
    assert_not_liquidated(contract)
    latest = contract.amendments.order_by("-pk").first()
    if latest != amendment or contract.value != amendment.value_after:
        raise ValidationError(
            _("%(contract)s đã được điều chỉnh sau phụ lục %(number)s: không rút phụ lục này được.")
            % {"contract": contract, "number": amendment.number}
        )
    if contract.tranches.exists():
        raise ValidationError(
            _("%(contract)s đã có lịch thanh toán theo giá trị mới: không rút phụ lục được.")
            % {"contract": contract}
        )
    disbursed = contract_disbursed(contract)
    if disbursed > amendment.value_before:
        raise MoneyChainError(
            _(
                "Không rút được phụ lục %(number)s: %(contract)s đã giải ngân %(disbursed)s, "
                "hơn giá trị trước điều chỉnh %(value)s."
            )
            % {
                "number": amendment.number,
                "contract": contract,
                "disbursed": format_vnd(disbursed),
                "value": format_vnd(amendment.value_before),
            }
        )
    others = allocation_contracted(allocation, exclude=contract)
    if others + amendment.value_before > allocation.amount:
        raise MoneyChainError(
            _(
                "Không rút được phụ lục %(number)s: đề án %(code)s được duyệt %(approved)s, các "
                "hợp đồng khác đã ký %(others)s, không còn đủ cho giá trị trước điều chỉnh "
                "%(value)s."
            )
            % {
                "number": amendment.number,
                "code": allocation.scheme.code,
                "approved": format_vnd(allocation.amount),
                "others": format_vnd(others),
                "value": format_vnd(amendment.value_before),
            }
        )
    amendment._history_user = by
    amendment.delete()
    contract.value = amendment.value_before
    save(contract, by)  # last: what recomputes on a contract's save sees the whole change
    return contract
