import datetime
from decimal import Decimal

from projects.models import Scheme
from tests.factories import ContractFactory, DisbursementFactory

D = datetime.date


def _row(scheme, as_of, margin=15):
    return Scheme.objects.filter(pk=scheme.pk).with_schedule(as_of, margin).get()


def test_linear_schedule_from_first_contract_to_year_end(db):
    # Signed 02/07/2019: 182 days to 31/12/2019; on 01/10/2019, 91 days have passed: half.
    contract = ContractFactory(value=Decimal(1_000_000_000), signed_on=D(2019, 7, 2))
    scheme = contract.allocation.scheme
    row = _row(scheme, D(2019, 10, 1))
    assert row.expected == Decimal(500_000_000)
    assert row.lag == Decimal(500_000_000)
    assert row.behind is True
    DisbursementFactory(contract=contract, amount=Decimal(400_000_000), paid_on=D(2019, 8, 1))
    row = _row(scheme, D(2019, 10, 1))
    assert row.lag == Decimal(100_000_000)
    assert row.behind is False  # 10% lag within the 15% margin
    assert _row(scheme, D(2019, 10, 1), margin=5).behind is True


def test_before_signing_and_after_the_deadline(db):
    contract = ContractFactory(value=Decimal(1_000_000_000), signed_on=D(2019, 7, 2))
    scheme = contract.allocation.scheme
    assert _row(scheme, D(2019, 6, 1)).expected == 0
    assert _row(scheme, D(2020, 3, 1)).expected == Decimal(1_000_000_000)


def test_uncontracted_scheme_is_never_behind(db):
    from tests.factories import AllocationFactory

    scheme = AllocationFactory().scheme
    row = _row(scheme, D(2019, 12, 1))
    assert (row.contracted, row.expected, row.behind) == (0, 0, False)


def test_money_of_one_plan_year_for_a_pilot_funded_twice(db):
    from budgets.services import allocation_set
    from tests.factories import AllocationFactory, PlanBatchFactory

    first = AllocationFactory(scheme__kind=Scheme.Kind.PILOT, amount=Decimal(600_000_000))
    scheme = first.scheme
    allocation_set(
        scheme=scheme, batch=PlanBatchFactory(plan__year=2020), amount=Decimal(400_000_000)
    )
    totals = Scheme.objects.filter(pk=scheme.pk).with_money().get()
    assert totals.approved == Decimal(1_000_000_000)
    only_2020 = Scheme.objects.filter(pk=scheme.pk).with_money(plan_year=2020).get()
    assert only_2020.approved == Decimal(400_000_000)
