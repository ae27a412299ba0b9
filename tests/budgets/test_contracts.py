"""Contract schedules, amendments and changes of the support approved: each keeps the values
it replaced, and the row that others recompute on (Contract, Allocation) is saved last."""

import datetime
import re
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db.models.signals import post_save

from budgets.models import Allocation, AllocationChange, Contract, ContractAmendment, Disbursement
from budgets.services import (
    MoneyChainError,
    allocation_set,
    contract_amend,
    contract_sign,
    contract_tranches_set,
    disbursement_record,
)
from tests.factories import AllocationFactory, ContractFactory, SchemeFactory

D = datetime.date
MILLION = Decimal(1_000_000)


@pytest.fixture
def allocation(db):
    return AllocationFactory(amount=1000 * MILLION)


def _sign(allocation, millions, tranches=None, number="1/HĐ"):
    return contract_sign(
        allocation=allocation,
        kind=Contract.Kind.CONTRACT,
        number=number,
        signed_on=D(2019, 3, 1),
        value=Decimal(millions) * MILLION,
        contractor=allocation.scheme.implementing_unit,
        tranches=tranches,
    )


class TestSchedule:
    def test_a_contract_is_signed_with_its_tranches_in_date_order(self, allocation):
        contract = _sign(
            allocation,
            800,
            tranches=[(D(2019, 10, 1), 240 * MILLION), (D(2019, 4, 1), 560 * MILLION)],
        )
        assert list(contract.tranches.values_list("number", "due_on", "amount")) == [
            (1, D(2019, 4, 1), 560 * MILLION),
            (2, D(2019, 10, 1), 240 * MILLION),
        ]

    def test_tranches_must_add_up_to_the_value(self, allocation):
        with pytest.raises(MoneyChainError) as error:
            _sign(allocation, 800, tranches=[(D(2019, 4, 1), 700 * MILLION)])
        assert (
            "cộng lại 700.000.000 đồng, khác giá trị hợp đồng 800.000.000 đồng"
            in (error.value.messages[0])
        )
        assert not allocation.contracts.exists()

    @pytest.mark.parametrize("due", [D(2019, 2, 28), D(2020, 1, 1)])
    def test_tranches_fall_between_signature_and_year_end(self, allocation, due):
        with pytest.raises(
            ValidationError, match=re.escape("phải từ ngày ký 01/03/2019 đến 31/12/2019")
        ):
            _sign(allocation, 800, tranches=[(due, 800 * MILLION)])

    def test_the_schedule_is_replaced_whole(self, allocation):
        contract = _sign(allocation, 800, tranches=[(D(2019, 4, 1), 800 * MILLION)])
        contract_tranches_set(
            contract=contract,
            tranches=[(D(2019, 5, 1), 400 * MILLION), (D(2019, 9, 1), 400 * MILLION)],
        )
        assert list(contract.tranches.values_list("amount", flat=True)) == [400 * MILLION] * 2


