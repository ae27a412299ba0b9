"""The advance rules: rates as data, the rule in force on the voucher's date, the first advance
and the ceiling of advances net of refunds; and no entry or contract dated after today."""

import datetime
import re
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from budgets.models import AdvanceRule, Contract, Disbursement
from budgets.services import MoneyChainError, contract_sign, disbursement_record
from projects.models import Scheme
from tests.factories import AdvanceRuleFactory, AllocationFactory, ContractFactory

D = datetime.date
MILLION = Decimal(1_000_000)
ADVANCE, PAYMENT, REFUND = (
    Disbursement.Kind.ADVANCE,
    Disbursement.Kind.PAYMENT,
    Disbursement.Kind.REFUND,
)


def _pay(contract, millions, day, kind=ADVANCE, voucher=None):
    return disbursement_record(
        contract=contract,
        kind=kind,
        amount=(Decimal(millions) * MILLION).quantize(Decimal(1)),
        paid_on=day,
        voucher_number=voucher or f"UNC-{contract.disbursements.count() + 1}",
    )


@pytest.fixture
def two_rules(db):
    """Spring 2019: first advance 30%, at most 50% in all; from July: 70% and 70%."""
    AdvanceRule.objects.all().delete()
    spring = AdvanceRuleFactory(
        valid_from=D(2019, 1, 1),
        valid_to=D(2019, 6, 30),
        first_advance_rate=Decimal(30),
        advance_cap_rate=Decimal(50),
    )
    summer = AdvanceRuleFactory(
        valid_from=D(2019, 7, 1), first_advance_rate=Decimal(70), advance_cap_rate=Decimal(70)
    )
    return spring, summer


class TestRulesByDate:
    def test_the_first_advance_follows_the_rule_of_its_date(self, contract, two_rules):
        with pytest.raises(MoneyChainError) as error:
            _pay(contract, Decimal("300.000001"), D(2019, 4, 1))
        message = error.value.messages[0]
        assert "Tạm ứng lần đầu 300.000.001 đồng vượt mức 30,00%" in message
        assert "(300.000.000 đồng)" in message
        assert "áp dụng từ 01/01/2019" in message
        _pay(contract, 300, D(2019, 4, 1))

    def test_the_same_first_advance_passes_under_the_later_rule(self, contract, two_rules):
        _pay(contract, 700, D(2019, 7, 1))
        assert contract.disbursements.get().amount == 700 * MILLION

    def test_the_ceiling_changes_with_the_date_of_the_entry(self, contract, two_rules):
        _pay(contract, 300, D(2019, 4, 1))
        _pay(contract, 200, D(2019, 5, 1))
        with pytest.raises(MoneyChainError) as error:
            _pay(contract, Decimal("0.000001"), D(2019, 6, 30))
        message = error.value.messages[0]
        assert "vượt mức tạm ứng tối đa 50,00%" in message
        assert "(500.000.000 đồng)" in message
        assert "đã tạm ứng (trừ số thu hồi) 500.000.000 đồng" in message
        assert "còn được tạm ứng 0 đồng" in message
        # From July the 70% rule applies to the same contract.
        _pay(contract, 200, D(2019, 7, 1))
        with pytest.raises(MoneyChainError, match=re.escape("tối đa 70,00%")):
            _pay(contract, Decimal("0.000001"), D(2019, 7, 2))
        assert contract.disbursements.count() == 3


