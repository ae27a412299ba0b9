"""The reporting periods of the khuyến công plan: the year, its halves and its quarters. A
report on a period is taken, by default, on the period's last day."""

import calendar
import datetime

from django.db import models
from django.utils.translation import gettext_lazy as _


class Period(models.TextChoices):
    YEAR = "year", _("Cả năm")
    H1 = "h1", _("6 tháng đầu năm")
    H2 = "h2", _("6 tháng cuối năm")
    Q1 = "q1", _("Quý I")
    Q2 = "q2", _("Quý II")
    Q3 = "q3", _("Quý III")
    Q4 = "q4", _("Quý IV")


class Kind(models.TextChoices):
    ANNUAL = "annual", _("Báo cáo năm")
    HALF = "half", _("Báo cáo 6 tháng")
    QUARTER = "quarter", _("Báo cáo quý")


# (first month, last month) of each period, and the kind of report it makes.
_MONTHS = {
    Period.YEAR: (1, 12, Kind.ANNUAL),
    Period.H1: (1, 6, Kind.HALF),
    Period.H2: (7, 12, Kind.HALF),
    Period.Q1: (1, 3, Kind.QUARTER),
    Period.Q2: (4, 6, Kind.QUARTER),
    Period.Q3: (7, 9, Kind.QUARTER),
    Period.Q4: (10, 12, Kind.QUARTER),
}


def kind_of(period: str) -> str:
    return _MONTHS[Period(period)][2]


def period_start(period: str, year: int) -> datetime.date:
    return datetime.date(year, _MONTHS[Period(period)][0], 1)


def period_end(period: str, year: int) -> datetime.date:
    month = _MONTHS[Period(period)][1]
    return datetime.date(year, month, calendar.monthrange(year, month)[1])


def month_end(day: datetime.date) -> datetime.date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])
