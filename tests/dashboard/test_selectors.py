"""The dashboard's selectors against the hand-counted programme of conftest.py."""

import datetime
from decimal import Decimal

from dashboard import selectors
from dashboard.selectors import ProgrammeFilter
from projects.models import Fund
from projects.permissions import schemes_visible_to
from provinces.models import ProvinceMap, Region
from reference.models import ContentArea
from tests.dashboard.conftest import TY, new, old

NATIONAL_2019 = ProgrammeFilter(year=2019, fund=Fund.NATIONAL)


def _by(rows, *keys):
    return {tuple(row[key] for key in keys) if len(keys) > 1 else row[keys[0]]: row for row in rows}


def _money(row):
    return (row["budget"], row["disbursed"], row["schemes"])


def test_visible_summary_for_staff_is_programme_summary(programme):
    assert selectors.visible_summary(NATIONAL_2019) == selectors.programme_summary(NATIONAL_2019)
    summary = selectors.programme_summary(NATIONAL_2019)
    assert summary.budget == 5 * TY
    assert (summary.schemes_approved, summary.schemes_contracted) == (4, 3)
    assert summary.disbursed == TY * Decimal("2.6")
    assert summary.schemes_disbursed == 2
    assert summary.disbursed_rate == Decimal("52.00")


def test_visible_summary_is_narrowed_to_the_users_schemes(programme, thai_nguyen_user):
    summary = selectors.visible_summary(NATIONAL_2019, schemes_visible_to(thai_nguyen_user))
    assert summary.budget == 3 * TY  # A (old 19) + B (old 06, merged into 19)
    assert (summary.schemes_approved, summary.schemes_contracted) == (2, 2)
    assert summary.disbursed == TY * Decimal("2.6")


def test_schedule_figures(programme):
    figures = selectors.schedule_figures(NATIONAL_2019)
    assert (figures.contracted, figures.behind) == (3, 2)
    assert figures.behind_rate == Decimal("66.67")
    assert (figures.accepted, figures.settled) == (2, 1)  # A settled, B accepted


def test_schedule_figures_of_nothing(db):
    figures = selectors.schedule_figures(ProgrammeFilter(year=2030))
    assert (figures.contracted, figures.behind, figures.behind_rate) == (0, 0, None)


def test_schemes_most_behind_largest_lag_first(programme):
    rows = selectors.schemes_most_behind(NATIONAL_2019)
    assert [scheme.code for scheme in rows] == ["C", "A"]
    assert rows[0].lag == TY * Decimal("1.5")
    assert rows[1].lag == TY * Decimal("0.2")
    assert rows[1].disbursed == TY * Decimal("0.8")  # the January 2020 payment is not counted


def test_schemes_most_behind_during_the_year(programme):
    # On 30/06/2019 C (signed 01/02) should have paid 149/333 of 1,5 tỷ and paid nothing.
    rows = selectors.schemes_most_behind(
        ProgrammeFilter(year=2019, fund=Fund.NATIONAL, as_of=datetime.date(2019, 6, 30))
    )
    assert [scheme.code for scheme in rows] == ["C"]


def test_monthly_cumulative_is_a_running_total_per_year(programme):
    rows = selectors.monthly_cumulative(NATIONAL_2019)
    points = {(row["year"], row["month"]): row["cumulative"] for row in rows}
    assert points == {
        (2018, 5): TY * Decimal("0.4"),
        (2019, 3): TY * Decimal("0.3"),
        (2019, 5): TY * Decimal("2.3"),
        (2019, 6): TY * Decimal("2.8"),
        (2019, 12): TY * Decimal("2.6"),  # the refund; the payment of 10/01/2020 is not counted
    }
    # The December point is the KPI figure.
    assert points[(2019, 12)] == selectors.programme_summary(NATIONAL_2019).disbursed


def test_monthly_cumulative_stops_at_the_cutoff_and_follows_the_filters(programme):
    june = ProgrammeFilter(year=2019, fund=Fund.NATIONAL, as_of=datetime.date(2019, 6, 30))
    rows = selectors.monthly_cumulative(june, previous_years=0)
    assert [(row["month"], row["cumulative"]) for row in rows] == [
        (3, TY * Decimal("0.3")),
        (5, TY * Decimal("2.3")),
        (6, TY * Decimal("2.8")),
    ]
    south = ProgrammeFilter(year=2019, region=Region.objects.get(code="south"))
    assert selectors.monthly_cumulative(south) == []


def test_by_region(programme):
    rows = _by(selectors.disbursement_by_region(NATIONAL_2019), "code")
    assert set(rows) == {"north", "south"}
    assert _money(rows["north"]) == (TY * Decimal("3.5"), TY * Decimal("2.6"), 3)
    assert _money(rows["south"]) == (TY * Decimal("1.5"), 0, 1)


