"""Envelopes: a plan's money set aside per regional centre and per province, and the mid-year
transfers between them. Every write locks the plan first, as allocation_set does, so that an
approval and a transfer on one plan run one after the other."""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from accounts.models import User
from budgets.ledger import (
    MoneyChainError,
    assert_not_future,
    assert_periods_open,
    lock,
    plan_envelope,
    save,
)
from budgets.models import Allocation, AnnualPlan, Envelope, EnvelopeTransfer, money_sum
from core.money import format_vnd
from organisations.models import Organisation
from projects.models import Scheme
from provinces.models import Province


def envelope_allocations(envelope: Envelope) -> QuerySet[Allocation]:
    """The allocations of the plan that count against the envelope: a centre's holds the
    schemes it implements; a province's holds the schemes located there (on either map) that
    no centre's envelope of the plan holds."""
    allocations = Allocation.objects.filter(plan_id=envelope.plan_id)
    if envelope.organisation_id:
        return allocations.filter(scheme__implementing_unit_id=envelope.organisation_id)
    centres = Envelope.objects.filter(plan_id=envelope.plan_id, organisation__isnull=False)
    return allocations.filter(
        Q(scheme__province_id=envelope.province_id)
        | Q(scheme__province__successor_id=envelope.province_id)
    ).exclude(scheme__implementing_unit_id__in=centres.values("organisation_id"))


def envelope_approved(envelope: Envelope, exclude: Allocation | None = None) -> Decimal:
    allocations = envelope_allocations(envelope)
    if exclude is not None and exclude.pk:
        allocations = allocations.exclude(pk=exclude.pk)
    return allocations.aggregate(total=money_sum("amount"))["total"]


def envelope_for(plan: AnnualPlan, scheme: Scheme) -> Envelope | None:
    """The envelope of the plan that the scheme's support counts against, if the plan sets one."""
    envelopes = Envelope.objects.filter(plan=plan).select_related("organisation", "province")
    by_centre = envelopes.filter(organisation_id=scheme.implementing_unit_id).first()
    if by_centre is not None:
        return by_centre
    return envelopes.filter(
        province_id__in=[scheme.province_id, scheme.province.successor_id]
    ).first()


def assert_within_envelope(
    *, plan: AnnualPlan, scheme: Scheme, allocation: Allocation, amount: Decimal
) -> None:
    """Called by allocation_set under the plan's lock."""
    envelope = envelope_for(plan, scheme)
    if envelope is None:
        return
    remaining = envelope.amount - envelope_approved(envelope, exclude=allocation)
    if amount > remaining:
        raise MoneyChainError(
            _(
                "Không thể duyệt %(amount)s cho đề án %(code)s: hạn mức %(envelope)s là "
                "%(total)s, chỉ còn %(remaining)s chưa duyệt."
            )
            % {
                "amount": format_vnd(amount),
                "code": scheme.code,
                "envelope": envelope,
                "total": format_vnd(envelope.amount),
                "remaining": format_vnd(remaining),
            }
        )


@transaction.atomic
def envelope_set(
    *,
    plan: AnnualPlan,
    amount: Decimal,
    province: Province | None = None,
    organisation: Organisation | None = None,
    by: User | None = None,
) -> Envelope:
    """Set (or change, before the year's re-allocations start) the envelope of a province or
    a regional centre. Refused if the plan's envelopes would exceed what its batches give, or
    below what is already approved in the envelope."""
    plan = lock(plan)
    assert_periods_open(plan)
    if (
        province is not None
        and plan.envelopes.exclude(province__isnull=True)
        .exclude(province__map_version=province.map_version)
        .exists()
    ):
        raise ValidationError(
            _("Các hạn mức theo tỉnh của kế hoạch %(plan)s phải cùng một bản đồ tỉnh.")
            % {"plan": plan}
        )
    envelope = Envelope.objects.filter(
        plan=plan, province=province, organisation=organisation
    ).first() or Envelope(plan=plan, province=province, organisation=organisation)
    others = plan.envelopes.exclude(pk=envelope.pk).aggregate(total=money_sum("amount"))["total"]
    total = plan_envelope(plan)
    if others + amount > total:
        raise MoneyChainError(
            _(
                "Không thể đặt hạn mức %(amount)s: kế hoạch %(plan)s được giao %(total)s, các "
                "hạn mức khác đã chiếm %(others)s, còn %(remaining)s."
            )
            % {
                "amount": format_vnd(amount),
                "plan": plan,
                "total": format_vnd(total),
                "others": format_vnd(others),
                "remaining": format_vnd(total - others),
            }
        )
    if envelope.pk:
        approved = envelope_approved(envelope)
        if amount < approved:
            raise MoneyChainError(
                _("Không thể giảm hạn mức %(envelope)s xuống %(amount)s: đã duyệt %(approved)s.")
                % {
                    "envelope": envelope,
                    "amount": format_vnd(amount),
                    "approved": format_vnd(approved),
                }
            )
    envelope.amount = amount
    save(envelope, by)
    return envelope


@transaction.atomic
def envelope_transfer(
    *,
    source: Envelope,
    target: Envelope,
    amount: Decimal,
    decided_on: datetime.date,
    decision_number: str,
    reason: str,
    by: User | None = None,
) -> EnvelopeTransfer:
    """Move `amount` from one envelope of a plan to another, by decision and with a reason.
    Refused if the source would fall below what is already approved in it."""
    if source.plan_id != target.plan_id:
        raise ValidationError(_("Chỉ điều chỉnh giữa các hạn mức của cùng một kế hoạch."))
    plan = lock(source.plan)
    assert_periods_open(plan, decided_on)
    assert_not_future(decided_on, _("Ngày quyết định"))
    if not reason.strip():
        raise ValidationError(_("Điều chỉnh hạn mức phải ghi lý do."))
    source, target = (
        Envelope.objects.select_for_update().get(pk=source.pk),
        Envelope.objects.select_for_update().get(pk=target.pk),
    )
    approved = envelope_approved(source)
    if source.amount - amount < approved:
        raise MoneyChainError(
            _(
                "Không thể chuyển %(amount)s từ hạn mức %(source)s: hạn mức %(total)s, đã duyệt "
                "%(approved)s, chỉ chuyển được tối đa %(free)s."
            )
            % {
                "amount": format_vnd(amount),
                "source": source,
                "total": format_vnd(source.amount),
                "approved": format_vnd(approved),
                "free": format_vnd(max(source.amount - approved, Decimal(0))),
            }
        )
    transfer = EnvelopeTransfer(
        plan=plan,
        source=source,
        target=target,
        amount=amount,
        decided_on=decided_on,
        decision_number=decision_number,
        reason=reason,
        recorded_by=by,
    )
    save(transfer, by)
    source.amount -= amount
    target.amount += amount
    save(source, by)
    save(target, by)
    return transfer
