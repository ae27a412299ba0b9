"""The dashboard's figures read from the summary table (budgets.summary) are those the ledger
gives: every selector, run once on each path, on the same programme."""

import datetime

import pytest
from django.utils import timezone

import dashboard.selectors
import projects.models
import projects.selectors
from budgets.models import Allocation
from dashboard import selectors
from dashboard.selectors import ProgrammeFilter
from projects.models import Fund
from provinces.models import ProvinceMap, Region
from reference.models import ContentArea

D = datetime.date


def ledger_only(monkeypatch):
    """Every selector on the ledger path, as for a day before the year end."""
    for module in (projects.models, projects.selectors, dashboard.selectors):
        monkeypatch.setattr(module, "money_source", lambda as_of, plan_year: None)


def _figures(programme, on):
    return {
        "summary": selectors.visible_summary(programme),
        "schedule": selectors.schedule_figures(programme, on=on),
        "behind": [
            (s.code, s.contracted, s.disbursed, s.expected, s.lag)
            for s in selectors.schemes_most_behind(programme, on=on)
        ],
        "monthly": selectors.monthly_cumulative(programme),
        "regions": selectors.disbursement_by_region(programme),
        "provinces": selectors.disbursement_by_province(programme),
        "areas": selectors.budget_by_content_area(programme),
        "sectors": selectors.budget_by_sector(programme),
    }


@pytest.fixture
def programmes(programme):
    return [
        ProgrammeFilter(year=2019, fund=Fund.NATIONAL),
        ProgrammeFilter(year=2019),
        ProgrammeFilter(year=2019, province_map=ProvinceMap.NEW_34),
        ProgrammeFilter(year=2019, region=Region.objects.get(code="north")),
        ProgrammeFilter(year=2019, content_area=ContentArea.objects.get(code="nd45-3")),
    ]


@pytest.mark.parametrize("on", [D(2019, 12, 31), None])
def test_every_figure_from_the_summary_is_the_ledgers(programmes, monkeypatch, on):
    """On 31/12 (the year-end columns) and, for the schedule, today (the latest columns)."""
    on = on or timezone.localdate()  # a day after every entry, as the pages pass it
    fast = [_figures(programme, on) for programme in programmes]
    assert fast[0]["summary"].disbursed > 0 and fast[0]["behind"] and fast[0]["monthly"]
    ledger_only(monkeypatch)
    assert fast == [_figures(programme, on) for programme in programmes]


def test_the_trend_is_each_years_summary_to_its_31_december(programme, thai_nguyen_user):
    trend = selectors.programme_by_year()
    assert trend
    for figures in trend:
        allocations = Allocation.objects.filter(plan__year=figures.year)
        ledger = selectors.summary_of(allocations, D(figures.year, 12, 31))
        assert figures.summary == ledger


def test_a_day_before_the_year_end_reads_the_ledger(programme, django_assert_num_queries):
    june = ProgrammeFilter(year=2019, as_of=D(2019, 6, 30))
    with django_assert_num_queries(4):  # the ledger path: 4 aggregates
        selectors.programme_summary(june)
    with django_assert_num_queries(1):  # the summary table: one
        selectors.programme_summary(ProgrammeFilter(year=2019))
