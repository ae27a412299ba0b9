"""The money of the demo, in whole millions of đồng: exact splits of a plan's envelope, and each
scheme's contract and disbursement ledger, built so that the chain holds by construction:
net disbursed ≤ contract value ≤ support approved, no entry before the contract is signed, no
refund larger than what was paid out before it, advances at most 70% of the contract."""

import datetime
from dataclasses import dataclass, field

D = datetime.date
DAY = datetime.timedelta(days=1)
ADVANCE_CAP = 0.70  # Circular 28/2018/TT-BTC: advances up to 70% of the contracted support


@dataclass
class Entry:
    kind: str  # advance / payment / refund
    paid_on: datetime.date
    amount: int  # millions, positive


@dataclass(eq=False)
class Ledger:
    """One scheme's money after approval: what the seed writes as Contract and Disbursements."""

    amount: int  # support approved, millions
    sign_from: datetime.date
    sign_to: datetime.date
    stoppable: bool = True
    signed_on: datetime.date | None = None
    value: int = 0
    entries: list[Entry] = field(default_factory=list)
    status: str = "approved"
    accepted_on: datetime.date | None = None  # nghiệm thu, for the status history

    def net(self, until: datetime.date | None = None) -> int:
        sign = {"advance": 1, "payment": 1, "refund": -1}
        return sum(
            sign[e.kind] * e.amount for e in self.entries if until is None or e.paid_on <= until
        )


def between(rng, start: datetime.date, end: datetime.date) -> datetime.date:
    if end <= start:
        return start
    return start + DAY * rng.randint(0, (end - start).days)


def split_exact(rng, raw: list[int], total: int, low: int = 100) -> list[int]:
    """Scale `raw` to add up to exactly `total`, in multiples of 10 where possible and never
    below `low`; the last few millions land on the largest items."""
    if not raw:
        if total:
            raise ValueError("Không có đề án để phân bổ kinh phí.")
        return []
    factor = total / sum(raw)
    values = [max(low, round(r * factor / 10) * 10) for r in raw]
    order = sorted(range(len(values)), key=lambda i: -values[i])
    diff = total - sum(values)
    while abs(diff) >= 10:
        moved = False
        for i in order:
            step = 10 if diff > 0 else -10
            if abs(diff) < 10 or values[i] + step < low:
                continue
            values[i] += step
            diff -= step
            moved = True
        if not moved:
            raise ValueError(f"Không chia được {total} triệu đồng cho {len(raw)} đề án.")
    for i in order:
        if diff == 0:
            break
        if values[i] + diff >= low:
            values[i] += diff
            diff = 0
    if diff or sum(values) != total:
        raise ValueError(f"Không chia được {total} triệu đồng cho {len(raw)} đề án.")
    return values


def _sign(rng, ledger: Ledger, last_day: datetime.date | None = None) -> None:
    end = min(ledger.sign_to, last_day) if last_day else ledger.sign_to
    ledger.signed_on = between(rng, ledger.sign_from, end)
    ledger.value = ledger.amount
    if rng.random() < 0.2:  # bid savings: a contract a little below the support approved
        ledger.value -= max(1, round(ledger.amount * rng.uniform(0.01, 0.05)))


def _advance(rng, ledger: Ledger) -> int:
    share = rng.uniform(0.5, ADVANCE_CAP)
    return max(1, min(int(ledger.value * share), int(ledger.value * ADVANCE_CAP)))


def _acceptance(rng, ledger: Ledger, after: datetime.date, year: int) -> datetime.date:
    """Nghiệm thu: some months after signing, in the last quarter of the year."""
    day = ledger.signed_on + DAY * rng.randint(90, 210)
    day = min(max(day, D(year, 10, 1)), D(year, 12, 12))
    return max(day, after + DAY * 14)


