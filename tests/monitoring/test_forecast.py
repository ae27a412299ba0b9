"""The year-end forecast on constructed histories whose answer is known by hand."""

import datetime
from decimal import Decimal
from fractions import Fraction

from budgets.models import ContractTranche
from monitoring.curve import completed_months, curve_from_cumulative, history_curve
from monitoring.forecast import year_end_forecast
from monitoring.schedule import linear_due_by, linear_tranches, planned_dues, planned_payments
from projects.models import Scheme
from tests.monitoring.conftest import TRIEU, TY, D, approve, pay, scope, sign


def test_the_curve_is_the_share_of_the_year_reached_by_each_month(half_by_june):
    curve = history_curve(scope(2021, D(2021, 6, 30)))
    assert curve.years == (2019, 2020)
    assert curve.shares[5] == 0
    assert curve.shares[6] == Fraction(1, 2)
    assert curve.shares[10] == Fraction(1, 2)
    assert curve.shares[11] == curve.shares[12] == 1


def test_without_history_the_curve_is_linear(db):
    curve = history_curve(scope(2021, D(2021, 6, 30)))
    assert curve.years == ()
    assert curve.shares[6] == Fraction(1, 2)
    assert curve.shares[3] == Fraction(1, 4)


def test_completed_months():
    assert completed_months(2021, D(2021, 6, 30)) == 6
    assert completed_months(2021, D(2021, 6, 29)) == 5
    assert completed_months(2021, D(2020, 12, 31)) == 0
    assert completed_months(2021, D(2021, 12, 31)) == 12
    assert completed_months(2021, D(2022, 1, 5)) == 12


def test_linear_tranches_add_up_and_are_due_at_month_ends():
    tranches = linear_tranches(D(2021, 1, 1), 364 * TRIEU, D(2021, 12, 31))
    assert tranches[0] == (D(2021, 1, 31), 30 * TRIEU)
    assert sum(amount for _day, amount in tranches) == 364 * TRIEU
    assert sum(a for day, a in tranches if day <= D(2021, 6, 30)) == 180 * TRIEU
    assert linear_tranches(D(2022, 1, 3), TY, D(2021, 12, 31)) == [(D(2022, 1, 3), TY)]
    odd = linear_tranches(D(2021, 3, 17), Decimal(1_000_000_007), D(2021, 12, 31))
    assert sum(amount for _day, amount in odd) == Decimal(1_000_000_007)


def test_forecast_with_a_known_answer(half_by_june, django_assert_num_queries):
    """On 30/06/2021, with c(6) = 50% from 2019-2020:
    - U, 1 tỷ approved, no contract: 1 tỷ × 50% = 500 triệu expected;
    - B, 364 triệu contracted on 01/01/2021, 100 triệu paid: 180 triệu planned by 30/06, so 80
      overdue (× 50% = 40) and 184 still ahead: 100 + 184 + 40 = 324 triệu;
    - S, stopped, 500 triệu contracted, 100 triệu paid: nothing more, 100 triệu.
    Expected 924 of 1.864 triệu = 49,57%."""
    approve(year=2021, budget=1 * TY, code="U", province="19")
    b = approve(year=2021, budget=364 * TRIEU, code="B", province="06")
    contract = sign(b, 364 * TRIEU, D(2021, 1, 1))
    pay(contract, 100 * TRIEU, D(2021, 1, 15))
    pay(contract, 50 * TRIEU, D(2021, 7, 15))  # after the day: not counted
    s = approve(year=2021, budget=500 * TRIEU, code="S", province="79")
    contract = sign(s, 500 * TRIEU, D(2021, 2, 1))
    pay(contract, 100 * TRIEU, D(2021, 3, 1))
    Scheme.objects.filter(pk=s.scheme_id).update(status=Scheme.Status.STOPPED)

    with django_assert_num_queries(4):
        forecast = year_end_forecast(scope(2021, D(2021, 6, 30)))

    by_code = {scheme.code: scheme for scheme in forecast.schemes}
    assert by_code["U"].expected == 500 * TRIEU
    assert by_code["U"].reasons == (("unsigned", 1 * TY),)
    assert by_code["B"].expected == 324 * TRIEU
    assert by_code["B"].reasons == (("behind", 80 * TRIEU),)
    assert by_code["S"].expected == 100 * TRIEU
    assert by_code["S"].reasons == (("stopped", 400 * TRIEU),)
    assert forecast.total.budget == 1864 * TRIEU
    assert forecast.total.disbursed == 200 * TRIEU
    assert forecast.total.expected_amount == 924 * TRIEU
    assert forecast.total.expected_rate == Decimal("49.57")
    assert forecast.month == 6
    assert forecast.pace_percent == Decimal("50.00")
    assert [s.code for s in forecast.at_risk()] == ["U", "S", "B"]
    assert [s.left for s in forecast.at_risk()] == [500 * TRIEU, 400 * TRIEU, 40 * TRIEU]
    # Thái Nguyên (19) takes in Bắc Kạn (06) on the 34-unit map.
    provinces = {g.fields["code"]: g for g in forecast.by_province}
    assert provinces["19"].expected_amount == 824 * TRIEU
    assert provinces["19"].budget == 1364 * TRIEU
    regions = {g.key: g.expected_amount for g in forecast.by_region}
    assert regions == {"north": 824 * TRIEU, "south": 100 * TRIEU}


