"""Each consistency check on a row that fails it and one that passes, and the score."""

import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from accounts.models import Role
from budgets.models import Disbursement
from monitoring.consistency import CHECK_CODES, data_quality, failing_rows
from projects.models import Scheme, SchemeStatusChange
from projects.permissions import schemes_visible_to
from tests.conftest import province
from tests.factories import UserFactory
from tests.monitoring.conftest import TRIEU, TY, D, approve, pay, scope, sign

ADVANCE, PAYMENT, REFUND = Disbursement.Kind.ADVANCE, Disbursement.Kind.PAYMENT, "refund"
HCM = ZoneInfo("Asia/Ho_Chi_Minh")
LATER = D(2022, 3, 1)  # after the deadlines of 2021


def codes(check, on=LATER, visible=None):
    return [row["code"] for row in failing_rows(scope(2021, on), visible, check)]


def test_money_chain(db):
    over_contracted = approve(year=2021, budget=1 * TY, code="X")
    sign(over_contracted, TY * Decimal("1.2"), D(2021, 3, 1))
    fine = approve(year=2021, budget=1 * TY, code="Y")
    pay(sign(fine, 1 * TY, D(2021, 3, 1)), TY / 2, D(2021, 4, 1), ADVANCE)
    over_paid = approve(year=2021, budget=1 * TY, code="Z")
    contract = sign(over_paid, 1 * TY, D(2021, 3, 1))
    pay(contract, 600 * TRIEU, D(2021, 4, 1), ADVANCE)
    pay(contract, 500 * TRIEU, D(2021, 9, 1))
    assert codes("money_chain") == ["X", "Z"]
    # On 31/12 and from today on, the summary table answers: the same schemes and figures.
    for on in (D(2021, 12, 31), timezone.localdate()):
        assert codes("money_chain", on=on) == ["X", "Z"]
        assert failing_rows(scope(2021, on), None, "money_chain") == failing_rows(
            scope(2021, LATER), None, "money_chain"
        )
    # On 30/06 Z had paid only 600 triệu of its 1 tỷ.
    assert codes("money_chain", on=D(2021, 6, 30)) == ["X"]
    row = failing_rows(scope(2021, LATER), None, "money_chain")[1]
    assert dict(row["facts"]) == {
        "approved": 1 * TY,
        "contracted": 1 * TY,
        "disbursed": 1100 * TRIEU,
    }


def test_no_payment_before_its_contract(db):
    early = approve(year=2021, budget=1 * TY, code="E")
    pay(sign(early, 1 * TY, D(2021, 3, 1)), TY / 2, D(2021, 2, 15), ADVANCE)
    fine = approve(year=2021, budget=1 * TY, code="F")
    pay(sign(fine, 1 * TY, D(2021, 3, 1)), TY / 2, D(2021, 3, 1), ADVANCE)
    assert codes("paid_before_contract") == ["E"]


def test_refunds_never_exceed_what_was_out(db):
    too_much = approve(year=2021, budget=1 * TY, code="R1")
    contract = sign(too_much, 1 * TY, D(2021, 3, 1))
    pay(contract, 300 * TRIEU, D(2021, 4, 1), ADVANCE)
    pay(contract, 500 * TRIEU, D(2021, 5, 1), REFUND)
    too_early = approve(year=2021, budget=1 * TY, code="R2")
    contract = sign(too_early, 1 * TY, D(2021, 3, 1))
    pay(contract, 100 * TRIEU, D(2021, 3, 5), REFUND)  # nothing was out yet
    pay(contract, 500 * TRIEU, D(2021, 4, 1), ADVANCE)
    fine = approve(year=2021, budget=1 * TY, code="R3")
    contract = sign(fine, 1 * TY, D(2021, 3, 1))
    pay(contract, 500 * TRIEU, D(2021, 4, 1), ADVANCE)
    pay(contract, 200 * TRIEU, D(2021, 12, 1), REFUND)
    assert codes("refund_exceeds") == ["R1", "R2"]


