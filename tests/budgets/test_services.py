import datetime
import re
import threading
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction

from budgets.models import Allocation, Contract, Disbursement, PlanBatch
from budgets.services import (
    MoneyChainError,
    allocation_set,
    contract_sign,
    disbursement_record,
    plan_batch_add,
)
from projects.models import Scheme
from tests.factories import (
    AllocationFactory,
    AnnualPlanFactory,
    ContractFactory,
    PlanBatchFactory,
    SchemeFactory,
    UserFactory,
)

D = datetime.date
BILLION = Decimal(1_000_000_000)


@pytest.fixture
def contract(db):
    return ContractFactory(value=BILLION, allocation__amount=BILLION)


JUNE = D(2019, 6, 1)


def _pay(contract, amount, kind=Disbursement.Kind.ADVANCE, voucher="UNC-1", day=JUNE):
    return disbursement_record(
        contract=contract, kind=kind, amount=Decimal(amount), paid_on=day, voucher_number=voucher
    )


class TestDisbursement:
    def test_payments_up_to_the_contract_value_are_recorded(self, contract):
        _pay(contract, 700_000_000, voucher="A")
        _pay(contract, 300_000_000, kind=Disbursement.Kind.PAYMENT, voucher="B")
        assert contract.disbursements.count() == 2

    def test_one_dong_over_the_contract_is_refused_with_what_remains(self, contract):
        _pay(contract, 700_000_000, voucher="A")
        with pytest.raises(MoneyChainError) as error:
            _pay(contract, 300_000_001, voucher="B")
        message = error.value.messages[0]
        assert "300.000.001 đồng" in message
        assert "còn 300.000.000 đồng" in message
        assert contract.disbursements.count() == 1

    def test_refunds_reduce_what_was_paid_and_free_room(self, contract):
        _pay(contract, BILLION, kind=Disbursement.Kind.PAYMENT, voucher="A")
        _pay(contract, 200_000_000, kind=Disbursement.Kind.REFUND, voucher="R")
        _pay(contract, 200_000_000, kind=Disbursement.Kind.PAYMENT, voucher="B")
        assert contract.disbursements.count() == 3

    def test_refund_larger_than_paid_is_refused(self, contract):
        _pay(contract, 100_000_000, voucher="A")
        with pytest.raises(MoneyChainError, match="lớn hơn số đã giải ngân"):
            _pay(contract, 100_000_001, kind=Disbursement.Kind.REFUND, voucher="R")

    def test_refund_cannot_be_dated_before_the_money_went_out(self, contract):
        _pay(contract, 100_000_000, voucher="A", day=D(2019, 6, 1))
        with pytest.raises(MoneyChainError, match="đến ngày 31/05/2019"):
            _pay(contract, 1, kind=Disbursement.Kind.REFUND, voucher="R", day=D(2019, 5, 31))
        _pay(contract, 1, kind=Disbursement.Kind.REFUND, voucher="R", day=D(2019, 6, 1))

    def test_no_payment_before_the_contract_is_signed(self, contract):
        with pytest.raises(MoneyChainError, match="trước ngày ký"):
            _pay(contract, 1, day=contract.signed_on - datetime.timedelta(days=1))

    @pytest.mark.parametrize("amount", [0, -5])
    def test_amount_must_be_positive(self, contract, amount):
        with pytest.raises(ValidationError):
            _pay(contract, amount)
        assert not contract.disbursements.exists()

    def test_voucher_number_is_unique_per_contract(self, contract):
        _pay(contract, 1, voucher="A")
        with pytest.raises(ValidationError):
            _pay(contract, 1, voucher="A")

    def test_history_records_who_recorded_it(self, contract):
        clerk = UserFactory(username="ketoan")
        entry = disbursement_record(
            contract=contract,
            kind=Disbursement.Kind.ADVANCE,
            amount=Decimal(5),
            paid_on=D(2019, 6, 1),
            voucher_number="H",
            by=clerk,
        )
        record = entry.history.get()
        assert (record.history_type, record.history_user) == ("+", clerk)
        assert entry.recorded_by == clerk


class TestContract:
    def test_contracts_up_to_the_approved_support(self, db):
        allocation = AllocationFactory(amount=BILLION)
        unit = allocation.scheme.implementing_unit
        for number, value in (("1", 600_000_000), ("2", 400_000_000)):
            contract_sign(
                allocation=allocation,
                kind=Contract.Kind.CONTRACT,
                number=number,
                signed_on=D(2019, 3, 1),
                value=Decimal(value),
                contractor=unit,
            )
        with pytest.raises(MoneyChainError, match="vượt kinh phí còn lại"):
            contract_sign(
                allocation=allocation,
                kind=Contract.Kind.TASK,
                number="3",
                signed_on=D(2019, 3, 1),
                value=Decimal(1),
                contractor=unit,
            )
        assert allocation.contracts.count() == 2