class TestAmendment:
    def _amend(self, contract, millions, number="PL-01", **kwargs):
        return contract_amend(
            contract=contract,
            number=number,
            signed_on=kwargs.pop("signed_on", D(2019, 8, 1)),
            value=Decimal(millions) * MILLION,
            reason=kwargs.pop("reason", "Bổ sung khối lượng đào tạo"),
            **kwargs,
        )

    def test_an_amendment_keeps_the_old_value(self, allocation, clerk):
        contract = _sign(allocation, 800)
        amendment = self._amend(contract, 950, by=clerk)
        contract.refresh_from_db()
        assert contract.value == 950 * MILLION
        assert (amendment.value_before, amendment.value_after) == (800 * MILLION, 950 * MILLION)
        assert amendment.recorded_by == clerk
        old, new = contract.history.order_by("history_date")
        assert (old.value, new.value, new.history_user) == (800 * MILLION, 950 * MILLION, clerk)

    def test_refused_above_what_the_allocation_has_left(self, allocation):
        contract = _sign(allocation, 800)
        _sign(allocation, 150, number="2/HĐ")
        with pytest.raises(MoneyChainError) as error:
            self._amend(contract, 851)
        message = error.value.messages[0]
        assert "các hợp đồng khác đã ký 150.000.000 đồng, còn 850.000.000 đồng" in message
        assert not ContractAmendment.objects.exists()
        self._amend(contract, 850)

    def test_refused_below_what_is_disbursed(self, allocation):
        contract = _sign(allocation, 800)
        disbursement_record(
            contract=contract,
            kind=Disbursement.Kind.ADVANCE,
            amount=500 * MILLION,
            paid_on=D(2019, 4, 1),
            voucher_number="UNC-1",
        )
        with pytest.raises(MoneyChainError, match=re.escape("đã giải ngân 500.000.000 đồng")):
            self._amend(contract, 499)
        self._amend(contract, 500)

    def test_a_contract_with_a_schedule_needs_a_new_one(self, allocation):
        contract = _sign(allocation, 800, tranches=[(D(2019, 4, 1), 800 * MILLION)])
        with pytest.raises(ValidationError, match="hãy lập lại lịch"):
            self._amend(contract, 900)
        self._amend(contract, 900, tranches=[(D(2019, 9, 1), 900 * MILLION)])
        assert contract.tranches.get().amount == 900 * MILLION

    def test_a_reason_and_a_date_after_signing(self, allocation):
        contract = _sign(allocation, 800)
        with pytest.raises(ValidationError, match="phải ghi lý do"):
            self._amend(contract, 900, reason="")
        with pytest.raises(ValidationError, match="trước ngày ký"):
            self._amend(contract, 900, signed_on=D(2019, 2, 1))

    def test_the_contract_row_is_saved_last(self, allocation):
        contract = _sign(allocation, 800, tranches=[(D(2019, 4, 1), 800 * MILLION)])
        seen = []

        def on_save(sender, instance, **kwargs):
            seen.append(
                (
                    instance.value,
                    instance.amendments.count(),
                    list(instance.tranches.values_list("amount", flat=True)),
                )
            )

        post_save.connect(on_save, sender=Contract)
        try:
            self._amend(contract, 900, tranches=[(D(2019, 9, 1), 900 * MILLION)])
        finally:
            post_save.disconnect(on_save, sender=Contract)
        assert seen == [(900 * MILLION, 1, [900 * MILLION])]


class TestAllocationChange:
    def test_a_change_of_amount_is_recorded_with_its_decision(self, db, clerk):
        allocation = AllocationFactory(amount=600 * MILLION)
        allocation_set(
            scheme=allocation.scheme,
            batch=allocation.batch,
            amount=800 * MILLION,
            decided_on=D(2019, 7, 15),
            decision_number="1200/QĐ-BCT",
            reason="Bổ sung thiết bị",
            by=clerk,
        )
        change = AllocationChange.objects.get()
        assert (change.amount_before, change.amount_after) == (600 * MILLION, 800 * MILLION)
        assert (change.decided_on, change.decision_number) == (D(2019, 7, 15), "1200/QĐ-BCT")
        assert (change.reason, change.recorded_by) == ("Bổ sung thiết bị", clerk)
        assert allocation.changes.count() == 1

    def test_existing_callers_still_work_and_same_amount_records_nothing(self, db):
        batch = AllocationFactory(amount=600 * MILLION).batch
        scheme = Allocation.objects.get().scheme
        allocation_set(scheme=scheme, batch=batch, amount=600 * MILLION)
        assert not AllocationChange.objects.exists()
        allocation_set(scheme=scheme, batch=batch, amount=700 * MILLION)
        assert AllocationChange.objects.get().decision_number == ""
        new = allocation_set(scheme=SchemeFactory(), batch=batch, amount=MILLION)
        assert not new.changes.exists()

    def test_the_allocation_row_is_saved_last(self, db):
        allocation = AllocationFactory(amount=600 * MILLION)
        seen = []

        def on_save(sender, instance, **kwargs):
            seen.append((instance.amount, instance.changes.count()))

        post_save.connect(on_save, sender=Allocation)
        try:
            allocation_set(scheme=allocation.scheme, batch=allocation.batch, amount=MILLION)
        finally:
            post_save.disconnect(on_save, sender=Allocation)
        assert seen == [(MILLION, 1)]

    def test_a_refused_change_leaves_no_record(self, db):
        contract = ContractFactory(value=500 * MILLION, allocation__amount=600 * MILLION)
        allocation = contract.allocation
        with pytest.raises(MoneyChainError):
            allocation_set(scheme=allocation.scheme, batch=allocation.batch, amount=MILLION)
        assert not AllocationChange.objects.exists()