def test_advances_are_settled_in_time(db):
    never = approve(year=2021, budget=1 * TY, code="A1")
    pay(sign(never, 1 * TY, D(2021, 3, 1)), 500 * TRIEU, D(2021, 4, 1), ADVANCE)
    settled = approve(year=2021, budget=1 * TY, code="A2")
    contract = sign(settled, 1 * TY, D(2021, 3, 1))
    pay(contract, 500 * TRIEU, D(2021, 4, 1), ADVANCE)
    pay(contract, 500 * TRIEU, D(2021, 12, 1))
    late = approve(year=2021, budget=1 * TY, code="A3", status=Scheme.Status.ACCEPTED)
    contract = sign(late, 1 * TY, D(2021, 3, 1))
    pay(contract, 500 * TRIEU, D(2021, 4, 1), ADVANCE)
    pay(contract, 500 * TRIEU, D(2021, 12, 1))  # 30 days after acceptance had passed
    change = SchemeStatusChange.objects.create(
        scheme=late.scheme,
        from_status=Scheme.Status.IN_PROGRESS,
        to_status=Scheme.Status.ACCEPTED,
        by=UserFactory(),
    )
    accepted_at = datetime.datetime(2021, 6, 1, 9, 0, tzinfo=HCM)
    SchemeStatusChange.objects.filter(pk=change.pk).update(at=accepted_at)
    assert codes("advance_unsettled") == ["A1", "A3"]
    # On 15/01/2022 no deadline of a scheme accepted after June has passed yet (31/12 + 30).
    assert codes("advance_unsettled", on=D(2022, 1, 15)) == ["A3"]
    row = failing_rows(scope(2021, LATER), None, "advance_unsettled")[0]
    assert dict(row["facts"])["deadline"] == D(2022, 1, 30)


def test_contracts_signed_within_thirty_days_of_approval(db):
    # The factory's batch is decided on 30/12/2020.
    approve(year=2021, budget=1 * TY, code="C1")
    signed = approve(year=2021, budget=1 * TY, code="C2")
    sign(signed, 1 * TY, D(2021, 1, 20))
    approve(year=2021, budget=1 * TY, code="C3", status=Scheme.Status.STOPPED)
    assert codes("contract_late", on=D(2021, 3, 1)) == ["C1"]
    assert codes("contract_late", on=D(2021, 1, 15)) == []


def test_schemes_past_their_end_date_are_accepted(db):
    # The factory's schemes end on 30/11 of their year.
    approve(year=2021, budget=1 * TY, code="P1", status=Scheme.Status.IN_PROGRESS)
    approve(year=2021, budget=1 * TY, code="P2", status=Scheme.Status.ACCEPTED)
    late = approve(year=2021, budget=1 * TY, code="P3", status=Scheme.Status.SETTLED)
    change = SchemeStatusChange.objects.create(
        scheme=late.scheme,
        from_status=Scheme.Status.IN_PROGRESS,
        to_status=Scheme.Status.ACCEPTED,
        by=UserFactory(),
    )
    SchemeStatusChange.objects.filter(pk=change.pk).update(
        at=datetime.datetime(2022, 4, 1, 9, 0, tzinfo=HCM)
    )
    approve(year=2021, budget=1 * TY, code="P4", status=Scheme.Status.STOPPED)
    assert codes("past_end") == ["P1", "P3"]
    assert codes("past_end", on=D(2021, 11, 30)) == []


@pytest.fixture
def mixed(db):
    """Thái Nguyên (19, with old Bắc Kạn 06): 3 schemes, 1 failing two checks; Hà Nội: 1 fine."""
    bad = approve(year=2021, budget=1 * TY, code="T1", province="06")
    contract = sign(bad, TY * Decimal("1.5"), D(2021, 1, 5))
    pay(contract, 100 * TRIEU, D(2021, 1, 1), ADVANCE)
    pay(contract, 900 * TRIEU, D(2021, 6, 1))
    for code in ("T2", "T3"):
        pay(
            sign(approve(year=2021, budget=1 * TY, code=code), 1 * TY, D(2021, 1, 5)),
            1,
            D(2021, 2, 1),
        )
    pay(
        sign(approve(year=2021, budget=1 * TY, code="H1", province="01"), 1 * TY, D(2021, 1, 5)),
        1,
        D(2021, 2, 1),
    )


def test_score_per_province(mixed, django_assert_num_queries):
    with django_assert_num_queries(2):
        quality = data_quality(scope(2021, D(2021, 6, 30)), with_plans=True)
    provinces = {q.code: q for q in quality.provinces}
    assert provinces["19"].schemes == 3
    assert provinces["19"].failing["money_chain"] == 1
    assert provinces["19"].failing["paid_before_contract"] == 1
    assert provinces["19"].failing_schemes == 1
    assert provinces["19"].score == Decimal("66.67")
    assert provinces["01"].score == Decimal("100.00")
    assert quality.total.schemes == 4
    assert quality.total.score == Decimal("75.00")
    assert [plan.ok for plan in quality.plans] == [True]


