"""The summary table (budgets.summary) follows every save and delete of an allocation, a
contract or a ledger entry, in the same transaction: the row of the allocation concerned is
recomputed from scratch. The services save the changed row last (an amendment, then the
contract or allocation it changes), so that the recomputation sees the whole change.

Plans, batches and schemes carry columns the table copies (year, fund, decision date,
province): a change of those updates the copies."""

from budgets.models import (
    Allocation,
    AllocationChange,
    AnnualPlan,
    Contract,
    ContractAmendment,
    Disbursement,
    PlanBatch,
)
from budgets.rollup import year_rollup_refresh
from budgets.summary import AllocationMoney, allocation_money_refresh
from projects.models import Scheme


def _changed(kwargs, *fields: str) -> bool:
    """An update (not a creation, not a delete) that may have written one of `fields`."""
    if kwargs.get("created") is not False:
        return False
    update_fields = kwargs.get("update_fields")
    return update_fields is None or bool(set(fields) & set(update_fields))


def allocation_changed(sender, instance: Allocation, **kwargs) -> None:
    if "created" not in kwargs:
        return  # deleted: its row went with it (CASCADE)
    allocation_money_refresh([instance.pk])


def contract_changed(sender, instance: Contract, **kwargs) -> None:
    allocation_money_refresh([instance.allocation_id])


def disbursement_changed(sender, instance: Disbursement, **kwargs) -> None:
    allocation_money_refresh([instance.contract.allocation_id])


def amendment_changed(sender, instance: ContractAmendment, **kwargs) -> None:
    # A contract's value on 31/12 depends on the amendments signed after it.
    allocation_money_refresh([instance.contract.allocation_id])


def allocation_change_changed(sender, instance: AllocationChange, **kwargs) -> None:
    allocation_money_refresh([instance.allocation_id])


def _pairs(rows) -> set[tuple[int, int]]:
    return set(rows.values_list("plan_year", "province_id").distinct())


def plan_changed(sender, instance: AnnualPlan, **kwargs) -> None:
    if not _changed(kwargs, "year", "fund"):
        return
    rows = AllocationMoney.objects.filter(allocation__plan=instance)
    if rows.exclude(plan_year=instance.year).exists():
        # The month and year-end columns count from the plan year: the rows are recomputed.
        allocation_money_refresh(list(rows.values_list("allocation_id", flat=True)))
        return
    rows = rows.exclude(fund=instance.fund)
    before = _pairs(rows)
    if before:
        rows.update(fund=instance.fund)
        year_rollup_refresh(before)


def batch_changed(sender, instance: PlanBatch, **kwargs) -> None:
    if _changed(kwargs, "decision_date"):
        AllocationMoney.objects.filter(allocation__batch=instance).exclude(
            decision_date=instance.decision_date
        ).update(decision_date=instance.decision_date)


def scheme_changed(sender, instance: Scheme, **kwargs) -> None:
    if _changed(kwargs, "province"):
        rows = AllocationMoney.objects.filter(scheme=instance).exclude(
            province_id=instance.province_id
        )
        before = _pairs(rows)
        if before:
            rows.update(province_id=instance.province_id)
            year_rollup_refresh(before | {(year, instance.province_id) for year, _p in before})


def money_row_changed(sender, instance: AllocationMoney, **kwargs) -> None:
    """A summary row deleted through the ORM (with its allocation or scheme: the refresh above
    deletes its rows in SQL and refreshes the rollup itself)."""
    if "created" not in kwargs:
        year_rollup_refresh([(instance.plan_year, instance.province_id)])


HANDLERS = {
    Allocation: allocation_changed,
    Contract: contract_changed,
    Disbursement: disbursement_changed,
    ContractAmendment: amendment_changed,
    AllocationChange: allocation_change_changed,
    AnnualPlan: plan_changed,
    PlanBatch: batch_changed,
    Scheme: scheme_changed,
    AllocationMoney: money_row_changed,
}
