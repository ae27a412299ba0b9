"""Every write of money: plan batches, allocations, contracts and the disbursement ledger; the
services of envelopes, contract amendments, settlement and the closing of a year live in
budgets.envelopes, budgets.contracts and budgets.closing and are imported from here.

The chain disbursed ≤ contracted ≤ approved ≤ envelope must hold per contract, per scheme and
per plan at every moment. Each service locks the row that bounds what it writes (plan, then
allocation, then contract: always in that order, so two services never wait on each other),
recomputes the sums under the lock and refuses, with a Vietnamese message, what would break
the chain. Two payments racing on one contract therefore run one after the other, and the
second sees the first. Every service first asks budgets.ledger.assert_period_open whether the
years it writes into are still open."""

import datetime
from collections.abc import Sequence
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Sum, Window
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from budgets.closing import allocation_settle, year_close, year_reopen
from budgets.contracts import (
    TrancheInput,
    amendment_remove,
    assert_not_settled,
    contract_amend,
    contract_liquidate,
    contract_remove,
    contract_tranches_set,
    replace_tranches,
)
from budgets.envelopes import assert_within_envelope, envelope_set, envelope_transfer
from budgets.ledger import (
    MoneyChainError,
    PeriodClosedError,
    advance_rule_on,
    allocation_contracted,
    assert_not_future,
    assert_period_open,
    assert_periods_open,
    contract_advanced,
    contract_disbursed,
    day,
    plan_allocated,
    plan_envelope,
    share,
    today,
)
from budgets.ledger import lock as _lock
from budgets.ledger import save as _save
from budgets.models import (
    Allocation,
    AllocationChange,
    AnnualPlan,
    Contract,
    ContractLiquidation,
    Disbursement,
    PlanBatch,
)
from core.money import format_rate, format_vnd
from organisations.models import Organisation
from projects.models import Scheme
from projects.services import lock_for_transition, record_transition

__all__ = [
    "MoneyChainError",
    "PeriodClosedError",
    "allocation_contracted",
    "allocation_set",
    "allocation_settle",
    "amendment_remove",
    "assert_period_open",
    "contract_amend",
    "contract_disbursed",
    "contract_liquidate",
    "contract_remove",
    "contract_sign",
    "contract_tranches_set",
    "disbursement_record",
    "disbursement_reverse",
    "envelope_set",
    "envelope_transfer",
    "plan_allocated",
    "plan_batch_add",
    "plan_envelope",
    "scheme_approve",
    "schemes_approve",
    "year_close",
    "year_reopen",
]


@transaction.atomic
def plan_batch_add(
    *,
    plan: AnnualPlan,
    number: int,
    decision_number: str,
    decision_date: datetime.date,
    amount: Decimal,
    by: User | None = None,
) -> PlanBatch:
    plan = _lock(plan)
    assert_periods_open(plan, decision_date)
    batch = PlanBatch(
        plan=plan,
        number=number,
        decision_number=decision_number,
        decision_date=decision_date,
        amount=amount,
    )
    _save(batch, by)
    return batch


