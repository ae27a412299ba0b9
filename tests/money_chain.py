"""The money chain checked over a whole database with aggregates, for the data generators'
tests: every queryset returned must be empty."""

from decimal import Decimal

from django.db.models import F, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from budgets.models import Allocation, AnnualPlan, Contract, Disbursement, PlanBatch, money_sum
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
    }


def assert_money_chain_holds() -> None:
    broken = {name: qs.count() for name, qs in broken_links().items() if qs.exists()}
    assert broken == {}
