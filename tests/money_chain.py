"""The money chain checked over a whole database with aggregates, for the data generators'
tests: every queryset returned must be empty."""

from decimal import Decimal

from django.db.models import Case, F, OuterRef, Q, QuerySet, Subquery, Sum, Value, When
from django.db.models.functions import Coalesce

from budgets.models import (
    AdvanceRule,
    Allocation,
    AnnualPlan,
    Contract,
    ContractLiquidation,
    ContractTranche,
    Disbursement,
    Envelope,
    PlanBatch,
    money_sum,
)
from budgets.selectors import with_approved
from projects.models import Scheme

MONEY = Allocation._meta.get_field("amount")


def summed(model, link: str, expression) -> Coalesce:
    """SUM(expression) over the rows of `model` whose `link` is the outer row."""
    rows = (
        model.objects.filter(**{link: OuterRef("pk")})
        .order_by()
        .values(link)
        .annotate(total=Sum(expression))
        .values("total")
    )
    return Coalesce(Subquery(rows), Value(Decimal(0)), output_field=MONEY)


def broken_links() -> dict[str, QuerySet]:
    contracts = Contract.objects.annotate(
        net=money_sum(Disbursement.signed_amount("disbursements__"))
    )
    allocations = Allocation.objects.annotate(contracted=money_sum("contracts__value"))
    plans = AnnualPlan.objects.annotate(
        envelope=summed(PlanBatch, "plan", "amount"),
        allocated=summed(Allocation, "plan", "amount"),
    )
    batches = PlanBatch.objects.annotate(allocated=summed(Allocation, "batch", "amount"))
    by_then = (
        Disbursement.objects.filter(contract=OuterRef("contract"))
        .filter(
            Q(paid_on__lt=OuterRef("paid_on"))
            | Q(paid_on=OuterRef("paid_on"), pk__lte=OuterRef("pk"))
        )
        .order_by()
        .values("contract")
        .annotate(total=Sum(Disbursement.signed_amount()))
        .values("total")
    )
    running = Disbursement.objects.annotate(running=Subquery(by_then))
    return {
        "contract overpaid": contracts.filter(net__gt=F("value")),
        "contract negative": contracts.filter(net__lt=0),
        "allocation overcontracted": allocations.filter(contracted__gt=F("amount")),
        "plan overallocated": plans.filter(allocated__gt=F("envelope")),
        "batch overallocated": batches.filter(allocated__gt=F("amount")),
        "scheme chain broken": Scheme.objects.with_money().filter(
            Q(disbursed__gt=F("contracted")) | Q(contracted__gt=F("approved"))
        ),
        "paid before the contract": Disbursement.objects.filter(
            paid_on__lt=F("contract__signed_on")
        ),
        "running net below zero": running.filter(running__lt=0),
        "running net above the contract": running.filter(running__gt=F("contract__value")),
        **_ledger_rules(),
    }


def _ledger_rules() -> dict[str, QuerySet]:
    """Advances within the rule in force on their date, schedules that add up to the value,
    envelopes not over-approved, liquidations within the value, settlements that add up."""
    signed = Case(
        When(kind=Disbursement.Kind.ADVANCE, then=F("amount")),
        When(kind=Disbursement.Kind.REFUND, then=-F("amount")),
        default=Value(Decimal(0)),
        output_field=MONEY,
    )
    advanced_by_then = (
        Disbursement.objects.filter(contract=OuterRef("contract"))
        .filter(
            Q(paid_on__lt=OuterRef("paid_on"))
            | Q(paid_on=OuterRef("paid_on"), pk__lte=OuterRef("pk"))
        )
        .order_by()
        .values("contract")
        .annotate(total=Sum(signed))
        .values("total")
    )
    cap_in_force = (
        AdvanceRule.objects.filter(valid_from__lte=OuterRef("paid_on"))
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=OuterRef("paid_on")))
        .filter(Q(scheme_kind="") | Q(scheme_kind=OuterRef("contract__allocation__scheme__kind")))
        .order_by("-scheme_kind")
        .values("advance_cap_rate")[:1]
    )
    advances = Disbursement.objects.filter(kind=Disbursement.Kind.ADVANCE).annotate(
        advanced=Subquery(advanced_by_then), cap=Subquery(cap_in_force)
    )
    tranches = Contract.objects.filter(tranches__isnull=False).annotate(
        scheduled=summed(ContractTranche, "contract", "amount")
    )
    return {
        "advances over the cap": advances.filter(
            cap__isnull=False, advanced__gt=F("contract__value") * F("cap") / 100
        ),
        "schedule not the value": tranches.exclude(scheduled=F("value")).distinct(),
        "envelope overapproved": with_approved(Envelope.objects.all()).filter(remaining__lt=0),
        "liquidated above the value": ContractLiquidation.objects.filter(
            final_value__gt=F("contract__value")
        ),
        "settlement does not add up": Allocation.objects.filter(settlement__isnull=False).exclude(
            amount=F("settlement__settled_amount") + F("settlement__returned_amount")
        ),
    }


def assert_money_chain_holds() -> None:
    broken = {name: qs.count() for name, qs in broken_links().items() if qs.exists()}
    assert broken == {}
