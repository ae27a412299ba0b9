"""When progress reports are due: the one definition that the portal's form, the scheme pages and
the consistency panel (monitoring.consistency, which computes the same in the database) share.

The rule (TT 36/2013/TT-BCT, shared domain notes): the implementing unit of a scheme under way
(contracted or in progress) reports its progress every month, by the 25th of the month
(settings.KC_PROGRESS_REPORT_DAY; a report dated that day is on time). The sources do not say
from which month: here the first report is due in the month after the first contract is signed
(a contract signed on the 20th cannot be reported on by the 25th), and the last in the month of
the scheme's end date. A month's report is due only once its deadline has passed: on the 25th
itself the unit still has the day."""

import datetime
from dataclasses import dataclass

from django.conf import settings

from projects.models import Scheme

S = Scheme.Status
# The statuses in which a scheme reports its progress.
REPORTING = (S.CONTRACTED, S.IN_PROGRESS)


def deadline_day() -> int:
    return settings.KC_PROGRESS_REPORT_DAY


def month_index(day: datetime.date) -> int:
    """Months since year 0: consecutive months differ by one, whatever the year."""
    return day.year * 12 + day.month - 1


@dataclass(frozen=True, order=True)
class Period:
    """A reporting month."""

    year: int
    month: int

    @classmethod
    def of(cls, day: datetime.date) -> "Period":
        return cls(day.year, day.month)

    @classmethod
    def from_index(cls, index: int) -> "Period":
        return cls(index // 12, index % 12 + 1)

    @classmethod
    def parse(cls, text: str) -> "Period":
        """ "2026-03" → Period(2026, 3); ValueError otherwise."""
        year, month = (int(part) for part in text.split("-"))
        if not 1 <= month <= 12:
            raise ValueError(text)
        return cls(year, month)

    @property
    def index(self) -> int:
        return self.year * 12 + self.month - 1

    @property
    def first_day(self) -> datetime.date:
        return datetime.date(self.year, self.month, 1)

    @property
    def due_on(self) -> datetime.date:
        return datetime.date(self.year, self.month, deadline_day())

    @property
    def key(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    @property
    def label(self) -> str:
        return f"{self.month:02d}/{self.year}"


def last_due_index(on: datetime.date) -> int:
    """The last month whose deadline has passed by the end of `on`."""
    return month_index(on) if on.day > deadline_day() else month_index(on) - 1


def due_periods(
    first_signed_on: datetime.date | None, end_date: datetime.date, on: datetime.date
) -> list[Period]:
    """The months for which a scheme under way since its first contract (signed on
    `first_signed_on`) owed a report by `on`."""
    if first_signed_on is None:
        return []
    first = month_index(first_signed_on) + 1
    last = min(last_due_index(on), month_index(end_date))
    return [Period.from_index(index) for index in range(first, last + 1)]