class TestAllocation:
    def test_approval_within_the_envelope(self, db):
        batch = PlanBatchFactory(amount=BILLION)
        first, second = SchemeFactory.create_batch(2)
        allocation_set(scheme=first, batch=batch, amount=Decimal(600_000_000))
        with pytest.raises(MoneyChainError, match=re.escape("chỉ còn 400.000.000 đồng")):
            allocation_set(scheme=second, batch=batch, amount=Decimal(400_000_001))
        allocation_set(scheme=second, batch=batch, amount=Decimal(400_000_000))
        assert Allocation.objects.filter(plan=batch.plan).count() == 2

    def test_changing_an_allocation_counts_its_old_amount_as_free(self, db):
        batch = PlanBatchFactory(amount=BILLION)
        scheme = SchemeFactory()
        allocation_set(scheme=scheme, batch=batch, amount=Decimal(600_000_000))
        allocation = allocation_set(scheme=scheme, batch=batch, amount=BILLION)
        assert allocation.amount == BILLION
        assert allocation.history.count() == 2

    def test_cannot_fall_below_what_is_contracted(self, db):
        contract = ContractFactory(value=Decimal(800_000_000), allocation__amount=BILLION)
        allocation = contract.allocation
        with pytest.raises(MoneyChainError, match=re.escape("đã ký hợp đồng 800.000.000 đồng")):
            allocation_set(scheme=allocation.scheme, batch=allocation.batch, amount=Decimal(1))

    def test_a_more_batches_raise_the_envelope(self, db):
        plan = AnnualPlanFactory(year=2019)
        plan_batch_add(
            plan=plan,
            number=1,
            decision_number="1/QĐ-BCT",
            decision_date=D(2018, 12, 28),
            amount=BILLION,
        )
        second = plan_batch_add(
            plan=plan,
            number=2,
            decision_number="2/QĐ-BCT",
            decision_date=D(2019, 6, 1),
            amount=BILLION,
        )
        allocation_set(scheme=SchemeFactory(), batch=second, amount=2 * BILLION)

    def test_scheme_of_another_year_or_fund_is_refused(self, db):
        batch = PlanBatchFactory(plan__year=2019)
        with pytest.raises(ValidationError, match="không thuộc kế hoạch"):
            allocation_set(scheme=SchemeFactory(plan_year=2020), batch=batch, amount=Decimal(1))
        with pytest.raises(ValidationError, match="không thuộc kế hoạch"):
            allocation_set(scheme=SchemeFactory(fund="local"), batch=batch, amount=Decimal(1))

    def test_a_pilot_scheme_is_funded_again_in_a_later_year(self, db):
        pilot = SchemeFactory(plan_year=2019, kind=Scheme.Kind.PILOT)
        later = PlanBatchFactory(plan__year=2020)
        assert allocation_set(scheme=pilot, batch=later, amount=Decimal(1)).plan.year == 2020


class TestDatabaseConstraints:
    """The invariants that fit in one row hold even for writes that bypass the services."""

    @pytest.mark.parametrize(
        ("factory_call", "constraint"),
        [
            (lambda: SchemeFactory(start_date=D(2019, 5, 1), end_date=D(2019, 4, 1)), "dates"),
            (lambda: SchemeFactory(support_requested=Decimal(-1)), "requested"),
            (lambda: PlanBatchFactory(amount=Decimal(0)), "batch_amount"),
            (lambda: ContractFactory(value=Decimal(0)), "contract_value"),
            (lambda: AllocationFactory(amount=Decimal(-1)), "allocation"),
        ],
    )
    def test_row_constraints(self, db, factory_call, constraint):
        with pytest.raises(IntegrityError), transaction.atomic():
            factory_call()

    def test_disbursement_amount_positive_in_the_database(self, contract):
        with pytest.raises(IntegrityError), transaction.atomic():
            Disbursement.objects.create(
                contract=contract,
                kind="advance",
                amount=0,
                paid_on=D(2019, 6, 1),
                voucher_number="X",
            )

    def test_scheme_code_unique_per_year(self, db):
        SchemeFactory(code="KCQG-1", plan_year=2019)
        SchemeFactory(code="KCQG-1", plan_year=2020)
        with pytest.raises(IntegrityError), transaction.atomic():
            SchemeFactory(code="KCQG-1", plan_year=2019)

    def test_amounts_are_exact_decimals(self, db):
        batch = PlanBatchFactory(amount=Decimal("140000000000"))
        batch.refresh_from_db()
        assert batch.amount == Decimal(140_000_000_000)
        assert isinstance(batch.amount, Decimal)
        assert PlanBatch._meta.get_field("amount").decimal_places == 0


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_payments_never_overshoot(postgres_only, reference_data):
    """Two payments of 600 million race on a 1 billion contract: exactly one is recorded."""
    contract = ContractFactory(value=BILLION, allocation__amount=BILLION)
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def pay(voucher: str) -> None:
        try:
            barrier.wait(timeout=10)
            _pay(contract, 600_000_000, voucher=voucher)
            outcomes.append("ok")
        except MoneyChainError:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=pay, args=(v,)) for v in ("T1", "T2")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes) == ["ok", "refused"]
    assert contract.disbursements.count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_approvals_never_exceed_the_envelope(postgres_only, reference_data):
    batch = PlanBatchFactory(amount=BILLION)
    schemes = SchemeFactory.create_batch(2)
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def approve(scheme) -> None:
        try:
            barrier.wait(timeout=10)
            allocation_set(scheme=scheme, batch=batch, amount=Decimal(600_000_000))
            outcomes.append("ok")
        except MoneyChainError:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=approve, args=(s,)) for s in schemes]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes) == ["ok", "refused"]
    assert Allocation.objects.filter(plan=batch.plan).count() == 1
