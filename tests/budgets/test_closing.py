"""Liquidation, settlement, the year-end report, and the closing of a year: a closed year
refuses every money service until an approver or an administrator re-opens it, with a reason."""

import datetime
import re
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from budgets import services
from budgets.models import Contract, Disbursement, PeriodLock
from budgets.selectors import year_end_report
from budgets.services import (
    MoneyChainError,
    PeriodClosedError,
    allocation_settle,
    contract_liquidate,
    disbursement_record,
    year_close,
    year_reopen,
)
from projects.models import Fund
from provinces.models import Province, ProvinceMap
from tests.factories import (
    AllocationFactory,
    ContractFactory,
    EnvelopeFactory,
    PlanBatchFactory,
    SchemeFactory,
)

D = datetime.date
MILLION = Decimal(1_000_000)
NATIONAL = Fund.NATIONAL
ADVANCE, PAYMENT, REFUND = (
    Disbursement.Kind.ADVANCE,
    Disbursement.Kind.PAYMENT,
    Disbursement.Kind.REFUND,
)


def _pay(contract, millions, day, kind=PAYMENT, voucher=None):
    return disbursement_record(
        contract=contract,
        kind=kind,
        amount=(Decimal(millions) * MILLION).quantize(Decimal(1)),
        paid_on=day,
        voucher_number=voucher or f"UNC-{contract.disbursements.count() + 1}",
    )


LIQUIDATED_ON = D(2019, 12, 15)


def _liquidate(contract, millions, day=LIQUIDATED_ON):
    return contract_liquidate(
        contract=contract, number="TL-1", signed_on=day, final_value=Decimal(millions) * MILLION
    )


@pytest.fixture
def contract(db):
    """800 million contracted of 1 billion approved in the 2019 national plan."""
    return ContractFactory(value=800 * MILLION, allocation__amount=1000 * MILLION)


class TestLiquidation:
    def test_not_above_the_contract_value(self, contract):
        with pytest.raises(MoneyChainError, match=re.escape("vượt giá trị Hợp đồng")):
            _liquidate(contract, 801)

    def test_after_liquidation_no_advance_and_nothing_beyond_the_final_value(self, contract):
        _pay(contract, 500, D(2019, 4, 1), kind=ADVANCE)
        _liquidate(contract, 700)
        with pytest.raises(MoneyChainError, match="đã thanh lý ngày 15/12/2019"):
            _pay(contract, 1, D(2019, 12, 20), kind=ADVANCE)
        with pytest.raises(MoneyChainError) as error:
            _pay(contract, 201, D(2019, 12, 20))
        assert "giá trị thanh lý 700.000.000 đồng" in error.value.messages[0]
        assert "còn 200.000.000 đồng" in error.value.messages[0]
        _pay(contract, 200, D(2019, 12, 20))

    def test_only_once_and_no_amendment_after(self, contract):
        _liquidate(contract, 700)
        with pytest.raises(ValidationError, match="đã thanh lý"):
            _liquidate(contract, 700)
        with pytest.raises(ValidationError, match="đã thanh lý"):
            services.contract_amend(
                contract=contract,
                number="PL",
                signed_on=D(2019, 12, 20),
                value=MILLION,
                reason="x",
            )