def test_the_score_counts_the_failing_rows_schemes(mixed):
    """Each check's count is the number of distinct schemes among its failing rows, per
    province and in total, and a scheme failing several checks fails once."""
    on = D(2021, 6, 30)
    quality = data_quality(scope(2021, on))
    failing: dict[str, set[int]] = {}
    for check in CHECK_CODES:
        rows = failing_rows(scope(2021, on), None, check)
        failing[check] = {row["scheme_id"] for row in rows}
        assert quality.total.failing[check] == len(failing[check])
        for unit in quality.provinces:
            in_unit = {row["scheme_id"] for row in rows if row["unit_code"] == unit.code}
            assert unit.failing[check] == len(in_unit)
    assert quality.total.failing_schemes == len(set().union(*failing.values()))
    assert quality.total.failing_schemes > 0


def test_a_province_user_sees_only_its_rows(mixed):
    user = UserFactory(role=Role.PROVINCE, province=province("01"))
    quality = data_quality(scope(2021, D(2021, 6, 30)), schemes_visible_to(user))
    assert [q.code for q in quality.provinces] == ["01"]
    assert failing_rows(scope(2021, D(2021, 6, 30)), schemes_visible_to(user), "money_chain") == []


def test_a_plan_approving_more_than_its_envelope_fails(db):
    first = approve(year=2021, budget=6 * TY)
    approve(year=2021, budget=3 * TY)
    on = D(2021, 6, 30)
    assert [
        (p.envelope, p.approved, p.ok) for p in data_quality(scope(2021, on), with_plans=True).plans
    ] == [(10 * TY, 9 * TY, True)]
    approve(year=2021, budget=2 * TY)
    [plan] = data_quality(scope(2021, on), with_plans=True).plans
    assert (plan.envelope, plan.approved, plan.ok) == (10 * TY, 11 * TY, False)
    assert plan.pk == first.plan_id


def test_the_score_counts_the_schemes_of_the_failing_rows(mixed):
    never = approve(year=2021, budget=1 * TY, code="T4", province="06")
    pay(sign(never, 1 * TY, D(2021, 3, 1)), 500 * TRIEU, D(2021, 4, 1), ADVANCE)
    approve(year=2021, budget=1 * TY, code="T5", status=Scheme.Status.IN_PROGRESS)
    quality = data_quality(scope(2021, LATER))
    for check in quality.total.failing:
        failing = {row["scheme_id"] for row in failing_rows(scope(2021, LATER), None, check)}
        assert quality.total.failing[check] == len(failing), check
    assert quality.total.failing["advance_unsettled"] == 1
    assert quality.total.failing["past_end"] == 6


# Monthly progress reports (due by the 25th, from the month after the first contract).


def report(allocation, year, month, submitted_on, by=None):
    from submissions.models import ProgressReport
    from submissions.reporting import Period

    return ProgressReport.objects.create(
        scheme=allocation.scheme,
        period_year=year,
        period_month=month,
        due_on=Period(year, month).due_on,
        submitted_on=submitted_on,
        work_done="Đã lắp đặt máy",
        percent_complete=40,
        amount_spent=100 * TRIEU,
        reported_by=by or UserFactory(),
    )


@pytest.fixture
def reporting(db):
    """Signed on 10/03/2021, so reports are due for April on: A late in May and silent in June,
    B always on time (25/04 is the deadline itself), C signed in June (nothing due before July),
    D stopped on 01/09/2021 and silent (under way until then)."""
    IN = Scheme.Status.IN_PROGRESS
    a = approve(year=2021, budget=1 * TY, code="A", status=IN)
    sign(a, 1 * TY, D(2021, 3, 10))
    report(a, 2021, 4, D(2021, 4, 20))
    report(a, 2021, 5, D(2021, 5, 27))
    b = approve(year=2021, budget=1 * TY, code="B", status=IN, province="01")
    sign(b, 1 * TY, D(2021, 3, 10))
    for month, day in ((4, 25), (5, 10), (6, 24), (7, 2)):
        report(b, 2021, month, D(2021, month, day))
    c = approve(year=2021, budget=1 * TY, code="C", status=Scheme.Status.CONTRACTED)
    sign(c, 1 * TY, D(2021, 6, 1))
    d = approve(year=2021, budget=1 * TY, code="D", status=Scheme.Status.STOPPED)
    sign(d, 1 * TY, D(2021, 3, 10))
    change = SchemeStatusChange.objects.create(
        scheme=d.scheme, from_status=IN, to_status=Scheme.Status.STOPPED, by=UserFactory()
    )
    SchemeStatusChange.objects.filter(pk=change.pk).update(
        at=datetime.datetime(2021, 9, 1, 9, 0, tzinfo=HCM)
    )
    return {"a": a, "b": b, "c": c, "d": d}