def test_on_the_old_map_each_old_province_is_a_row(half_by_june):
    approve(year=2021, budget=1 * TY, province="19")
    approve(year=2021, budget=1 * TY, province="06")
    forecast = year_end_forecast(scope(2021, D(2021, 6, 30), display_map="63"))
    assert [g.fields["code"] for g in forecast.by_province] == ["06", "19"]


def test_at_the_year_end_the_forecast_is_what_was_paid(half_by_june):
    b = approve(year=2021, budget=1 * TY)
    contract = sign(b, 1 * TY, D(2021, 3, 1))
    pay(contract, 300 * TRIEU, D(2021, 4, 1))
    approve(year=2021, budget=1 * TY)
    forecast = year_end_forecast(scope(2021, D(2021, 12, 31)))
    assert forecast.total.expected == 300 * TRIEU
    assert forecast.total.expected_rate == Decimal("15.00")


def test_a_contract_ahead_of_its_schedule_is_expected_to_pay_in_full(half_by_june):
    b = approve(year=2021, budget=1 * TY)
    contract = sign(b, 1 * TY, D(2021, 6, 1))
    pay(contract, 700 * TRIEU, D(2021, 6, 10), kind="advance")
    forecast = year_end_forecast(scope(2021, D(2021, 6, 30)))
    assert forecast.total.expected == 1 * TY
    assert forecast.at_risk() == []


def test_visibility_narrows_the_forecast(half_by_june, thai_nguyen_user):
    from projects.permissions import schemes_visible_to

    approve(year=2021, budget=1 * TY, province="19")
    approve(year=2021, budget=2 * TY, province="01")
    forecast = year_end_forecast(
        scope(2021, datetime.date(2021, 6, 30)), schemes_visible_to(thai_nguyen_user)
    )
    assert forecast.total.budget == 1 * TY
    assert [g.fields["code"] for g in forecast.by_province] == ["19"]


def test_the_page_curve_and_the_panel_curve_agree(half_by_june):
    """The panels take c(m) from the rows the dashboard's monthly chart already read; the
    forecast page and the weekly warning read it themselves: the same curve either way."""
    from dashboard.selectors import ProgrammeFilter, monthly_cumulative

    late = approve(year=2020, budget=1 * TY, province="79")
    pay(sign(late, 1 * TY, D(2020, 2, 1)), 300 * TRIEU, D(2019, 12, 20), "advance")  # in January
    pay(sign(approve(year=2018, budget=1 * TY), 1 * TY, D(2018, 3, 1)), 1 * TY, D(2018, 9, 1))
    programme = ProgrammeFilter(year=2021, fund="national", as_of=D(2021, 6, 30))
    rows = monthly_cumulative(programme, previous_years=3)
    own = history_curve(scope(2021, D(2021, 6, 30)))
    assert curve_from_cumulative(rows, 2021) == own
    assert own.years == (2018, 2019, 2020)
    # January: the 2020 advance paid in December 2019 (0,3 of 3,3 tỷ in all).
    assert own.shares[1] == Fraction(1, 11)