class TestSettlement:
    def test_settled_is_the_net_disbursed_and_the_rest_goes_back(self, contract, clerk):
        _pay(contract, 560, D(2019, 4, 1), kind=ADVANCE)
        _liquidate(contract, 740)
        _pay(contract, 180, D(2020, 1, 15))
        settlement = allocation_settle(
            allocation=contract.allocation,
            decision_number="QT-2019/01",
            settled_on=D(2020, 1, 20),
            by=clerk,
        )
        assert settlement.settled_amount == 740 * MILLION
        assert settlement.returned_amount == 260 * MILLION
        assert settlement.recorded_by == clerk

    def test_an_allocation_never_contracted_returns_everything(self, db):
        allocation = AllocationFactory(amount=300 * MILLION)
        settlement = allocation_settle(
            allocation=allocation, decision_number="QT", settled_on=D(2020, 1, 10)
        )
        assert (settlement.settled_amount, settlement.returned_amount) == (0, 300 * MILLION)

    def test_every_contract_must_be_liquidated_and_paid_to_its_final_value(self, contract):
        _pay(contract, 500, D(2019, 4, 1), kind=ADVANCE)
        settle = {
            "allocation": contract.allocation,
            "decision_number": "QT",
            "settled_on": D(2020, 1, 20),
        }
        with pytest.raises(ValidationError, match="chưa thanh lý"):
            allocation_settle(**settle)
        _liquidate(contract, 400)
        with pytest.raises(ValidationError) as error:
            allocation_settle(**settle)
        assert "thanh lý 400.000.000 đồng nhưng đến ngày 20/01/2020 đã giải ngân" in str(
            error.value
        )
        _pay(contract, 100, D(2020, 1, 5), kind=REFUND)
        assert allocation_settle(**settle).settled_amount == 400 * MILLION

    def test_nothing_more_is_written_on_a_settled_allocation(self, contract):
        _liquidate(contract, 0)
        allocation = contract.allocation
        allocation_settle(allocation=allocation, decision_number="QT-7", settled_on=D(2020, 1, 5))
        with pytest.raises(ValidationError, match=re.escape("đã quyết toán (QT-7, 05/01/2020)")):
            _pay(contract, 1, D(2020, 1, 6))
        with pytest.raises(ValidationError, match="đã quyết toán"):
            services.allocation_set(
                scheme=allocation.scheme, batch=allocation.batch, amount=900 * MILLION
            )
        with pytest.raises(ValidationError, match="đã quyết toán"):
            allocation_settle(
                allocation=allocation, decision_number="QT-8", settled_on=D(2020, 1, 6)
            )


class TestYearEndReport:
    def test_figures_per_plan_and_per_province(self, contract, django_assert_max_num_queries):
        _pay(contract, 560, D(2019, 4, 1), kind=ADVANCE)
        _liquidate(contract, 740)
        _pay(contract, 180, D(2020, 1, 15))
        _pay(
            contract, Decimal("0.000001"), D(2020, 1, 23), kind=REFUND
        )  # after the deadline: not counted
        allocation_settle(
            allocation=contract.allocation, decision_number="QT", settled_on=D(2020, 1, 20)
        )
        hanoi = SchemeFactory(
            province=Province.objects.get(code="01", map_version=ProvinceMap.OLD_63)
        )
        AllocationFactory(scheme=hanoi, amount=200 * MILLION)
        with django_assert_max_num_queries(5):
            (plan_row,) = year_end_report(year=2019, fund=NATIONAL)
        assert plan_row.approved == 1200 * MILLION
        assert plan_row.disbursed_by_year_end == 560 * MILLION
        assert plan_row.disbursed_by_deadline == 740 * MILLION
        assert plan_row.not_disbursed == 460 * MILLION
        assert plan_row.settled == 740 * MILLION
        rows = {row.label: row for row in year_end_report(year=2019, by_province=True)}
        assert set(rows) == {"Tỉnh Thái Nguyên", "Thành phố Hà Nội"}
        assert rows["Thành phố Hà Nội"].approved == 200 * MILLION
        assert rows["Thành phố Hà Nội"].not_disbursed == 200 * MILLION
        assert rows["Tỉnh Thái Nguyên"].settled == 740 * MILLION
        assert year_end_report(year=2018) == []


# The period lock.


