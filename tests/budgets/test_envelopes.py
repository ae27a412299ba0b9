"""Envelopes per regional centre and per province, the approvals they bound and the mid-year
transfers between them."""

import datetime
import re
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from budgets.models import Envelope, EnvelopeTransfer
from budgets.selectors import envelope_list
from budgets.services import MoneyChainError, allocation_set, envelope_set, envelope_transfer
from organisations.models import Organisation
from provinces.models import Province, ProvinceMap
from tests.factories import PlanBatchFactory, SchemeFactory

D = datetime.date
MILLION = Decimal(1_000_000)


def _province(code: str, map_version: str = ProvinceMap.OLD_63) -> Province:
    return Province.objects.get(code=code, map_version=map_version)


@pytest.fixture
def batch(db):
    return PlanBatchFactory(amount=10_000 * MILLION)


@pytest.fixture
def ipc1(db):
    return Organisation.objects.get(short_name="IPC1")


@pytest.fixture
def envelopes(batch, ipc1, clerk):
    """Thái Nguyên (new map) 1 billion, Hồ Chí Minh City 2 billion, IPC1 3 billion."""
    plan = batch.plan
    thai_nguyen = _province("19").successor
    hcm = _province("79", ProvinceMap.NEW_34)
    return {
        "thai_nguyen": envelope_set(plan=plan, province=thai_nguyen, amount=1000 * MILLION),
        "hcm": envelope_set(plan=plan, province=hcm, amount=2000 * MILLION, by=clerk),
        "ipc1": envelope_set(plan=plan, organisation=ipc1, amount=3000 * MILLION),
    }


class TestEnvelopeSet:
    def test_envelopes_cannot_exceed_what_the_batches_give(self, envelopes, batch):
        with pytest.raises(MoneyChainError) as error:
            envelope_set(
                plan=batch.plan, province=_province("01", ProvinceMap.NEW_34), amount=4001 * MILLION
            )
        message = error.value.messages[0]
        assert "được giao 10.000.000.000 đồng" in message
        assert "đã chiếm 6.000.000.000 đồng, còn 4.000.000.000 đồng" in message

    def test_an_envelope_cannot_fall_below_what_is_approved_in_it(self, envelopes, batch):
        allocation_set(scheme=SchemeFactory(), batch=batch, amount=600 * MILLION)
        with pytest.raises(MoneyChainError, match=re.escape("đã duyệt 600.000.000 đồng")):
            envelope_set(plan=batch.plan, province=_province("19").successor, amount=MILLION)
        envelope_set(plan=batch.plan, province=_province("19").successor, amount=600 * MILLION)

    def test_province_envelopes_of_a_plan_use_one_map(self, envelopes, batch):
        with pytest.raises(ValidationError, match="cùng một bản đồ tỉnh"):
            envelope_set(plan=batch.plan, province=_province("06"), amount=MILLION)

    def test_one_province_or_one_centre(self, batch, ipc1):
        envelope = Envelope(
            plan=batch.plan, province=_province("19"), organisation=ipc1, amount=MILLION
        )
        with pytest.raises(ValidationError, match="đúng một tỉnh hoặc một trung tâm vùng"):
            envelope.full_clean()


class TestApprovalWithinTheEnvelope:
    def test_an_old_province_scheme_counts_in_its_new_province_envelope(self, envelopes, batch):
        scheme = SchemeFactory(province=_province("06"))  # Bắc Kạn, merged into Thái Nguyên
        allocation_set(scheme=scheme, batch=batch, amount=1000 * MILLION)
        with pytest.raises(MoneyChainError) as error:
            allocation_set(scheme=SchemeFactory(), batch=batch, amount=1)
        message = error.value.messages[0]
        assert "hạn mức Tỉnh Thái Nguyên – 2019 là 1.000.000.000 đồng" in message
        assert "chỉ còn 0 đồng chưa duyệt" in message

    def test_a_centre_scheme_counts_in_the_centre_envelope(self, envelopes, batch, ipc1):
        by_ipc1 = SchemeFactory(implementing_unit=ipc1)  # located in Thái Nguyên
        allocation_set(scheme=by_ipc1, batch=batch, amount=3000 * MILLION)
        allocation_set(scheme=SchemeFactory(), batch=batch, amount=1000 * MILLION)
        with pytest.raises(MoneyChainError, match=re.escape("hạn mức IPC1 – 2019")):
            allocation_set(scheme=SchemeFactory(implementing_unit=ipc1), batch=batch, amount=1)

    def test_changing_an_allocation_counts_its_old_amount_as_free(self, envelopes, batch):
        scheme = SchemeFactory()
        allocation_set(scheme=scheme, batch=batch, amount=900 * MILLION)
        allocation = allocation_set(scheme=scheme, batch=batch, amount=1000 * MILLION)
        assert allocation.amount == 1000 * MILLION

    def test_a_scheme_outside_every_envelope_is_bound_by_the_plan(self, envelopes, batch):
        hanoi = SchemeFactory(province=_province("01"))
        allocation = allocation_set(scheme=hanoi, batch=batch, amount=4000 * MILLION)
        assert hanoi.allocations.get() == allocation
        assert allocation.amount == 4000 * MILLION  # no envelope of its own to stop it


