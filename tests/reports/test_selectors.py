"""The report's figures on the dashboard's small 2019 programme (tests/dashboard/conftest.py):
by hand, and equal to the dashboard's own selectors for the same year, fund and day."""

import datetime
from decimal import Decimal

import pytest

from dashboard import selectors as dashboard
from dashboard.selectors import ProgrammeFilter
from provinces.models import Province
from registers.models import ClusterPlanDossier, ProductLevel, PromotionEvent
from reports.selectors import report_data, unit_schemes
from tests.factories import (
    ClusterPlanDossierFactory,
    EstablishmentFactory,
    PromotionEventFactory,
    SelectionRoundFactory,
    TypicalProductFactory,
)
from tests.reports.conftest import make_issue

pytestmark = pytest.mark.django_db

D = datetime.date
TY = Decimal(1_000_000_000)


def _by_code(rows):
    return {row.code: row for row in rows}


def test_year_end_figures_by_hand_and_as_the_dashboard(programme):
    data = report_data(make_issue())
    summary = data.summary
    assert (summary.budget, summary.schemes_approved, summary.schemes_contracted) == (5 * TY, 4, 3)
    assert (summary.disbursed, summary.schemes_disbursed) == (TY * Decimal("2.6"), 2)
    assert summary.contracted == TY * Decimal("4.5")
    programme_filter = ProgrammeFilter(year=2019, fund="national", as_of=D(2019, 12, 31))
    assert summary == dashboard.visible_summary(programme_filter)
    # The whole year is the period: what was disbursed in it is the total.
    assert data.disbursed_in_period == summary.disbursed
    assert [point.month for point in data.monthly] == list(range(1, 13))
    assert data.monthly[-1].cumulative == summary.disbursed


def test_tables_by_province_region_and_content_area(programme):
    data = report_data(make_issue())
    provinces = _by_code(data.provinces)
    assert set(provinces) == {"19", "06", "79", "01"}
    thai_nguyen = provinces["19"]
    assert (thai_nguyen.label, thai_nguyen.schemes, thai_nguyen.schemes_contracted) == (
        "Thái Nguyên",
        1,
        1,
    )
    assert (thai_nguyen.budget, thai_nguyen.contracted, thai_nguyen.disbursed) == (
        TY,
        TY,
        TY * Decimal("0.8"),
    )
    assert thai_nguyen.disbursed_rate == Decimal("80.00")
    assert provinces["01"].contracted == 0 and provinces["01"].disbursed_rate == 0
    # Each scheme is in one province: the rows add up to the headline.
    assert sum(row.budget for row in data.provinces) == data.summary.budget
    assert sum(row.contracted for row in data.provinces) == data.summary.contracted
    regions = _by_code(data.regions)
    assert regions["north"].budget == TY * Decimal("3.5")
    assert regions["south"].disbursed == 0 and regions["south"].contracted == TY * Decimal("1.5")
    areas = _by_code(data.content_areas)
    # C counts in both of its content areas.
    assert areas["nd45-1"].budget == TY * Decimal("3.5")
    assert areas["nd45-3"].budget == TY * Decimal("2.5")


def test_the_new_map_groups_old_provinces(programme):
    data = report_data(make_issue(province_map="34"))
    new_19 = _by_code(data.provinces)["19"]
    assert (new_19.schemes, new_19.budget, new_19.disbursed) == (2, 3 * TY, TY * Decimal("2.6"))
    assert data.map_label.startswith("34")


@pytest.mark.parametrize("day", [D(2019, 6, 30), D(2019, 9, 30), D(2020, 1, 22)])
def test_a_day_before_or_after_the_year_end_reads_as_the_dashboard(programme, day):
    """A day other than 31/12 reads the contracts and the ledger: same as the dashboard's."""
    data = report_data(make_issue(as_of=day))
    programme_filter = ProgrammeFilter(year=2019, fund="national", province_map="63", as_of=day)
    assert data.summary == dashboard.visible_summary(programme_filter)
    dashboard_rows = {
        row["code"]: (row["budget"], row["disbursed"], row["schemes"])
        for row in dashboard.disbursement_by_province(programme_filter)
    }
    assert {
        row.code: (row.budget, row.disbursed, row.schemes) for row in data.provinces
    } == dashboard_rows
    assert sum(row.contracted for row in data.provinces) == data.summary.contracted