@transaction.atomic
def allocation_set(
    *,
    scheme: Scheme,
    batch: PlanBatch,
    amount: Decimal,
    by: User | None = None,
    decided_on: datetime.date | None = None,
    decision_number: str = "",
    reason: str = "",
) -> Allocation:
    """Approve `amount` of support for `scheme` in the batch's plan, or change the amount
    approved before (recorded as an AllocationChange with its decision and reason). Refused
    beyond the plan's remaining money, beyond the envelope of the scheme's centre or province
    when the plan sets one, or below what is contracted."""
    plan = _lock(batch.plan)
    assert_periods_open(plan, decided_on)
    # A pilot scheme runs over several years and is funded from each year's plan.
    other_year = plan.year != scheme.plan_year and not (
        scheme.kind == Scheme.Kind.PILOT and plan.year > scheme.plan_year
    )
    if scheme.fund != plan.fund or other_year:
        raise ValidationError(
            _("Đề án %(code)s (năm %(year)s) không thuộc kế hoạch %(plan)s.")
            % {"code": scheme.code, "year": scheme.plan_year, "plan": plan}
        )
    allocation = Allocation.objects.select_for_update().filter(
        plan=plan, scheme=scheme
    ).first() or Allocation(plan=plan, scheme=scheme)
    remaining = plan_envelope(plan) - plan_allocated(plan, exclude=allocation)
    if amount > remaining:
        raise MoneyChainError(
            _(
                "Không thể duyệt %(amount)s cho đề án %(code)s: kế hoạch %(plan)s chỉ còn "
                "%(remaining)s chưa phân bổ."
            )
            % {
                "amount": format_vnd(amount),
                "code": scheme.code,
                "plan": plan,
                "remaining": format_vnd(remaining),
            }
        )
    assert_within_envelope(plan=plan, scheme=scheme, allocation=allocation, amount=amount)
    if allocation.pk:
        assert_not_settled(allocation)
        contracted = allocation_contracted(allocation)
        if amount < contracted:
            raise MoneyChainError(
                _(
                    "Không thể giảm kinh phí được duyệt của đề án %(code)s xuống %(amount)s: "
                    "đã ký hợp đồng %(contracted)s."
                )
                % {
                    "code": scheme.code,
                    "amount": format_vnd(amount),
                    "contracted": format_vnd(contracted),
                }
            )
    if allocation.pk and allocation.amount != amount:
        if decided_on is not None:
            assert_not_future(decided_on, _("Ngày quyết định"))
        change = AllocationChange(
            allocation=allocation,
            decided_on=decided_on or today(),
            decision_number=decision_number,
            amount_before=allocation.amount,
            amount_after=amount,
            reason=reason,
            recorded_by=by,
        )
        _save(change, by)
    allocation.batch = batch
    allocation.amount = amount
    _save(allocation, by)  # last: what recomputes on an allocation's save sees the change
    return allocation


@transaction.atomic
def contract_sign(
    *,
    allocation: Allocation,
    kind: str,
    number: str,
    signed_on: datetime.date,
    value: Decimal,
    contractor: Organisation,
    by: User | None = None,
    tranches: Sequence[TrancheInput] | None = None,
) -> Contract:
    """Record a contract or task assignment, with its payment schedule if given as (due
    date, amount) pairs; refused beyond the support approved, or dated after today."""
    allocation = _lock(allocation)
    assert_periods_open(allocation.plan, signed_on)
    assert_not_future(signed_on, _("Ngày ký hợp đồng"))
    assert_not_settled(allocation)
    contracted = allocation_contracted(allocation)
    if contracted + value > allocation.amount:
        raise MoneyChainError(
            _(
                "Giá trị hợp đồng %(value)s vượt kinh phí còn lại của đề án %(code)s: được duyệt "
                "%(approved)s, đã ký %(contracted)s, còn %(remaining)s."
            )
            % {
                "value": format_vnd(value),
                "code": allocation.scheme.code,
                "approved": format_vnd(allocation.amount),
                "contracted": format_vnd(contracted),
                "remaining": format_vnd(allocation.amount - contracted),
            }
        )
    contract = Contract(
        allocation=allocation,
        kind=kind,
        number=number,
        signed_on=signed_on,
        value=value,
        contractor=contractor,
    )
    _save(contract, by)
    if tranches is not None:
        replace_tranches(contract, tranches, by)
    return contract