class TestTransfer:
    def _move(self, source, target, millions, **kwargs):
        return envelope_transfer(
            source=source,
            target=target,
            amount=Decimal(millions) * MILLION,
            decided_on=kwargs.get("decided_on", D(2019, 7, 1)),
            decision_number="1500/QĐ-BCT",
            reason=kwargs.get("reason", "Tỉnh chậm triển khai, chuyển cho trung tâm vùng"),
            by=kwargs.get("by"),
        )

    def test_a_transfer_moves_money_and_is_recorded(self, envelopes, clerk):
        transfer = self._move(envelopes["hcm"], envelopes["ipc1"], 500, by=clerk)
        amounts = {e.pk: e.amount for e in Envelope.objects.all()}
        assert amounts[envelopes["hcm"].pk] == 1500 * MILLION
        assert amounts[envelopes["ipc1"].pk] == 3500 * MILLION
        assert (transfer.recorded_by, transfer.amount) == (clerk, 500 * MILLION)
        assert envelopes["hcm"].history.first().history_user == clerk

    def test_the_source_cannot_fall_below_what_is_approved(self, envelopes, batch):
        allocation_set(scheme=SchemeFactory(), batch=batch, amount=700 * MILLION)
        with pytest.raises(MoneyChainError) as error:
            self._move(envelopes["thai_nguyen"], envelopes["hcm"], 301)
        message = error.value.messages[0]
        assert "từ hạn mức Tỉnh Thái Nguyên – 2019" in message
        assert "đã duyệt 700.000.000 đồng, chỉ chuyển được tối đa 300.000.000 đồng" in message
        assert not EnvelopeTransfer.objects.exists()
        self._move(envelopes["thai_nguyen"], envelopes["hcm"], 300)

    def test_a_reason_is_required(self, envelopes):
        with pytest.raises(ValidationError, match="phải ghi lý do"):
            self._move(envelopes["hcm"], envelopes["ipc1"], 1, reason="  ")

    def test_only_within_one_plan(self, envelopes):
        other = envelope_set(
            plan=PlanBatchFactory(plan__year=2020).plan,
            province=_province("79", ProvinceMap.NEW_34),
            amount=MILLION,
        )
        with pytest.raises(ValidationError, match="cùng một kế hoạch"):
            self._move(envelopes["hcm"], other, 1)

    def test_the_selector_gives_amount_approved_and_remaining(
        self, envelopes, batch, ipc1, django_assert_num_queries
    ):
        allocation_set(scheme=SchemeFactory(), batch=batch, amount=400 * MILLION)
        allocation_set(
            scheme=SchemeFactory(implementing_unit=ipc1), batch=batch, amount=1000 * MILLION
        )
        self._move(envelopes["hcm"], envelopes["ipc1"], 500)
        with django_assert_num_queries(1):
            rows = {str(e): (e.amount, e.approved, e.remaining) for e in envelope_list(batch.plan)}
        assert rows == {
            "Tỉnh Thái Nguyên – 2019": (1000 * MILLION, 400 * MILLION, 600 * MILLION),
            "Thành phố Hồ Chí Minh – 2019": (1500 * MILLION, 0, 1500 * MILLION),
            "IPC1 – 2019": (3500 * MILLION, 1000 * MILLION, 2500 * MILLION),
        }