def _every_service(contract, envelope):
    allocation = contract.allocation
    plan = allocation.plan
    hcm = Province.objects.get(code="79", map_version=ProvinceMap.NEW_34)
    other = EnvelopeFactory(plan=plan, province=hcm)
    return {
        "plan_batch_add": lambda: services.plan_batch_add(
            plan=plan, number=9, decision_number="9", decision_date=D(2019, 9, 1), amount=MILLION
        ),
        "allocation_set": lambda: services.allocation_set(
            scheme=allocation.scheme, batch=allocation.batch, amount=900 * MILLION
        ),
        "envelope_set": lambda: services.envelope_set(
            plan=plan, province=envelope.province, amount=2000 * MILLION
        ),
        "envelope_transfer": lambda: services.envelope_transfer(
            source=envelope,
            target=other,
            amount=MILLION,
            decided_on=D(2019, 7, 1),
            decision_number="1",
            reason="x",
        ),
        "contract_sign": lambda: services.contract_sign(
            allocation=allocation,
            kind=Contract.Kind.CONTRACT,
            number="2",
            signed_on=D(2019, 5, 1),
            value=MILLION,
            contractor=contract.contractor,
        ),
        "contract_tranches_set": lambda: services.contract_tranches_set(
            contract=contract, tranches=[(D(2019, 5, 1), contract.value)]
        ),
        "contract_amend": lambda: services.contract_amend(
            contract=contract, number="PL", signed_on=D(2019, 6, 1), value=MILLION, reason="x"
        ),
        "contract_liquidate": lambda: _liquidate(contract, 0),
        "disbursement_record": lambda: _pay(contract, 1, D(2019, 6, 1), kind=ADVANCE),
        "allocation_settle": lambda: allocation_settle(
            allocation=allocation, decision_number="QT", settled_on=D(2020, 1, 10)
        ),
    }


SERVICES = [
    "plan_batch_add",
    "allocation_set",
    "envelope_set",
    "envelope_transfer",
    "contract_sign",
    "contract_tranches_set",
    "contract_amend",
    "contract_liquidate",
    "disbursement_record",
    "allocation_settle",
]


@pytest.fixture
def envelope(contract):
    thai_nguyen = contract.allocation.scheme.province.successor
    return EnvelopeFactory(plan=contract.allocation.plan, province=thai_nguyen)


class TestPeriodLock:
    @pytest.mark.parametrize("service", SERVICES)
    def test_a_closed_year_refuses_every_money_service(
        self, contract, envelope, ministry_user, service
    ):
        call = _every_service(contract, envelope)[service]
        year_close(year=2019, fund=NATIONAL, closed_on=D(2020, 1, 25), by=ministry_user)
        with pytest.raises(PeriodClosedError) as error:
            call()
        assert error.value.messages == [
            "Sổ năm 2019 (Khuyến công quốc gia) đã khoá ngày 25/01/2020: không ghi thêm, sửa "
            "số liệu tiền của năm này. Lãnh đạo phê duyệt hoặc quản trị hệ thống phải mở lại "
            "sổ trước."
        ]

    def test_the_other_fund_stays_open(self, contract, ministry_user):
        year_close(year=2019, fund=Fund.LOCAL, by=ministry_user)
        entry = _pay(contract, 1, D(2019, 6, 1), kind=ADVANCE)
        assert contract.disbursements.get() == entry  # the national 2019 ledger takes it

    def test_an_entry_dated_in_a_closed_year_is_refused_whatever_its_plan(
        self, contract, ministry_user
    ):
        year_close(year=2020, fund=NATIONAL, by=ministry_user)
        with pytest.raises(PeriodClosedError, match="Sổ năm 2020"):
            _pay(contract, 1, D(2020, 1, 10), kind=ADVANCE)
        _pay(contract, 1, D(2019, 12, 20), kind=ADVANCE)

    def test_reopen_is_recorded_allows_again_and_the_year_can_be_closed_again(
        self, contract, ministry_user, approver
    ):
        first = year_close(year=2019, fund=NATIONAL, note="Quyết toán xong", by=ministry_user)
        with pytest.raises(PermissionDenied):
            year_reopen(year=2019, fund=NATIONAL, reason="Sai chứng từ", by=ministry_user)
        with pytest.raises(ValidationError, match="phải ghi lý do"):
            year_reopen(year=2019, fund=NATIONAL, reason=" ", by=approver)
        reopened = year_reopen(
            year=2019, fund=NATIONAL, reason="Ghi bổ sung chứng từ UNC-9", by=approver
        )
        assert reopened.pk == first.pk
        assert (reopened.reopened_by, reopened.reopen_reason) == (
            approver,
            "Ghi bổ sung chứng từ UNC-9",
        )
        assert reopened.reopened_on == timezone.localdate()
        _pay(contract, 1, D(2019, 6, 1), kind=ADVANCE)  # open again
        with pytest.raises(ValidationError, match="đang mở"):
            year_reopen(year=2019, fund=NATIONAL, reason="x", by=approver)
        second = year_close(year=2019, fund=NATIONAL, by=approver)
        with pytest.raises(PeriodClosedError):
            _pay(contract, 1, D(2019, 6, 2), kind=ADVANCE)
        assert list(PeriodLock.objects.filter(year=2019).order_by("pk")) == [first, second]
        assert reopened.history.count() == 2  # closed, then re-opened

    def test_closing_needs_the_year_over_a_central_role_and_once(
        self, db, ministry_user, thai_nguyen_user, admin_user
    ):
        this_year = timezone.localdate().year
        with pytest.raises(ValidationError, match="năm chưa kết thúc"):
            year_close(year=this_year, fund=NATIONAL, by=ministry_user)
        with pytest.raises(PermissionDenied):
            year_close(year=2019, fund=NATIONAL, by=thai_nguyen_user)
        year_close(year=2019, fund=NATIONAL, by=admin_user)
        with pytest.raises(ValidationError, match="đã khoá"):
            year_close(year=2019, fund=NATIONAL, by=ministry_user)

    def test_plan_batches_of_a_closed_year(self, db, ministry_user):
        plan = PlanBatchFactory(plan__year=2019).plan
        year_close(year=2019, fund=NATIONAL, by=ministry_user)
        with pytest.raises(PeriodClosedError):
            services.plan_batch_add(
                plan=plan, number=5, decision_number="5", decision_date=D(2019, 9, 1), amount=1
            )


