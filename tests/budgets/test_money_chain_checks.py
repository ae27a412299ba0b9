from decimal import Decimal

from tests.factories import ContractFactory, DisbursementFactory
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