def test_by_province_on_the_old_map(programme):
    rows = _by(
        selectors.disbursement_by_province(NATIONAL_2019), "map_version", "code"
    )  # 2019 ends before the reform: the 63-unit map
    assert set(rows) == {("63", "19"), ("63", "06"), ("63", "79"), ("63", "01")}
    assert _money(rows[("63", "19")]) == (1 * TY, TY * Decimal("0.8"), 1)
    assert _money(rows[("63", "06")]) == (2 * TY, TY * Decimal("1.8"), 1)
    assert rows[("63", "06")]["short_name"] == "Bắc Kạn"


def test_by_province_on_the_new_map_groups_old_provinces(programme):
    on_34 = ProgrammeFilter(year=2019, fund=Fund.NATIONAL, province_map=ProvinceMap.NEW_34)
    rows = _by(selectors.disbursement_by_province(on_34), "map_version", "code")
    assert set(rows) == {("34", "19"), ("34", "79"), ("34", "01")}
    assert _money(rows[("34", "19")]) == (3 * TY, TY * Decimal("2.6"), 2)
    total = sum(row["budget"] for row in rows.values())
    assert total == selectors.programme_summary(on_34).budget


def test_by_province_on_the_old_map_keeps_new_records_under_their_new_unit(programme):
    from tests.dashboard.conftest import make_scheme

    make_scheme(province=old("19"), budget=1 * TY, year=2025, code="old-unit")
    make_scheme(province=new("19"), budget=2 * TY, year=2025, code="new-unit")
    on_63 = ProgrammeFilter(year=2025, fund=Fund.NATIONAL, province_map=ProvinceMap.OLD_63)
    rows = _by(selectors.disbursement_by_province(on_63), "map_version", "code")
    assert rows[("63", "19")]["budget"] == 1 * TY
    assert rows[("34", "19")]["budget"] == 2 * TY  # shown as "Thái Nguyên (đơn vị mới)"
    on_34 = ProgrammeFilter(year=2025, fund=Fund.NATIONAL)  # the default map of 2025
    rows = _by(selectors.disbursement_by_province(on_34), "map_version", "code")
    assert rows == {("34", "19"): rows[("34", "19")]}
    assert rows[("34", "19")]["budget"] == 3 * TY


def test_budget_by_content_area_counts_a_scheme_in_each_of_its_areas(programme):
    rows = _by(selectors.budget_by_content_area(NATIONAL_2019), "code")
    assert rows["nd45-1"]["budget"] == TY * Decimal("3.5")  # B + C
    assert rows["nd45-3"]["budget"] == TY * Decimal("2.5")  # A + C
    assert rows["nd45-5"]["budget"] == TY * Decimal("0.5")  # D
    assert rows["nd45-1"]["disbursed"] == TY * Decimal("1.8")
    assert rows["nd45-1"]["number"] == 1


def test_budget_by_content_area_with_a_content_area_filter(programme):
    area = ContentArea.objects.get(code="nd45-3")
    rows = selectors.budget_by_content_area(
        ProgrammeFilter(year=2019, fund=Fund.NATIONAL, content_area=area)
    )
    assert [(row["code"], row["budget"]) for row in rows] == [("nd45-3", TY * Decimal("2.5"))]


def test_budget_by_sector(programme):
    rows = _by(selectors.budget_by_sector(NATIONAL_2019), "code")
    assert {code: row["budget"] for code, row in rows.items()} == {
        "a": TY * Decimal("2.5"),
        "dd": 2 * TY,
        "d": TY * Decimal("0.5"),
    }
    assert sum(row["budget"] for row in rows.values()) == 5 * TY


def test_both_funds(programme):
    both = ProgrammeFilter(year=2019)
    assert selectors.programme_summary(both).budget == TY * Decimal("5.7")
    rows = _by(selectors.disbursement_by_province(both), "code")
    assert rows["19"]["budget"] == TY * Decimal("1.7")


def test_trend_by_year(programme, thai_nguyen_user):
    rows = {figures.year: figures.summary for figures in selectors.trend_by_year(NATIONAL_2019)}
    assert rows[2019].budget == 5 * TY
    assert rows[2019].disbursed == TY * Decimal("2.6")
    assert rows[2018].disbursed == TY * Decimal("0.4")
    south = ProgrammeFilter(year=2019, fund=Fund.NATIONAL, region=Region.objects.get(code="south"))
    assert {figures.year: figures.summary.budget for figures in selectors.trend_by_year(south)} == {
        2019: TY * Decimal("1.5")
    }
    visible = schemes_visible_to(thai_nguyen_user)
    rows = {f.year: f.summary for f in selectors.trend_by_year(NATIONAL_2019, visible)}
    assert rows[2019].budget == 3 * TY


def test_plan_years(programme, ha_noi_user):
    assert selectors.plan_years() == [2018, 2019]
    assert selectors.plan_years(schemes_visible_to(ha_noi_user)) == [2019]