def close_year(
    rng,
    ledgers: list[Ledger],
    year: int,
    *,
    target: int | None = None,
    stopped: tuple[int, int] = (1, 2),
    late: int = 4,
    refunds: int = 2,
) -> None:
    """A year whose plan is settled. `stopped` = (schemes never contracted, schemes contracted
    but never paid); `late` schemes get their final payment in the settlement window of
    January; `refunds` schemes return part of an unused advance. With `target`, the net
    disbursed by 31 December is exactly `target` (millions); without, about 95–98% of the
    support approved."""
    year_end = D(year, 12, 31)
    exact = target is not None
    if target is None:
        target = round(sum(ledger.amount for ledger in ledgers) * rng.uniform(0.95, 0.98))
    # Schemes that stop are mostly small ones.
    stoppable = sorted((x for x in ledgers if x.stoppable), key=lambda x: x.amount)
    stoppable = stoppable[: max(sum(stopped), len(stoppable) // 3)]
    rng.shuffle(stoppable)
    never_contracted = stoppable[: stopped[0]]
    never_paid = stoppable[stopped[0] : stopped[0] + stopped[1]]
    for ledger in ledgers:
        stops = ledger in never_contracted or ledger in never_paid
        ledger.status = "stopped" if stops else "settled"
        if ledger not in never_contracted:
            _sign(rng, ledger)
    paying = [ledger for ledger in ledgers if ledger.status == "settled"]
    advance = {id(ledger): _advance(rng, ledger) for ledger in paying}
    saving = {id(ledger): 0 for ledger in paying}

    def paid_by_year_end(ledger: Ledger) -> int:
        return advance[id(ledger)] if ledger in late_set else ledger.value - saving[id(ledger)]

    late_set = rng.sample(paying, min(late, len(paying)))
    rest = sum(paid_by_year_end(ledger) for ledger in paying) - target
    below = [ledger for ledger in paying if ledger.value < ledger.amount]
    while rest < 0 and (late_set or below):
        if late_set:
            late_set.pop()
        else:  # no bid savings on this one after all
            restored = below.pop()
            restored.value = restored.amount
            advance[id(restored)] = _advance(rng, restored)
        rest = sum(paid_by_year_end(ledger) for ledger in paying) - target
    if rest < 0:
        if exact:
            raise ValueError(f"Năm {year}: không đạt được số giải ngân {target} triệu đồng.")
        rest = 0
    on_time = [ledger for ledger in paying if ledger not in late_set]
    rng.shuffle(on_time)
    refunding = []
    for ledger in on_time[:refunds]:
        kept = advance[id(ledger)] - max(1, round(advance[id(ledger)] * rng.uniform(0.1, 0.35)))
        cut = ledger.value - kept
        if 0 < cut <= rest:
            saving[id(ledger)] = cut
            refunding.append(ledger)
            rest -= cut
    savers = [ledger for ledger in on_time if ledger not in refunding]
    room = {id(x): max(0, min(int(x.value * 0.12), x.value - advance[id(x)] - 1)) for x in savers}
    while rest > 0 and any(room[id(x)] - saving[id(x)] > 0 for x in savers):
        for ledger in savers:
            free = room[id(ledger)] - saving[id(ledger)]
            if rest == 0 or free <= 0:
                continue
            cut = min(rest, free, rng.randint(1, max(1, free)))
            saving[id(ledger)] += cut
            rest -= cut
    if rest:
        raise ValueError(f"Năm {year}: không đạt được số giải ngân {target} triệu đồng.")

    for ledger in paying:
        first = advance[id(ledger)]
        paid_advance = ledger.signed_on + DAY * rng.randint(10, 40)
        ledger.entries.append(Entry("advance", paid_advance, first))
        accepted = _acceptance(rng, ledger, paid_advance, year)
        ledger.accepted_on = accepted
        final = ledger.value - first - saving[id(ledger)]
        if ledger in late_set:
            ledger.entries.append(
                Entry("payment", between(rng, D(year + 1, 1, 5), D(year + 1, 1, 20)), final)
            )
        elif final > 0:
            paid = min(accepted + DAY * rng.randint(5, 15), year_end - DAY)
            ledger.entries.append(Entry("payment", paid, final))
        elif final < 0:
            paid = min(accepted + DAY * rng.randint(5, 20), year_end - DAY)
            ledger.entries.append(Entry("refund", paid, -final))
    if exact and sum(ledger.net(year_end) for ledger in ledgers) != target:
        raise AssertionError(f"Năm {year}: tổng giải ngân lệch mục tiêu.")


# Where the schemes of a running year stand: weights of each state.
CURRENT_MIX = {
    "approved": 4,
    "contracted": 8,
    "in_progress": 28,
    "accepted": 16,
    "liquidated": 42,
    "stopped": 2,
}


def run_year(rng, ledgers: list[Ledger], year: int, today: datetime.date) -> None:
    """The year in progress: nothing is paid after `today`; a scheme moves only as far as its
    dates allow (no advance before a few weeks after signing, no acceptance before autumn)."""
    states, weights = zip(*CURRENT_MIX.items(), strict=True)
    refunded_stop = False
    last_signing = today - DAY * 30
    for ledger in ledgers:
        state = rng.choices(states, weights)[0]
        if ledger.sign_from > last_signing:
            state = "approved"  # approved too recently to be contracted yet
        if state == "stopped" and not ledger.stoppable:
            state = "in_progress"
        ledger.status = state
        if state == "approved" or (state == "stopped" and refunded_stop):
            continue
        _sign(rng, ledger, last_day=last_signing)
        if state == "contracted":
            continue
        first = _advance(rng, ledger)
        paid_advance = ledger.signed_on + DAY * rng.randint(10, 40)
        if paid_advance > today:
            ledger.status = "contracted"
            continue
        ledger.entries.append(Entry("advance", paid_advance, first))
        if state == "stopped":  # stopped after an advance: the whole advance comes back
            refunded_stop = True
            back = min(between(rng, paid_advance + DAY * 30, today), today)
            ledger.entries.append(Entry("refund", back, first))
            continue
        earliest = max(D(year, 10, 1), paid_advance + DAY * 60)
        if state == "in_progress" or earliest > today - DAY * 2:
            ledger.status = "in_progress"
            continue
        accepted = between(rng, earliest, today - DAY * 2)
        ledger.accepted_on = accepted
        if state == "accepted":
            continue
        paid = between(rng, accepted + DAY, min(accepted + DAY * 12, today))
        final = ledger.value - first
        if rng.random() < 0.2:
            final -= min(final - 1, round(ledger.value * rng.uniform(0.0, 0.05)))
        ledger.entries.append(Entry("payment", paid, final))