def test_a_contract_with_its_own_schedule_is_forecast_on_it(half_by_june):
    """B: 364 triệu signed on 01/01/2021 with 200 due on 31/03 and 164 on 30/11, 100 paid by
    30/06: 100 overdue (× 50% = 50) and 164 ahead: 100 + 164 + 50 = 314 triệu. The linear
    schedule would have said 324."""
    b = approve(year=2021, budget=364 * TRIEU, code="B")
    contract = sign(b, 364 * TRIEU, D(2021, 1, 1))
    ContractTranche.objects.create(
        contract=contract, number=1, due_on=D(2021, 3, 31), amount=200 * TRIEU
    )
    ContractTranche.objects.create(
        contract=contract, number=2, due_on=D(2021, 11, 30), amount=164 * TRIEU
    )
    pay(contract, 100 * TRIEU, D(2021, 1, 15))

    assert planned_payments(
        [{"id": contract.pk, "signed_on": contract.signed_on, "value": contract.value}],
        plan_year=2021,
    ) == {contract.pk: [(D(2021, 3, 31), 200 * TRIEU), (D(2021, 11, 30), 164 * TRIEU)]}
    forecast = year_end_forecast(scope(2021, D(2021, 6, 30)))
    (scheme,) = forecast.schemes
    assert scheme.expected == 314 * TRIEU
    assert scheme.reasons == (("behind", 100 * TRIEU),)


def _days_around(year: int) -> list[datetime.date]:
    """Every month's first and last day of the year and of its neighbours' edges."""
    days = [D(year - 1, 12, 30), D(year - 1, 12, 31), D(year + 1, 1, 1)]
    for month in range(1, 13):
        first = D(year, month, 1)
        days += [first, first + datetime.timedelta(days=14), first - datetime.timedelta(days=1)]
    return days


def test_what_is_due_by_a_day_is_the_sum_of_the_listed_tranches():
    deadline = D(2021, 12, 31)
    signatures = [D(2020, 11, 5), D(2021, 1, 1), D(2021, 1, 31), D(2021, 2, 28), D(2021, 3, 17)]
    signatures += [D(2021, 11, 30), D(2021, 12, 1), D(2021, 12, 31), D(2022, 1, 3)]
    values = [Decimal(0), Decimal(7), 364 * TRIEU, Decimal(1_000_000_007), Decimal(999_999_999_999)]
    for signed_on in signatures:
        for value in values:
            tranches = linear_tranches(signed_on, value, deadline)
            for day in [*_days_around(2021), signed_on, signed_on - datetime.timedelta(days=1)]:
                listed = sum((amount for due, amount in tranches if due <= day), Decimal(0))
                assert linear_due_by(signed_on, value, deadline, day) == listed, (signed_on, day)


def test_planned_dues_sum_the_planned_payments(db):
    own = sign(approve(year=2021, budget=364 * TRIEU, code="O"), 364 * TRIEU, D(2021, 1, 1))
    ContractTranche.objects.create(
        contract=own, number=1, due_on=D(2021, 3, 31), amount=200 * TRIEU
    )
    ContractTranche.objects.create(
        contract=own, number=2, due_on=D(2022, 1, 31), amount=164 * TRIEU
    )
    linear = sign(approve(year=2021, budget=TY, code="L"), TY, D(2021, 2, 10))
    late = sign(approve(year=2021, budget=TY, code="T"), TY, D(2022, 1, 3))
    rows = [{"id": c.pk, "signed_on": c.signed_on, "value": c.value} for c in (own, linear, late)]
    plan = planned_payments(rows, plan_year=2021)
    for on in _days_around(2021):
        expected = {
            pk: (
                sum((a for day, a in tranches if day <= on), Decimal(0)),
                sum((a for day, a in tranches if day <= D(2021, 12, 31)), Decimal(0)),
                sum((a for day, a in tranches if day > D(2021, 12, 31)), Decimal(0)),
            )
            for pk, tranches in plan.items()
        }
        assert planned_dues(rows, plan_year=2021, on=on) == expected, on