def test_progress_reports_are_on_time(reporting):
    assert codes("progress_late", on=D(2021, 4, 25)) == []  # April's deadline is still today
    assert codes("progress_late", on=D(2021, 4, 26)) == ["D"]
    assert codes("progress_late", on=D(2021, 6, 30)) == ["A", "D"]
    [a, d] = failing_rows(scope(2021, D(2021, 6, 30)), None, "progress_late")
    assert dict(a["facts"]) == {
        "first_signed_on": D(2021, 3, 10),
        "months_due": 3,
        "months_on_time": 1,
        "last_submitted_on": D(2021, 5, 27),
    }
    assert dict(d["facts"])["last_submitted_on"] is None
    # Once stopped, D owes nothing more; A owes every month to its end date (30/11/2021): 8.
    # C, signed in June, owes July to November.
    assert codes("progress_late", on=LATER) == ["A", "B", "C"]
    rows = failing_rows(scope(2021, LATER), None, "progress_late")
    facts = {row["code"]: dict(row["facts"]) for row in rows}
    assert facts["A"]["months_due"] == 8
    assert (facts["B"]["months_due"], facts["B"]["months_on_time"]) == (8, 4)
    assert (facts["C"]["months_due"], facts["C"]["months_on_time"]) == (5, 0)


def test_a_report_filed_after_the_day_does_not_count_on_that_day(reporting):
    # B filed June's report on 24/06: on 23/06 May and April were due and reported, June not yet.
    assert "B" not in codes("progress_late", on=D(2021, 6, 23))
    report(reporting["c"], 2021, 7, D(2021, 8, 2))  # late, filed in August
    assert "C" in codes("progress_late", on=D(2021, 7, 31))
    assert "C" in codes("progress_late", on=D(2021, 8, 31))


def test_progress_reports_count_in_the_score_with_a_fixed_number_of_queries(
    reporting, django_assert_num_queries
):
    with django_assert_num_queries(2):
        quality = data_quality(scope(2021, D(2021, 6, 30)), with_plans=True)
    provinces = {q.code: q for q in quality.provinces}
    assert quality.total.failing["progress_late"] == 2
    assert provinces["19"].failing["progress_late"] == 2
    assert (provinces["19"].passing, provinces["19"].schemes) == (1, 3)
    assert provinces["01"].failing["progress_late"] == 0
    for month in (4, 5, 6):
        report(reporting["a"], 2021, month + 3, D(2021, month + 3, 1))  # after the day
        report(reporting["d"], 2021, month, D(2021, month, 2))
    with django_assert_num_queries(2):
        quality = data_quality(scope(2021, D(2021, 6, 30)), with_plans=True)
    assert quality.total.failing["progress_late"] == 1  # A: May late, June missing on 30/06


def _stopped_on(allocation, day) -> None:
    change = SchemeStatusChange.objects.create(
        scheme=allocation.scheme,
        from_status=Scheme.Status.APPROVED,
        to_status=Scheme.Status.STOPPED,
        by=UserFactory(),
    )
    SchemeStatusChange.objects.filter(pk=change.pk).update(
        at=datetime.datetime.combine(day, datetime.time(9), tzinfo=HCM)
    )


def test_a_scheme_stopped_later_is_checked_as_it_was_then(db):
    """Q, approved in the 2021 plan (batch of 30/12/2020), never contracted, ending on 30/11,
    was stopped on 15/12/2021: before that it was late with its contract and, from December,
    past its end date; from the 15th it is left out of both checks."""
    q = approve(year=2021, budget=1 * TY, code="Q", status=Scheme.Status.STOPPED)
    _stopped_on(q, D(2021, 12, 15))
    assert codes("contract_late", on=D(2021, 6, 30)) == ["Q"]
    assert codes("past_end", on=D(2021, 12, 10)) == ["Q"]
    assert codes("contract_late", on=D(2021, 12, 15)) == []
    assert codes("past_end", on=D(2021, 12, 31)) == []
