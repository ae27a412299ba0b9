"""Counter-entries: a mistaken ledger entry is cancelled by an entry of the same kind and the
opposite amount, never deleted; every sum of the ledger nets out as it is, and a reversal that
would break the money chain from its day on is refused."""

import datetime
import threading
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.urls import reverse
from django.utils import timezone

from budgets.models import AdvanceRule, Disbursement
from budgets.services import (
    MoneyChainError,
    contract_disbursed,
    disbursement_record,
    disbursement_reverse,
)
from projects.models import Scheme
from projects.selectors import scheme_money_chain
from tests.factories import AdvanceRuleFactory, ContractFactory, UserFactory

D = datetime.date
M = 1_000_000
K = Disbursement.Kind


@pytest.fixture
def finance(db):
    return UserFactory(role="ministry", username="ketoan-cuc", first_name="Lan", last_name="Trần")


@pytest.fixture
def contract(db):
    return ContractFactory(
        value=Decimal(1000 * M), allocation__amount=Decimal(1000 * M), signed_on=D(2019, 3, 15)
    )


def record(contract, kind, amount, day, voucher, by=None):
    return disbursement_record(
        contract=contract,
        kind=kind,
        amount=Decimal(amount * M),
        paid_on=day,
        voucher_number=voucher,
        by=by,
    )


DECEMBER_20 = D(2019, 12, 20)


def reverse_entry(entry, by, voucher="DAO-1", day=DECEMBER_20, reason="Ghi nhầm số tiền"):
    return disbursement_reverse(
        entry=entry, reason=reason, voucher_number=voucher, paid_on=day, by=by
    )


@pytest.mark.parametrize(
    ("kind", "net_before", "net_after"),
    [(K.ADVANCE, 500 * M, 200 * M), (K.PAYMENT, 500 * M, 200 * M), (K.REFUND, 500 * M, 600 * M)],
)
def test_each_kind_is_cancelled_by_a_counter_entry(contract, finance, kind, net_before, net_after):
    # 600 out before the entry, 400 of it as an advance: a further 300 advance stays within
    # the 70% cap of the advance rule in force.
    record(contract, K.ADVANCE, 400, D(2019, 4, 2), "UNC-1")
    record(contract, K.PAYMENT, 200, D(2019, 4, 3), "UNC-1B")
    amount = 100 if kind == K.REFUND else 300
    entry = record(contract, kind, amount, D(2019, 6, 1), "CT-2", by=finance)
    if kind != K.REFUND:
        record(contract, K.REFUND, 400, D(2019, 7, 1), "NT-3")
    assert contract_disbursed(contract) == Decimal(net_before)

    clerk = UserFactory(role="ministry", username="ketoan-2")
    counter = reverse_entry(entry, clerk)

    counter.refresh_from_db()
    assert (counter.kind, counter.amount, counter.reverses) == (kind, -entry.amount, entry)
    assert (counter.recorded_by, counter.note, counter.paid_on) == (
        clerk,
        "Ghi nhầm số tiền",
        D(2019, 12, 20),
    )
    entry.refresh_from_db()
    assert entry.reversed_by == counter
    assert entry.recorded_by == finance  # the mistaken entry stays as it was, with its author
    assert entry.amount == Decimal(amount * M)
    assert contract_disbursed(contract) == Decimal(net_after)
    # Before the counter-entry's day the ledger reads as it did.
    assert contract_disbursed(contract, on=D(2019, 12, 19)) == Decimal(net_before)
    assert counter.history.first().history_change_reason == "Ghi nhầm số tiền"


def test_sums_by_kind_net_out_on_the_scheme_page(client, contract, finance):
    advance = record(contract, K.ADVANCE, 600, D(2019, 4, 2), "UNC-1")
    record(contract, K.PAYMENT, 300, D(2019, 11, 20), "UNC-2")
    refund = record(contract, K.REFUND, 50, D(2019, 12, 5), "NT-3")
    reverse_entry(refund, finance, voucher="DAO-NT-3")
    reverse_entry(advance, finance, voucher="DAO-UNC-1")
    record(contract, K.ADVANCE, 500, D(2019, 12, 21), "UNC-4")

    scheme = Scheme.objects.with_money().get(pk=contract.allocation.scheme_id)
    assert scheme.disbursed == Decimal(800 * M)
    chain = scheme_money_chain(
        Scheme.objects.with_schedule(timezone.localdate()).get(pk=scheme.pk),
        timezone.localdate(),
    )
    assert (chain.advances, chain.payments, chain.refunds, chain.disbursed) == (
        Decimal(500 * M),
        Decimal(300 * M),
        Decimal(0),
        Decimal(800 * M),
    )
    assert chain.advances + chain.payments - chain.refunds == chain.disbursed

    client.force_login(finance)
    page = client.get(reverse("projects:scheme-detail", args=[scheme.pk])).text
    assert "bút toán đảo" in page
    # The counter-entry of a refund puts the money back: written without a minus.
    assert "−50.000.000 đồng" in page  # the refund
    assert "−600.000.000 đồng" in page  # the advance's counter-entry
    assert reverse("budgets:contract-ledger", args=[contract.pk]) in page


