"""The dashboard's small 2019 programme (every figure known by hand), and issues of it."""

import datetime

import pytest

from reports.models import ReportIssue
from reports.periods import kind_of
from tests.dashboard.conftest import programme  # noqa: F401 - the fixture, shared

D = datetime.date


def make_issue(
    *,
    period="year",
    year=2019,
    fund="national",
    province_map="63",
    as_of=None,
    province=None,
    by=None,
    **extra,
) -> ReportIssue:
    from reports.periods import period_end

    return ReportIssue.objects.create(
        kind=kind_of(period),
        period=period,
        year=year,
        fund=fund,
        province_map=province_map,
        as_of=as_of or period_end(period, year),
        province=province,
        requested_by=by,
        **extra,
    )


@pytest.fixture
def media(settings, tmp_path):
    """Report files in a folder of the test's own."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT
