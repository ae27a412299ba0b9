"""The monthly progress reports of the demo's schemes (submissions.ProgressReport), read off their
ledger and status history: one for every month the rule of submissions.reporting makes due while
the scheme was under way (contracted or in progress) and before the demo's today, sent between
the 10th and the deadline, with the money spent so far from the ledger. About one scheme in
thirty sent one month late, so that the consistency panel has a few real rows to show.

The reports are entered by the unit that prepares the scheme; the demo has one user per role, so
a report of a province without a demo user is recorded by the ministry's user, as the paper
report received."""

import datetime
import random
from dataclasses import dataclass

from demo.money import DAY, Ledger
from demo.timeline import Step
from submissions.reporting import REPORTING, Period, last_due_index, month_index

LATE_SHARE = 1 / 30
# What the unit writes, by how far the work has gone.
WORK = (
    (25, "Đã ký hợp đồng, đang chuẩn bị địa điểm, thiết bị và danh sách học viên, cơ sở tham gia."),
    (
        60,
        "Đang triển khai các hạng mục theo hợp đồng; đã tạm ứng và thực hiện một phần khối lượng.",
    ),
    (90, "Đã thực hiện phần lớn khối lượng; đang hoàn thiện hồ sơ chứng từ."),
    (100, "Cơ bản hoàn thành các hạng mục; chuẩn bị hồ sơ nghiệm thu."),
)


@dataclass(frozen=True)
class Report:
    period: Period
    submitted_on: datetime.date
    percent_complete: int
    spent: int  # millions, from the ledger on the day sent
    work_done: str


def _months_under_way(ledger: Ledger, steps: list[Step], end: datetime.date, today) -> range:
    """The indexes of the months whose report was due while the scheme was under way."""
    first = month_index(ledger.signed_on) + 1
    last = min(last_due_index(today), month_index(end))
    left = next(
        (
            step.on
            for step in steps
            if step.from_status in REPORTING and step.to_status not in REPORTING
        ),
        None,
    )
    if left is not None:  # accepted or stopped: no report is due for that month any more
        last = min(last, month_index(left) - 1)
    return range(first, last + 1)


def _work(percent: int) -> str:
    return next(text for limit, text in WORK if percent <= limit)


def progress_reports(
    code: str, ledger: Ledger, steps: list[Step], start, end, today: datetime.date
) -> list[Report]:
    """The reports of the scheme `code` (none before its first contract)."""
    if ledger.signed_on is None:
        return []
    end = end or datetime.date(ledger.signed_on.year, 12, 31)
    rng = random.Random(f"progress-{code}")  # noqa: S311 (demo data, not secrets)
    months = _months_under_way(ledger, steps, end, today)
    late = months[rng.randrange(len(months))] if months and rng.random() < LATE_SHARE else None
    span = max((end - (start or ledger.signed_on)).days, 1)
    reports = []
    for index in months:
        period = Period.from_index(index)
        if index == late:
            sent = min(period.due_on + DAY * rng.randint(2, 12), today)
        else:
            sent = period.first_day + DAY * rng.randint(9, period.due_on.day - 1)
        elapsed = (sent - (start or ledger.signed_on)).days
        percent = max(5, min(95, round(100 * elapsed / span)))
        reports.append(Report(period, sent, percent, ledger.net(until=sent), _work(percent)))
    return reports