def test_refund_check_counts_counter_entries(contract, finance):
    advance = record(contract, K.ADVANCE, 300, D(2019, 4, 2), "UNC-1")
    reverse_entry(advance, finance, day=D(2019, 5, 1))
    with pytest.raises(MoneyChainError, match="lớn hơn số đã giải ngân"):
        record(contract, K.REFUND, 1, D(2019, 6, 1), "NT-2")
    # Nor dated back to when the advance seemed out: the money never was, in the end.
    with pytest.raises(MoneyChainError, match="lớn hơn số đã giải ngân"):
        record(contract, K.REFUND, 1, D(2019, 4, 20), "NT-3")
    assert contract_disbursed(contract) == 0


def test_payment_room_shrinks_when_a_refund_is_reversed(contract, finance):
    record(contract, K.PAYMENT, 1000, D(2019, 4, 2), "UNC-1")
    refund = record(contract, K.REFUND, 200, D(2019, 5, 2), "NT-2")
    record(contract, K.PAYMENT, 100, D(2019, 6, 2), "UNC-3")
    with pytest.raises(MoneyChainError, match=r"vượt giá trị 1\.000\.000\.000 đồng"):
        reverse_entry(refund, finance)
    assert contract.disbursements.count() == 3


class TestRefusals:
    def test_an_entry_is_reversed_once(self, contract, finance):
        entry = record(contract, K.PAYMENT, 100, D(2019, 4, 2), "UNC-1")
        reverse_entry(entry, finance, voucher="DAO-1")
        with pytest.raises(ValidationError, match="đảo bằng chứng từ DAO-1 ngày 20/12/2019"):
            reverse_entry(entry, finance, voucher="DAO-2")
        assert contract.disbursements.count() == 2

    def test_a_counter_entry_is_not_reversed(self, contract, finance):
        entry = record(contract, K.PAYMENT, 100, D(2019, 4, 2), "UNC-1")
        counter = reverse_entry(entry, finance, voucher="DAO-1")
        with pytest.raises(ValidationError, match="DAO-1 đã là bút toán đảo"):
            reverse_entry(counter, finance, voucher="DAO-2")

    @pytest.mark.parametrize("reason", ["", "   "])
    def test_reason_is_required(self, contract, finance, reason):
        entry = record(contract, K.PAYMENT, 100, D(2019, 4, 2), "UNC-1")
        with pytest.raises(ValidationError) as error:
            reverse_entry(entry, finance, reason=reason)
        assert error.value.message_dict == {"reason": ["Ghi lý do đảo chứng từ UNC-1."]}
        assert contract.disbursements.count() == 1

    def test_not_dated_before_the_entry(self, contract, finance):
        entry = record(contract, K.PAYMENT, 100, D(2019, 4, 2), "UNC-1")
        with pytest.raises(ValidationError) as error:
            reverse_entry(entry, finance, day=D(2019, 4, 1))
        assert "01/04/2019 trước ngày của chứng từ UNC-1 (02/04/2019)" in str(
            error.value.message_dict["paid_on"]
        )

    def test_reversing_a_refund_may_not_exceed_the_contract(self, contract, finance):
        record(contract, K.PAYMENT, 900, D(2019, 4, 2), "UNC-1")
        refund = record(contract, K.REFUND, 200, D(2019, 5, 2), "NT-2")
        record(contract, K.PAYMENT, 250, D(2019, 6, 2), "UNC-3")  # net 950
        with pytest.raises(MoneyChainError) as error:
            reverse_entry(refund, finance)
        message = error.value.messages[0]
        assert "thu hồi NT-2" in message
        assert "1.150.000.000 đồng" in message
        assert "vượt giá trị 1.000.000.000 đồng" in message

    def test_reversing_an_advance_may_not_leave_later_refunds_uncovered(self, contract, finance):
        advance = record(contract, K.ADVANCE, 600, D(2019, 4, 2), "UNC-1")
        record(contract, K.REFUND, 100, D(2019, 9, 1), "NT-2")
        # Dated before the refund: on 01/09/2019 the refund would take back money never out.
        with pytest.raises(MoneyChainError) as error:
            reverse_entry(advance, finance, day=D(2019, 8, 1))
        message = error.value.messages[0]
        assert "đến ngày 01/09/2019" in message
        assert "chỉ có 500.000.000 đồng đã giải ngân" in message
        assert "Đảo chứng từ thu hồi trước" in message
        assert contract_disbursed(contract) == Decimal(500 * M)

    def test_reversing_a_refund_may_not_take_the_advances_over_the_cap(self, contract, finance):
        AdvanceRule.objects.all().delete()
        AdvanceRuleFactory(valid_from=D(2019, 1, 1), first_advance_rate=70, advance_cap_rate=70)
        record(contract, K.ADVANCE, 700, D(2019, 4, 2), "UNC-1")
        refund = record(contract, K.REFUND, 200, D(2019, 5, 2), "NT-2")
        record(contract, K.ADVANCE, 150, D(2019, 6, 2), "UNC-3")  # 650 outstanding
        with pytest.raises(MoneyChainError) as error:
            reverse_entry(refund, finance)
        message = error.value.messages[0]
        assert "thu hồi NT-2" in message
        assert "850.000.000 đồng, vượt mức tạm ứng tối đa 70,00% giá trị (700.000.000 đồng)" in (
            message
        )
        assert contract.disbursements.count() == 3

    def test_the_refund_first_then_the_advance(self, contract, finance):
        advance = record(contract, K.ADVANCE, 600, D(2019, 4, 2), "UNC-1")
        refund = record(contract, K.REFUND, 100, D(2019, 9, 1), "NT-2")
        reverse_entry(refund, finance, voucher="DAO-NT-2")
        reverse_entry(advance, finance, voucher="DAO-UNC-1")
        assert contract_disbursed(contract) == 0
        assert contract.disbursements.count() == 4

    def test_counter_voucher_is_unique_per_contract(self, contract, finance):
        first = record(contract, K.PAYMENT, 100, D(2019, 4, 2), "UNC-1")
        second = record(contract, K.PAYMENT, 100, D(2019, 4, 3), "UNC-2")
        reverse_entry(first, finance, voucher="DAO-1")
        with pytest.raises(ValidationError):
            reverse_entry(second, finance, voucher="DAO-1")
        assert contract.disbursements.count() == 3