def _stop(allocation, on: datetime.date) -> None:
    """The scheme was in progress and was stopped on `on` (its status now is "stopped")."""
    from zoneinfo import ZoneInfo

    from projects.models import SchemeStatusChange
    from tests.factories import UserFactory

    scheme = allocation.scheme
    change = SchemeStatusChange.objects.create(
        scheme=scheme,
        from_status=Scheme.Status.IN_PROGRESS,
        to_status=Scheme.Status.STOPPED,
        by=UserFactory(),
    )
    at = datetime.datetime.combine(on, datetime.time(10), tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
    SchemeStatusChange.objects.filter(pk=change.pk).update(at=at)
    Scheme.objects.filter(pk=scheme.pk).update(status=Scheme.Status.STOPPED)


def test_a_scheme_stopped_after_the_day_is_forecast_as_it_was_then(
    half_by_june, django_assert_num_queries
):
    """S (364 triệu contracted on 01/01/2021, 100 triệu paid) was stopped on 15/08/2021. Seen on
    30/06 it was still in progress: 324 triệu expected, as B in the known answer above. Seen on
    31/08 it is stopped: what it paid, 100 triệu."""
    s = approve(year=2021, budget=364 * TRIEU, code="S", province="06")
    contract = sign(s, 364 * TRIEU, D(2021, 1, 1))
    pay(contract, 100 * TRIEU, D(2021, 1, 15))
    _stop(s, D(2021, 8, 15))

    with django_assert_num_queries(4):
        before = year_end_forecast(scope(2021, D(2021, 6, 30)))
    [scheme] = before.schemes
    assert scheme.status == Scheme.Status.IN_PROGRESS
    assert scheme.expected == 324 * TRIEU
    assert scheme.reasons == (("behind", 80 * TRIEU),)

    after = year_end_forecast(scope(2021, D(2021, 8, 31)))
    [scheme] = after.schemes
    assert scheme.status == Scheme.Status.STOPPED
    assert scheme.expected == 100 * TRIEU
    assert scheme.reasons == (("stopped", 264 * TRIEU),)
    # The day of the change itself counts as stopped (the last change on or before that day).
    assert year_end_forecast(scope(2021, D(2021, 8, 15))).schemes[0].status == "stopped"
    assert year_end_forecast(scope(2021, D(2021, 8, 14))).schemes[0].status == "in_progress"


def test_before_its_first_change_a_scheme_has_the_status_it_started_in(half_by_june):
    """A scheme approved with a recorded change approved → contracted on 01/03/2021 was
    "approved" on 28/02: its unsigned money counts as still to sign."""
    from zoneinfo import ZoneInfo

    from projects.models import SchemeStatusChange
    from tests.factories import UserFactory

    a = approve(year=2021, budget=1 * TY, code="A", status=Scheme.Status.CONTRACTED)
    change = SchemeStatusChange.objects.create(
        scheme=a.scheme,
        from_status=Scheme.Status.APPROVED,
        to_status=Scheme.Status.CONTRACTED,
        by=UserFactory(),
    )
    SchemeStatusChange.objects.filter(pk=change.pk).update(
        at=datetime.datetime(2021, 3, 1, 8, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
    )
    [scheme] = year_end_forecast(scope(2021, D(2021, 2, 28))).schemes
    assert scheme.status == Scheme.Status.APPROVED
    [scheme] = year_end_forecast(scope(2021, D(2021, 3, 1))).schemes
    assert scheme.status == Scheme.Status.CONTRACTED