@transaction.atomic
def disbursement_record(
    *,
    contract: Contract,
    kind: str,
    amount: Decimal,
    paid_on: datetime.date,
    voucher_number: str,
    by: User | None = None,
    note: str = "",
) -> Disbursement:
    """Record an advance, a payment or a refund against a contract. Refused before the contract
    was signed or after today, beyond its value (its liquidated value once liquidated), for a
    refund larger than what was paid out, or for an advance beyond the rates of the advance
    rule in force on the voucher's date."""
    contract = _lock(contract)
    assert_periods_open(contract.allocation.plan, paid_on)
    assert_not_future(paid_on, _("Ngày chứng từ"))
    assert_not_settled(contract.allocation)
    if paid_on < contract.signed_on:
        raise MoneyChainError(
            _("Ngày chứng từ %(paid)s trước ngày ký %(contract)s (%(signed)s).")
            % {
                "paid": paid_on.strftime("%d/%m/%Y"),
                "contract": contract,
                "signed": contract.signed_on.strftime("%d/%m/%Y"),
            }
        )
    disbursed = contract_disbursed(contract)
    if kind == Disbursement.Kind.REFUND:
        # Money can only come back once it was out: on the refund's date, and ever after.
        refundable = min(disbursed, contract_disbursed(contract, on=paid_on))
        if amount > refundable:
            raise MoneyChainError(
                _(
                    "Số thu hồi %(amount)s lớn hơn số đã giải ngân của %(contract)s đến ngày "
                    "%(day)s: %(paid)s."
                )
                % {
                    "amount": format_vnd(amount),
                    "contract": contract,
                    "day": paid_on.strftime("%d/%m/%Y"),
                    "paid": format_vnd(refundable),
                }
            )
    else:
        _assert_payable(contract, kind, amount, paid_on, disbursed)
    disbursement = Disbursement(
        contract=contract,
        kind=kind,
        amount=amount,
        paid_on=paid_on,
        voucher_number=voucher_number,
        recorded_by=by,
        note=note,
    )
    _save(disbursement, by)
    return disbursement


def _assert_payable(
    contract: Contract, kind: str, amount: Decimal, paid_on: datetime.date, disbursed: Decimal
) -> None:
    """An advance or a payment: within the contract's value (or the value it was liquidated
    at), and an advance within the advance rule in force on its date."""
    liquidation = ContractLiquidation.objects.filter(contract=contract).first()
    if liquidation is not None and kind == Disbursement.Kind.ADVANCE:
        raise MoneyChainError(
            _("Không tạm ứng cho %(contract)s: đã thanh lý ngày %(day)s.")
            % {"contract": contract, "day": day(liquidation.signed_on)}
        )
    if liquidation is not None and disbursed + amount > liquidation.final_value:
        raise MoneyChainError(
            _(
                "Số tiền %(amount)s vượt phần còn lại của %(contract)s: giá trị thanh lý "
                "%(value)s, đã giải ngân %(paid)s, còn %(remaining)s."
            )
            % {
                "amount": format_vnd(amount),
                "contract": contract,
                "value": format_vnd(liquidation.final_value),
                "paid": format_vnd(disbursed),
                "remaining": format_vnd(liquidation.final_value - disbursed),
            }
        )
    if disbursed + amount > contract.value:
        raise MoneyChainError(
            _(
                "Số tiền %(amount)s vượt phần còn lại của %(contract)s: giá trị %(value)s, "
                "đã giải ngân %(paid)s, còn %(remaining)s."
            )
            % {
                "amount": format_vnd(amount),
                "contract": contract,
                "value": format_vnd(contract.value),
                "paid": format_vnd(disbursed),
                "remaining": format_vnd(contract.value - disbursed),
            }
        )
    if kind != Disbursement.Kind.ADVANCE:
        return
    rule = advance_rule_on(paid_on, contract.allocation.scheme.kind)
    if rule is None:
        return  # no rule known for that day: the contract's value alone bounds the advance
    advanced, any_before = contract_advanced(contract)
    if not any_before and amount > share(contract.value, rule.first_advance_rate):
        raise MoneyChainError(
            _(
                "Tạm ứng lần đầu %(amount)s vượt mức %(rate)s giá trị %(contract)s "
                "(%(limit)s) theo quy định tạm ứng áp dụng từ %(since)s."
            )
            % {
                "amount": format_vnd(amount),
                "rate": format_rate(rule.first_advance_rate),
                "contract": contract,
                "limit": format_vnd(share(contract.value, rule.first_advance_rate)),
                "since": day(rule.valid_from),
            }
        )
    cap = share(contract.value, rule.advance_cap_rate)
    if advanced + amount > cap:
        raise MoneyChainError(
            _(
                "Tạm ứng %(amount)s vượt mức tạm ứng tối đa %(rate)s giá trị %(contract)s "
                "(%(cap)s) theo quy định áp dụng từ %(since)s: đã tạm ứng (trừ số thu hồi) "
                "%(advanced)s, còn được tạm ứng %(remaining)s."
            )
            % {
                "amount": format_vnd(amount),
                "rate": format_rate(rule.advance_cap_rate),
                "contract": contract,
                "cap": format_vnd(cap),
                "since": day(rule.valid_from),
                "advanced": format_vnd(advanced),
                "remaining": format_vnd(max(cap - advanced, Decimal(0))),
            }
        )