def test_the_database_refuses_a_negative_amount_that_reverses_nothing(contract):
    with pytest.raises(IntegrityError), transaction.atomic():
        Disbursement.objects.create(
            contract=contract,
            kind=K.PAYMENT,
            amount=Decimal(-1),
            paid_on=D(2019, 6, 1),
            voucher_number="X",
        )


def test_an_entry_with_a_counter_entry_cannot_be_deleted(contract, finance):
    entry = record(contract, K.PAYMENT, 100, D(2019, 4, 2), "UNC-1")
    reverse_entry(entry, finance)
    with pytest.raises(IntegrityError), transaction.atomic():
        entry.delete()


@pytest.mark.django_db(transaction=True)
def test_two_clerks_reversing_one_entry_at_once_make_one_counter_entry(
    postgres_only, reference_data
):
    contract = ContractFactory(value=Decimal(1000 * M), allocation__amount=Decimal(1000 * M))
    entry = record(contract, K.PAYMENT, 400, D(2019, 6, 1), "UNC-1")
    clerk = UserFactory(role="ministry", username="ketoan-song-song")
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def reverse_it(voucher: str) -> None:
        try:
            barrier.wait(timeout=10)
            reverse_entry(entry, clerk, voucher=voucher)
            outcomes.append("ok")
        except ValidationError as error:
            outcomes.append(error.messages[0])
        finally:
            connection.close()

    threads = [threading.Thread(target=reverse_it, args=(v,)) for v in ("DAO-1", "DAO-2")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert len(outcomes) == 2
    assert outcomes.count("ok") == 1
    refusal = next(outcome for outcome in outcomes if outcome != "ok")
    assert "đã được đảo bằng chứng từ" in refusal
    assert Disbursement.objects.filter(reverses=entry).count() == 1
    assert contract_disbursed(contract) == 0
