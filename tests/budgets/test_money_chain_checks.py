import datetime
from decimal import Decimal

from budgets.models import AdvanceRule, ContractLiquidation, ContractTranche, Settlement
from tests.factories import (
    AdvanceRuleFactory,
    ContractFactory,
    DisbursementFactory,
    EnvelopeFactory,
)
from tests.money_chain import broken_links


def test_the_chain_checks_see_a_broken_chain(db):
    """The generators' tests rely on broken_links(): it must flag what the services refuse."""
    contract = ContractFactory(value=Decimal(100), allocation__amount=Decimal(50))
    DisbursementFactory(contract=contract, amount=Decimal(150))
    broken = {name for name, rows in broken_links().items() if rows.exists()}
    assert {
        "contract overpaid",
        "allocation overcontracted",
        "scheme chain broken",
        "running net above the contract",
    } <= broken


def test_the_ledger_rule_checks_see_broken_rules(db):
    """Rows written around the services that break the rules the services enforce."""
    AdvanceRule.objects.all().delete()
    AdvanceRuleFactory(valid_from=datetime.date(2019, 1, 1), advance_cap_rate=Decimal(50))
    contract = ContractFactory(value=Decimal(100), allocation__amount=Decimal(100))
    DisbursementFactory(contract=contract, amount=Decimal(51))
    ContractTranche.objects.create(
        contract=contract, number=1, due_on=contract.signed_on, amount=Decimal(99)
    )
    allocation = contract.allocation
    EnvelopeFactory(plan=allocation.plan, province=allocation.scheme.province, amount=Decimal(99))
    ContractLiquidation.objects.create(
        contract=contract, number="TL", signed_on=contract.signed_on, final_value=Decimal(101)
    )
    Settlement.objects.create(
        allocation=allocation,
        decision_number="QT",
        settled_on=contract.signed_on,
        settled_amount=Decimal(51),
        returned_amount=Decimal(0),
    )
    broken = {name for name, rows in broken_links().items() if rows.exists()}
    assert {
        "advances over the cap",
        "schedule not the value",
        "envelope overapproved",
        "liquidated above the value",
        "settlement does not add up",
    } <= broken


def test_a_sound_chain_passes(db):
    AdvanceRule.objects.all().delete()
    AdvanceRuleFactory()
    contract = ContractFactory(value=Decimal(100), allocation__amount=Decimal(100))
    DisbursementFactory(contract=contract, amount=Decimal(50))
    broken = {name for name, rows in broken_links().items() if rows.exists()}
    assert broken == set()