@transaction.atomic
def scheme_approve(
    *,
    scheme: Scheme,
    batch: PlanBatch,
    by: User,
    amount: Decimal | None = None,
    expected_status: str | None = None,
) -> Allocation:
    """Approve an appraised scheme in a plan batch: the workflow move and the money in one
    transaction. The amount defaults to the support requested; refused beyond the plan's
    remaining envelope (allocation_set), so nothing is half-made."""
    locked, _transition = lock_for_transition(
        scheme=scheme, to=Scheme.Status.APPROVED, by=by, expected_status=expected_status
    )
    allocation = allocation_set(
        scheme=locked,
        batch=batch,
        amount=locked.support_requested if amount is None else amount,
        by=by,
    )
    record_transition(
        scheme=locked, to=Scheme.Status.APPROVED, by=by, decision_number=batch.decision_number
    )
    return allocation


@transaction.atomic
def schemes_approve(*, schemes: list[Scheme], batch: PlanBatch, by: User) -> list[Allocation]:
    """Approve several schemes in one batch, each for the support it requested: all of them,
    or, if any one is refused, none."""
    return [
        scheme_approve(scheme=scheme, batch=batch, by=by, expected_status=scheme.status)
        for scheme in sorted(schemes, key=lambda s: s.pk)
    ]


def _end_of_day_nets(contract: Contract) -> list[tuple[datetime.date, Decimal]]:
    """(day, net disbursed at the end of that day) for every day with an entry, oldest first.
    The window orders by day alone, so entries of one day are summed together."""
    running = Window(Sum(Disbursement.signed_amount()), order_by=F("paid_on").asc())
    rows = contract.disbursements.order_by("paid_on").annotate(net=running)
    return list(dict(rows.values_list("paid_on", "net")).items())