class TestTheWorkflowFollows:
    """Liquidating the last contract of an accepted scheme moves it to "liquidated"; settling
    its last allocation moves it to "settled"; each with its decision number and who."""

    def test_liquidation_then_settlement(self, contract, clerk):
        from projects.models import Scheme, SchemeStatusChange

        scheme = contract.allocation.scheme
        Scheme.objects.filter(pk=scheme.pk).update(status=Scheme.Status.ACCEPTED)
        second = ContractFactory(allocation=contract.allocation, value=100 * MILLION)
        _pay(contract, 700, D(2019, 6, 1))
        contract_liquidate(
            contract=contract,
            number="TL-1",
            signed_on=LIQUIDATED_ON,
            final_value=700 * MILLION,
            by=clerk,
        )
        scheme.refresh_from_db()
        assert scheme.status == Scheme.Status.ACCEPTED  # a contract is still open

        contract_liquidate(
            contract=second, number="TL-2", signed_on=LIQUIDATED_ON, final_value=0, by=clerk
        )
        scheme.refresh_from_db()
        assert scheme.status == Scheme.Status.LIQUIDATED
        change = SchemeStatusChange.objects.get(scheme=scheme, to_status=Scheme.Status.LIQUIDATED)
        assert (change.from_status, change.decision_number, change.by) == (
            Scheme.Status.ACCEPTED,
            "TL-2",
            clerk,
        )

        allocation_settle(
            allocation=contract.allocation,
            decision_number="QT-2019/07",
            settled_on=D(2020, 1, 20),
            by=clerk,
        )
        scheme.refresh_from_db()
        assert scheme.status == Scheme.Status.SETTLED
        assert (
            SchemeStatusChange.objects.get(
                scheme=scheme, to_status=Scheme.Status.SETTLED
            ).decision_number
            == "QT-2019/07"
        )

    def test_a_scheme_not_yet_accepted_keeps_its_status(self, contract, clerk):
        from projects.models import Scheme

        scheme = contract.allocation.scheme
        Scheme.objects.filter(pk=scheme.pk).update(status=Scheme.Status.IN_PROGRESS)
        contract_liquidate(
            contract=contract, number="TL-1", signed_on=LIQUIDATED_ON, final_value=0, by=clerk
        )
        scheme.refresh_from_db()
        assert scheme.status == Scheme.Status.IN_PROGRESS
