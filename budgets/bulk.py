"""Approving many new schemes' support at once (a spreadsheet of a plan's schemes): the rules
of allocation_set — the plan's remaining money, the envelope of the scheme's centre or
province, the period lock — applied to the whole list with a fixed number of queries, under
the same plan locks, then written in bulk with their history and summary rows.

`Headroom` is the one reckoning: a check reads it without locks to report every row beyond
the money, and `allocations_create_bulk` reads it again under the plans' locks before it
writes, so that an approval made meanwhile is counted."""

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from accounts.models import User
from budgets.ledger import MoneyChainError, assert_periods_open
from budgets.models import Allocation, AnnualPlan, Envelope, PlanBatch
from budgets.summary import allocation_money_create
from core.history import history_insert
from core.money import format_vnd
from projects.models import Scheme


@dataclass
class _Pot:
    label: str
    total: Decimal
    remaining: Decimal


class Headroom:
    """What is left of each plan and of each envelope of the plans (3 queries), and
    `take(plan, scheme, amount)`: the message of the rule the amount would break, or None
    after counting it as approved. The money of the allocations in `excluding` is counted as
    free (those are being changed)."""

    def __init__(self, plans: Iterable[AnnualPlan], excluding: Iterable[int] = ()):
        plans = {plan.pk: plan for plan in plans}
        excluding = list(excluding)
        self.plans: dict[int, _Pot] = {}
        batches = (
            PlanBatch.objects.filter(plan_id__in=plans)
            .values("plan_id")
            .annotate(total=Sum("amount"))
        )
        envelope_of_plan = {row["plan_id"]: row["total"] for row in batches}
        allocations = (
            Allocation.objects.filter(plan_id__in=plans)
            .exclude(pk__in=excluding)
            .values(
                "plan_id",
                "scheme__implementing_unit_id",
                "scheme__province_id",
                "scheme__province__successor_id",
            )
            .annotate(total=Sum("amount"))
        )
        self.centres: dict[tuple[int, int], _Pot] = {}
        self.provinces: dict[tuple[int, int], _Pot] = {}
        for envelope in Envelope.objects.filter(plan_id__in=plans).select_related(
            "organisation", "province"
        ):
            pot = _Pot(str(envelope), envelope.amount, envelope.amount)
            if envelope.organisation_id:
                self.centres[(envelope.plan_id, envelope.organisation_id)] = pot
            else:
                self.provinces[(envelope.plan_id, envelope.province_id)] = pot
        allocated = dict.fromkeys(plans, Decimal(0))
        for row in allocations:
            allocated[row["plan_id"]] += row["total"]
            pot = self._envelope(
                row["plan_id"],
                row["scheme__implementing_unit_id"],
                row["scheme__province_id"],
                row["scheme__province__successor_id"],
            )
            if pot is not None:
                pot.remaining -= row["total"]
        for pk, plan in plans.items():
            total = envelope_of_plan.get(pk, Decimal(0))
            self.plans[pk] = _Pot(str(plan), total, total - allocated[pk])

    def _envelope(self, plan_id, unit_id, province_id, successor_id) -> _Pot | None:
        # As budgets.envelopes.envelope_for: the centre's envelope first, else the province's.
        return (
            self.centres.get((plan_id, unit_id))
            or self.provinces.get((plan_id, province_id))
            or self.provinces.get((plan_id, successor_id))
        )

    def take(self, plan: AnnualPlan, scheme: Scheme, amount: Decimal) -> str | None:
        pot = self.plans[plan.pk]
        if amount > pot.remaining:
            return _(
                "Không thể duyệt %(amount)s cho đề án %(code)s: kế hoạch %(plan)s chỉ còn "
                "%(remaining)s chưa phân bổ."
            ) % {
                "amount": format_vnd(amount),
                "code": scheme.code,
                "plan": pot.label,
                "remaining": format_vnd(pot.remaining),
            }
        envelope = self._envelope(
            plan.pk, scheme.implementing_unit_id, scheme.province_id, scheme.province.successor_id
        )
        if envelope is not None and amount > envelope.remaining:
            return _(
                "Không thể duyệt %(amount)s cho đề án %(code)s: hạn mức %(envelope)s là "
                "%(total)s, chỉ còn %(remaining)s chưa duyệt."
            ) % {
                "amount": format_vnd(amount),
                "code": scheme.code,
                "envelope": envelope.label,
                "total": format_vnd(envelope.total),
                "remaining": format_vnd(envelope.remaining),
            }
        pot.remaining -= amount
        if envelope is not None:
            envelope.remaining -= amount
        return None


class BulkRefused(MoneyChainError):
    """One item of a bulk approval broke a rule: `index` is its place in the list."""

    def __init__(self, message: str, index: int):
        super().__init__(message)
        self.index = index


@transaction.atomic
def allocations_create_bulk(
    *, items: list[tuple[Scheme, PlanBatch, Decimal]], by: User, reason: str = ""
) -> list[Allocation]:
    """Approve support for schemes that have no allocation in the batch's plan yet, each
    (scheme, batch, amount) in the list's order, all or none: the plans are locked (in the
    order of their ids, as allocation_set locks one), their years must be open, and each amount
    must fit the plan's and the envelope's remaining money counted under the locks."""
    plan_ids = sorted({batch.plan_id for _s, batch, _a in items})
    plans = {
        plan.pk: plan for plan in AnnualPlan.objects.select_for_update().filter(pk__in=plan_ids)
    }
    for pk in plan_ids:
        assert_periods_open(plans[pk])
    headroom = Headroom(plans.values())
    allocations = []
    for index, (scheme, batch, amount) in enumerate(items):
        plan = plans[batch.plan_id]
        if scheme.fund != plan.fund or scheme.plan_year != plan.year:
            raise BulkRefused(
                _("Đề án %(code)s (năm %(year)s) không thuộc kế hoạch %(plan)s.")
                % {"code": scheme.code, "year": scheme.plan_year, "plan": plan},
                index,
            )
        message = headroom.take(plan, scheme, amount)
        if message is not None:
            raise BulkRefused(message, index)
        allocations.append(Allocation(plan=plan, batch=batch, scheme=scheme, amount=amount))
    if len({(a.plan_id, a.scheme_id) for a in allocations}) != len(allocations):
        raise ValidationError(_("Một đề án chỉ được duyệt một lần trong một kế hoạch."))
    Allocation.objects.bulk_create(allocations, batch_size=2000)
    history_insert(
        Allocation, [a.pk for a in allocations], history_type="+", user=by, reason=reason
    )
    allocation_money_create(a.pk for a in allocations)
    return allocations