@transaction.atomic
def disbursement_reverse(
    *,
    entry: Disbursement,
    reason: str,
    voucher_number: str,
    paid_on: datetime.date | None = None,
    by: User | None,
) -> Disbursement:
    """Cancel a mistaken ledger entry with a counter-entry: the same kind, the opposite amount,
    its own voucher, dated `paid_on` (today by default), with the reason. The entry itself stays
    as it was. Refused for an entry already reversed, for a counter-entry, and when the ledger
    would break the chain from that day on: a reversed refund must not take the net above the
    contract's value, a reversed advance or payment must not leave later refunds larger than
    what was out."""
    contract = _lock(entry.contract)
    entry = Disbursement.objects.get(pk=entry.pk)
    reason = (reason or "").strip()
    voucher = entry.voucher_number
    if entry.reverses_id is not None:
        raise ValidationError(
            _(
                "Chứng từ %(voucher)s đã là bút toán đảo: không đảo lại một bút toán đảo; nếu cần, "
                "ghi lại chứng từ đúng."
            )
            % {"voucher": voucher}
        )
    counter = Disbursement.objects.filter(reverses=entry).first()
    if counter is not None:
        raise ValidationError(
            _("Chứng từ %(voucher)s đã được đảo bằng chứng từ %(counter)s ngày %(day)s.")
            % {
                "voucher": voucher,
                "counter": counter.voucher_number,
                "day": counter.paid_on.strftime("%d/%m/%Y"),
            }
        )
    if not reason:
        raise ValidationError(
            {"reason": _("Ghi lý do đảo chứng từ %(voucher)s.") % {"voucher": voucher}}
        )
    if len(reason) > 255:
        raise ValidationError({"reason": _("Lý do đảo bút toán dài quá 255 ký tự.")})
    paid_on = paid_on or timezone.localdate()
    assert_periods_open(contract.allocation.plan, paid_on)
    assert_not_future(paid_on, _("Ngày bút toán đảo"))
    assert_not_settled(contract.allocation)
    if paid_on < entry.paid_on:
        raise ValidationError(
            {
                "paid_on": _(
                    "Ngày bút toán đảo %(day)s trước ngày của chứng từ %(voucher)s (%(entry_day)s)."
                )
                % {
                    "day": paid_on.strftime("%d/%m/%Y"),
                    "voucher": voucher,
                    "entry_day": entry.paid_on.strftime("%d/%m/%Y"),
                }
            }
        )

    # The counter-entry moves the net by `effect` on every day from `paid_on` on.
    effect = entry.amount if entry.kind == Disbursement.Kind.REFUND else -entry.amount
    points = [(paid_on, contract_disbursed(contract, on=paid_on))]
    points += [(day, net) for day, net in _end_of_day_nets(contract) if day > paid_on]
    if effect > 0:
        day, net = max(points, key=lambda point: point[1])
        if net + effect > contract.value:
            raise MoneyChainError(
                _(
                    "Không thể đảo chứng từ thu hồi %(voucher)s: số đã giải ngân của %(contract)s "
                    "ngày %(day)s sẽ là %(net)s, vượt giá trị %(value)s."
                )
                % {
                    "voucher": voucher,
                    "contract": contract,
                    "day": day.strftime("%d/%m/%Y"),
                    "net": format_vnd(net + effect),
                    "value": format_vnd(contract.value),
                }
            )
    else:
        day, net = min(points, key=lambda point: point[1])
        if net + effect < 0:
            raise MoneyChainError(
                _(
                    "Không thể đảo chứng từ %(voucher)s (%(amount)s): đến ngày %(day)s "
                    "%(contract)s chỉ có %(net)s đã giải ngân, số thu hồi sẽ lớn hơn số đã chi. "
                    "Đảo chứng từ thu hồi trước."
                )
                % {
                    "voucher": voucher,
                    "amount": format_vnd(entry.amount),
                    "day": day.strftime("%d/%m/%Y"),
                    "contract": contract,
                    "net": format_vnd(net),
                }
            )
    if entry.kind == Disbursement.Kind.REFUND:
        # The refunded advance is out again: the advance cap in force on the day still holds.
        rule = advance_rule_on(paid_on, contract.allocation.scheme.kind)
        outstanding, _advanced = contract_advanced(contract)
        if rule is not None and outstanding + entry.amount > share(
            contract.value, rule.advance_cap_rate
        ):
            raise MoneyChainError(
                _(
                    "Không thể đảo chứng từ thu hồi %(voucher)s: số tạm ứng chưa thu hồi của "
                    "%(contract)s sẽ là %(outstanding)s, vượt mức tạm ứng tối đa %(rate)s giá trị "
                    "(%(cap)s)."
                )
                % {
                    "voucher": voucher,
                    "contract": contract,
                    "outstanding": format_vnd(outstanding + entry.amount),
                    "rate": format_rate(rule.advance_cap_rate),
                    "cap": format_vnd(share(contract.value, rule.advance_cap_rate)),
                }
            )

    counter = Disbursement(
        contract=contract,
        kind=entry.kind,
        amount=-entry.amount,
        paid_on=paid_on,
        voucher_number=voucher_number,
        recorded_by=by,
        note=reason,
        reverses=entry,
    )
    counter._change_reason = reason  # the history row says why
    # MoneyField's "not below 0" is for amounts typed in; this one is the entry's, negated, and
    # the table's check constraint still requires a negative amount to reverse an entry.
    counter.full_clean(exclude={"amount"})
    counter._history_user = by
    counter.save()
    return counter