def test_both_paths_give_the_same_tables(programme):
    """31/12 reads the summary table, 30/12 the ledger; nothing was paid on 31/12."""
    year_end = report_data(make_issue(as_of=D(2019, 12, 31)))
    day_before = report_data(make_issue(as_of=D(2019, 12, 30)))
    for name in ("provinces", "regions", "content_areas"):
        assert getattr(year_end, name) == getattr(day_before, name), name


def test_money_disbursed_in_the_period(programme):
    # Q2: B 2,0 on 01/05 and A 0,5 on 10/06.
    q2 = report_data(make_issue(period="q2"))
    assert q2.disbursed_in_period == TY * Decimal("2.5")
    assert q2.summary.disbursed == TY * Decimal("2.8")
    # Q4: only B's refund of 0,2 on 01/12.
    q4 = report_data(make_issue(period="q4"))
    assert q4.disbursed_in_period == TY * Decimal("-0.2")


def test_a_province_report_covers_its_unit_only(programme):
    thai_nguyen = Province.objects.get(code="19", map_version="34")
    data = report_data(make_issue(province=thai_nguyen))
    # A (old 19) and B (old 06, merged into new 19).
    assert (data.summary.schemes_approved, data.summary.budget) == (2, 3 * TY)
    assert {row.code for row in data.provinces} == {"19", "06"}
    assert data.scope_label == thai_nguyen.name
    programme_filter = ProgrammeFilter(year=2019, fund="national", as_of=D(2019, 12, 31))
    assert data.summary == dashboard.visible_summary(programme_filter, unit_schemes(thai_nguyen))


def test_registers_by_province_as_of_the_day(programme):
    old_19 = Province.objects.get(code="19", map_version="63")
    old_06 = Province.objects.get(code="06", map_version="63")
    national = SelectionRoundFactory(
        level=ProductLevel.NATIONAL, year=2019, decision_date=D(2019, 11, 5)
    )
    provincial = SelectionRoundFactory(
        level=ProductLevel.PROVINCE, year=2019, decision_date=D(2019, 8, 1), province=old_19
    )
    producer_19 = EstablishmentFactory(province=old_19)
    producer_06 = EstablishmentFactory(province=old_06)
    TypicalProductFactory(round=national, producer=producer_19)
    TypicalProductFactory(round=provincial, producer=producer_19)
    TypicalProductFactory(round=national, producer=producer_06)
    ClusterPlanDossierFactory(
        province=old_19,
        year=2019,
        status=ClusterPlanDossier.Status.APPRAISED,
        received_on=D(2019, 3, 1),
        appraised_on=D(2019, 10, 1),
    )
    PromotionEventFactory(
        host_province=old_06,
        kind=PromotionEvent.Kind.REGIONAL_FAIR,
        starts_on=D(2019, 8, 10),
        ends_on=D(2019, 8, 14),
    )
    PromotionEventFactory(
        host_province=old_19,
        kind=PromotionEvent.Kind.CONFERENCE,
        starts_on=D(2019, 11, 20),
        ends_on=D(2019, 11, 20),
    )
    year_end = report_data(make_issue())
    rows = _by_code(year_end.registers)
    assert rows["19"].products == {"national": 1, "province": 1}
    assert (rows["19"].dossiers_appraised, rows["19"].conferences, rows["19"].fairs) == (1, 1, 0)
    assert (rows["06"].products_total, rows["06"].fairs) == (1, 1)
    totals = year_end.register_totals
    assert (totals.products_total, totals.dossiers_appraised, year_end.dossier_provinces) == (
        3,
        1,
        1,
    )
    # On 30/09 the national round was not decided, the dossier not appraised, the conference
    # not held.
    q3 = _by_code(report_data(make_issue(period="q3")).registers)
    assert q3["19"].products == {"province": 1}
    assert (q3["19"].dossiers_appraised, q3["19"].conferences) == (0, 0)
    # On the 34 map both old units are new 19.
    merged = _by_code(report_data(make_issue(province_map="34")).registers)
    assert (merged["19"].products_total, merged["19"].fairs) == (3, 1)
