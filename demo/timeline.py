"""The status history of the demo's schemes in approved plans, read off their plan batch and
ledger: appraised → approved on the batch's decision, → contracted on the contract's signature,
→ in progress on the first advance, → accepted on the acceptance, → liquidated a few days after
the final payment, → settled by 22 January of the next year (TT 36/2013); stopped schemes stop
after their approval, their contract or their refund. Each date is at least the one before it and
never after the demo's today, so that the status on any day can be read from this history."""

import datetime
from dataclasses import dataclass

from demo.money import DAY, Ledger

D = datetime.date
ORDER = ("approved", "contracted", "in_progress", "accepted", "liquidated", "settled")
# Who moves a scheme to each status (demo.users): the approver decides; the ministry records.
DECIDED_BY = {"approved": "pheduyet", "stopped": "pheduyet"}
RECORDED_BY = "bo"


@dataclass(frozen=True)
class Step:
    from_status: str
    to_status: str
    on: datetime.date
    decision_number: str = ""

    @property
    def username(self) -> str:
        return DECIDED_BY.get(self.to_status, RECORDED_BY)


def _stop_steps(ledger: Ledger, approved: datetime.date, year: int) -> list[tuple[str, D]]:
    if ledger.signed_on is None:  # never contracted
        return [("stopped", min(approved + DAY * 90, D(year, 12, 1)))]
    steps = [("contracted", ledger.signed_on)]
    if not ledger.entries:  # contracted, never paid
        return [*steps, ("stopped", ledger.signed_on + DAY * 45)]
    first, last = ledger.entries[0], ledger.entries[-1]
    return [*steps, ("in_progress", first.paid_on), ("stopped", last.paid_on)]


def _run_steps(ledger: Ledger, status: str, year: int) -> list[tuple[str, D]]:
    reached = ORDER.index(status)
    steps: list[tuple[str, D]] = []
    if reached >= ORDER.index("contracted") and ledger.signed_on is not None:
        steps.append(("contracted", ledger.signed_on))
    if reached >= ORDER.index("in_progress"):
        first = ledger.entries[0].paid_on if ledger.entries else ledger.signed_on + DAY * 14
        steps.append(("in_progress", first))
    if reached >= ORDER.index("accepted"):
        steps.append(("accepted", ledger.accepted_on or D(year, 12, 10)))
    if reached >= ORDER.index("liquidated"):
        last = ledger.entries[-1].paid_on if len(ledger.entries) > 1 else steps[-1][1]
        steps.append(("liquidated", last + DAY))
    if reached >= ORDER.index("settled"):
        steps.append(("settled", max(steps[-1][1] + DAY, D(year + 1, 1, 15))))
    return steps


def status_steps(
    ledger: Ledger, status: str, decided_on: datetime.date, decision: str, year: int, today: D
) -> list[Step]:
    """The changes of a scheme approved by the decision `decision` of `decided_on` that ended in
    `status`, oldest first."""
    approved = decided_on
    raw = (
        _stop_steps(ledger, approved, year)
        if status == "stopped"
        else _run_steps(ledger, status, year)
    )
    steps = [Step("appraised", "approved", approved, decision)]
    previous = approved
    for to_status, day in raw:
        day = min(max(day, previous), today)
        steps.append(Step(steps[-1].to_status, to_status, day))
        previous = day
    return steps
