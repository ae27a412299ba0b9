from budgets.models import Disbursement
from tests.factories import DisbursementFactory


def test_factories_build_a_money_chain(db):
    disbursement = DisbursementFactory()
    assert disbursement.contract.allocation.scheme.province.code == "19"
    assert Disbursement.objects.count() == 1