class TestCeiling:
    def test_migration_rules_cap_advances_at_70_percent(self, contract, migration_rules):
        _pay(contract, 700, D(2019, 6, 1))
        with pytest.raises(MoneyChainError, match=re.escape("còn được tạm ứng 0 đồng")):
            _pay(contract, 1, D(2019, 6, 2))

    def test_refunds_free_room_for_advances(self, contract, migration_rules):
        _pay(contract, 700, D(2019, 6, 1))
        _pay(contract, 100, D(2019, 6, 10), kind=REFUND)
        _pay(contract, 100, D(2019, 6, 20))
        assert contract.disbursements.count() == 3

    def test_payments_are_not_advances(self, contract, migration_rules):
        _pay(contract, 700, D(2019, 6, 1))
        _pay(contract, 300, D(2019, 11, 1), kind=PAYMENT)
        assert contract.disbursements.count() == 2

    def test_a_rule_for_the_scheme_kind_comes_before_the_general_one(self, db, migration_rules):
        AdvanceRuleFactory(
            valid_from=D(2019, 1, 1),
            scheme_kind=Scheme.Kind.PILOT,
            first_advance_rate=Decimal(30),
            advance_cap_rate=Decimal(70),
        )
        pilot = ContractFactory(
            value=1000 * MILLION,
            allocation__amount=1000 * MILLION,
            allocation__scheme__kind=Scheme.Kind.PILOT,
        )
        targeted = ContractFactory(value=1000 * MILLION, allocation__amount=1000 * MILLION)
        with pytest.raises(MoneyChainError, match=re.escape("vượt mức 30,00%")):
            _pay(pilot, 400, D(2019, 6, 1))
        _pay(targeted, 400, D(2019, 6, 1))

    def test_without_a_rule_in_force_the_contract_value_alone_bounds(self, contract):
        AdvanceRule.objects.all().delete()
        _pay(contract, 1000, D(2019, 6, 1))
        assert contract.disbursements.get().amount == 1000 * MILLION


class TestRuleData:
    def test_the_migration_holds_the_70_percent_rules_with_their_basis(self, migration_rules):
        rules = list(AdvanceRule.objects.order_by("valid_from"))
        old, current = rules[0], rules[-1]
        assert (old.valid_from, old.valid_to) == (D(2014, 2, 18), D(2018, 5, 10))
        assert (old.first_advance_rate, old.advance_cap_rate) == (Decimal(70), Decimal(70))
        assert "TTLT 26/2014" in old.legal_basis and "Điều 8.2.b" in old.legal_basis
        assert "30%" in old.legal_basis  # the CCN infrastructure rate, named, not applied
        assert current.valid_to is None and current.valid_from == D(2018, 5, 11)
        assert "TT 28/2018" in current.legal_basis
        assert "không nêu" in current.legal_basis  # the gap in the sources is said, not filled

    def test_overlapping_rules_for_the_same_kind_are_refused(self, db, two_rules):
        clash = AdvanceRule(
            valid_from=D(2019, 6, 1),
            first_advance_rate=Decimal(10),
            advance_cap_rate=Decimal(10),
            legal_basis="x",
        )
        with pytest.raises(ValidationError, match="trùng với quy định"):
            clash.full_clean()

    def test_the_first_advance_cannot_exceed_the_ceiling(self, db):
        rule = AdvanceRule(
            valid_from=D(2030, 1, 1),
            first_advance_rate=Decimal(80),
            advance_cap_rate=Decimal(70),
            legal_basis="x",
        )
        with pytest.raises(ValidationError, match="lần đầu không được lớn hơn"):
            rule.full_clean()


class TestNothingInTheFuture:
    def test_no_voucher_dated_after_today(self, db):
        today = timezone.localdate()
        contract = ContractFactory(
            allocation__scheme__plan_year=today.year, signed_on=today, value=MILLION
        )
        tomorrow = today + datetime.timedelta(days=1)
        with pytest.raises(ValidationError, match=r"Ngày chứng từ .* ở tương lai"):
            _pay(contract, Decimal("0.5"), tomorrow, kind=PAYMENT)
        _pay(contract, Decimal("0.5"), today, kind=PAYMENT)

    def test_no_contract_signed_after_today(self, db):
        today = timezone.localdate()
        allocation = AllocationFactory(scheme__plan_year=today.year)
        with pytest.raises(ValidationError, match=r"Ngày ký hợp đồng .* ở tương lai"):
            contract_sign(
                allocation=allocation,
                kind=Contract.Kind.CONTRACT,
                number="1",
                signed_on=today + datetime.timedelta(days=1),
                value=MILLION,
                contractor=allocation.scheme.implementing_unit,
            )
        assert not allocation.contracts.exists()
