"""Synthetic national-scale data for benchmarks (`generate_synthetic`), not demo data: thousands
of plans, schemes, contracts and ledger entries over 2014 to this year, on both province maps,
built so that the money chain holds by construction. Per contract the net disbursed never goes
below 0 nor above the value on any date and no entry precedes the signature; per allocation the
contracts add up to at most the support approved; per plan the allocations add up to at most the
batches (each batch is its allocations plus up to 3% held back).

Everything synthetic is marked: scheme codes and establishment registration codes start with
"SYN-", plan titles with "SYN". This module only draws rows (tuples of column values, with ids
chosen here and the folded search text set here); the command writes them, without history."""

import datetime
import random
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import NamedTuple

from django.db import models

from budgets.models import Allocation, AnnualPlan, Contract, Disbursement, PlanBatch
from core.text import fold
from demo.names import COMMUNES, ENTERPRISE_WORDS, PRODUCTS, of_province
from demo.schemes import SECTOR_H_FROM, content_list
from demo.world import World
from establishments.models import Establishment
from projects.models import Fund, Scheme
from provinces.models import ProvinceMap, map_on

SIZES = {"XS": 60, "S": 1_000, "M": 20_000, "L": 200_000}  # schemes
FIRST_YEAR = 2014
PREFIX = "SYN-"
PLAN_PREFIX = "SYN"
D, DAY = datetime.date, datetime.timedelta(days=1)
Status = Scheme.Status

# (title template, area number in the Decree 45 list, in the 2021–2025 list, weight)
TOPICS = (
    ("Hỗ trợ ứng dụng máy móc thiết bị tiên tiến vào sản xuất {product} tại {place}", 3, 1, 30),
    ("Xây dựng mô hình trình diễn kỹ thuật sản xuất {product} tại {place}", 3, 1, 15),
    ("Đào tạo nghề sản xuất {product} cho lao động nông thôn {place}", 1, 5, 15),
    ("Tập huấn nâng cao năng lực quản lý cho cơ sở sản xuất {product} {place}", 2, 5, 6),
    ("Hỗ trợ đánh giá sản xuất sạch hơn tại cơ sở sản xuất {product}, {place}", 3, 2, 6),
    ("Hỗ trợ tham gia hội chợ, triển lãm giới thiệu sản phẩm {product} {place}", 4, 3, 8),
    ("Hỗ trợ xây dựng thương hiệu, đăng ký nhãn hiệu sản phẩm {product} {place}", 4, 3, 8),
    ("Tư vấn đổi mới công nghệ chế biến {product} cho cơ sở {place}", 5, 5, 5),
    ("Xây dựng cơ sở dữ liệu, bản tin khuyến công về {product} {place}", 6, 6, 3),
    ("Hỗ trợ liên kết sản xuất {product} trong cụm công nghiệp {place}", 7, 4, 4),
)
NOTES = {
    "advance": "Tạm ứng kinh phí khuyến công",
    "payment": "Thanh toán theo khối lượng nghiệm thu",
    "refund": "Thu hồi tạm ứng không sử dụng hết",
}


class Table(NamedTuple):
    label: str
    model: type[models.Model]
    columns: tuple[str, ...]  # attnames, without the time stamps
    rows: Iterable[tuple]


@dataclass(slots=True)
class Batch:
    id: int
    plan_id: int
    number: int
    decided: datetime.date
    millions: int = 0


@dataclass(slots=True)
class Plan:
    id: int
    year: int
    fund: str
    unit_id: int
    title: str
    batches: list[Batch] = field(default_factory=list)


def _split(rng: random.Random, total: int, parts: int) -> list[int]:
    """`total` in `parts` positive whole amounts."""
    cuts = sorted(rng.sample(range(1, total), parts - 1)) if parts > 1 else []
    return [b - a for a, b in zip([0, *cuts], [*cuts, total], strict=True)]


class Synthesiser:
    """Draws the rows of one size: the same seed and `today` give the same rows."""

    def __init__(self, world: World, size: str, seed: int, today: datetime.date) -> None:
        self.world, self.today = world, today
        self.schemes = SIZES[size]
        self.rng = random.Random(f"{seed}-{size}")  # noqa: S311 (benchmark data, not secrets)
        self.ledger_rng = random.Random(f"{seed}-{size}-ledger")  # noqa: S311
        self.plans: dict[tuple[int, str, int], Plan] = {}
        self.merged = {}  # new province -> the old provinces merged into it
        for p in world.on_map(ProvinceMap.OLD_63):
            self.merged.setdefault(p.successor_id, []).append(p)
        # Sector h (energy saving, solar, electronics) only from Decree 235/2025 (15/10/2025).
        self.sectors = ([code for code in PRODUCTS if code != "h"], list(PRODUCTS))
        self.topics = [t[:3] for t in TOPICS]
        self.topic_weights = [t[3] for t in TOPICS]

    def prepare(self, first_ids: dict[type[models.Model], int]) -> None:
        """Draw the plans, schemes, allocations and contracts in memory; `first_ids` holds each
        model's first free id."""
        self.ids = dict(first_ids)
        self.establishment_rows = self.establishments(max(10, self.schemes // 4))
        self.rows = [row for year in self.years() for row in self.year_schemes(year)]

    def tables(self) -> Iterator[Table]:
        """The rows of every table, parents first. The ledger is generated while it is written,
        never held in memory whole."""
        establishments, rows = self.establishment_rows, self.rows
        yield from self.plan_tables()
        yield Table("establishments", Establishment, ESTABLISHMENT_COLUMNS, establishments)
        yield Table("schemes", Scheme, SCHEME_COLUMNS, [r[0] for r in rows])
        yield from self.link_tables(rows, len(establishments))
        allocations = [
            (a, p, batch.id, s, amount) for a, p, batch, s, amount in (r[1] for r in rows)
        ]
        yield Table("allocations", Allocation, ALLOCATION_COLUMNS, allocations)
        contracts = [c for r in rows for c in r[2]]
        yield Table("contracts", Contract, CONTRACT_COLUMNS, [c[:7] for c in contracts])
        yield Table("disbursements", Disbursement, ENTRY_COLUMNS, self.entries(contracts))

    def years(self) -> Iterator[tuple[int, int]]:
        years = list(range(FIRST_YEAR, self.today.year + 1))
        weights = [1 + 0.03 * (y - FIRST_YEAR) for y in years]
        counts = [int(self.schemes * w / sum(weights)) for w in weights]
        counts[-1] += self.schemes - sum(counts)
        return zip(years, counts, strict=True)

    def take(self, model) -> int:
        self.ids[model] += 1
        return self.ids[model] - 1

    def plan(self, year: int, fund: str, unit, title: str) -> Plan:
        key = (year, fund, unit.pk)
        if key not in self.plans:
            plan = self.plans[key] = Plan(self.take(AnnualPlan), year, fund, unit.pk, title)
            if fund == Fund.LOCAL:
                starts = [D(year, 1, 5) + DAY * self.rng.randint(0, 25)]
            else:
                starts = [D(year - 1, 12, 20) + DAY * self.rng.randint(0, 10)]
            starts += [D(year, 7, 5) + DAY * self.rng.randint(0, 35)]
            starts += [D(year, 9, 15) + DAY * self.rng.randint(0, 25)]
            count = 3 if unit == self.world.agency else self.rng.choice((1, 1, 2, 2, 3))
            plan.batches = [
                Batch(0, plan.id, n + 1, min(day, self.today)) for n, day in enumerate(starts)
            ][:count]
        return self.plans[key]

    def year_schemes(self, year_count: tuple[int, int]) -> Iterator[tuple]:
        year, count = year_count
        world, rng = self.world, self.rng
        plan_map = map_on(D(year, 12, 31))
        homes = world.on_map(plan_map)
        for serial in range(1, count + 1):
            if rng.random() < 0.3:
                ipc1 = rng.random() < 0.15
                unit = world.ipc1 if ipc1 else world.agency
                title = f"{PLAN_PREFIX} – Kế hoạch khuyến công quốc gia năm {year}"
                plan = self.plan(year, Fund.NATIONAL, unit, title + (" giao IPC1" if ipc1 else ""))
                batch = rng.choices(plan.batches, (6, 3, 1)[: len(plan.batches)])[0]
                province = rng.choice(
                    world.on_map(map_on(batch.decided), "north" if ipc1 else None)
                )
                implementer = unit if ipc1 else world.centre(province)
                millions = rng.randint(300, 1500)
            else:
                home = rng.choice(homes)
                department = world.department(home)
                title = f"{PLAN_PREFIX} – Kế hoạch khuyến công địa phương năm {year} – {home.name}"
                plan = self.plan(year, Fund.LOCAL, department, title)
                batch = rng.choices(plan.batches, (6, 3, 1)[: len(plan.batches)])[0]
                on_plan_map = map_on(batch.decided) == plan_map
                province = home if on_plan_map else rng.choice(self.merged[home.pk])
                implementer = world.centre(province)
                millions = rng.randint(80, 600)
            batch.millions += millions
            yield self.scheme(year, serial, plan, batch, province, implementer, millions)

    def scheme(self, year, serial, plan, batch, province, implementer, millions) -> tuple:
        rng = self.rng
        pk, allocation = self.take(Scheme), self.take(Allocation)
        kind = rng.choices(("targeted", "group", "pilot"), (84, 10, 6))[0]
        sector = rng.choice(self.sectors[year >= SECTOR_H_FROM.year + 1])
        template, nd45, ct2125 = rng.choices(self.topics, self.topic_weights)[0]
        title = template.format(product=rng.choice(PRODUCTS[sector]), place=of_province(province))
        numbers = {nd45 if content_list(year) == "nd45" else ct2125}
        if kind == "pilot":
            numbers.add(rng.choice([n for n in (1, 2, 3, 4, 5) if n not in numbers]))
        areas = [self.world.areas[f"{content_list(year)}-{n}"].pk for n in sorted(numbers)]
        code = f"{PREFIX}{year}-{'QG' if plan.fund == Fund.NATIONAL else 'DP'}-{serial:06d}"
        start, end = min(batch.decided + DAY * 7, D(year, 12, 31)), D(year, 12, 31)
        current = year == self.today.year
        last_sign = min(D(year, 11, 15), self.today)
        contracts = []
        if batch.decided + DAY * 10 <= last_sign and rng.random() < (0.88 if current else 0.96):
            total = max(1, int(millions * rng.uniform(0.9, 1.0)))
            values = _split(rng, total, 2) if total > 1 and rng.random() < 0.05 else [total]
            signed = batch.decided
            for number, value in enumerate(values, start=1):
                signed = min(signed + DAY * rng.randint(10, 75), last_sign)
                task = plan.fund == Fund.LOCAL or implementer == self.world.ipc1
                suffix = ("QĐ-SCT" if plan.fund == Fund.LOCAL else "QĐ-KCQG") if task else "HĐ-KCQG"
                number = f"{serial:06d}-{number}/{year}/{suffix}"
                kind_ = Contract.Kind.TASK if task else Contract.Kind.CONTRACT
                contracts.append((self.take(Contract), allocation, kind_, number, signed,
                                  value * 1_000_000, implementer.pk, year))  # fmt: skip
        if contracts:
            status = rng.choices(
                (Status.CONTRACTED, Status.IN_PROGRESS)
                if current
                else (Status.SETTLED, Status.LIQUIDATED, Status.ACCEPTED),
                (2, 8) if current else (80, 12, 8),
            )[0]
        else:
            status = Status.APPROVED if current else Status.STOPPED
        requested = (millions + rng.randint(0, millions // 5)) * 1_000_000
        counterpart = int(millions * rng.uniform(0, 2)) * 1_000_000
        scheme = (pk, code, year, plan.fund, kind, title, fold(f"{code} {title}"),
                  self.world.sectors[sector].pk, province.pk, implementer.pk, start, end,
                  requested, counterpart, status, "")  # fmt: skip
        return scheme, (allocation, plan.id, batch, pk, millions * 1_000_000), contracts, areas

    def plan_tables(self) -> Iterator[Table]:
        rng, batches = self.rng, []
        for plan in self.plans.values():
            plan.batches = [b for b in plan.batches if b.millions]  # an empty batch is no batch
            for number, batch in enumerate(plan.batches, start=1):
                batch.id, batch.number = self.take(PlanBatch), number
                batches.append(batch)
        plans = ((p.id, p.year, p.fund, p.unit_id, p.title) for p in self.plans.values())
        yield Table("plans", AnnualPlan, PLAN_COLUMNS, plans)
        held_back = (rng.uniform(0, 0.03) for _ in batches)
        rows = ((b.id, b.plan_id, b.number, f"{PLAN_PREFIX}-{b.id}/QĐ-BCT", b.decided,
                 (b.millions + int(b.millions * extra)) * 1_000_000)
                for b, extra in zip(batches, held_back, strict=True))  # fmt: skip
        yield Table("batches", PlanBatch, BATCH_COLUMNS, rows)

    def establishments(self, count: int) -> list[tuple]:
        rng, rows = self.rng, []
        provinces = self.world.on_map(ProvinceMap.NEW_34)
        for n in range(1, count + 1):
            form = rng.choice(("household", "household", "cooperative_group"))
            sector = rng.choice(list(PRODUCTS))
            word = "Hộ kinh doanh" if form == "household" else "Tổ hợp tác"
            name = f"{word} {rng.choice(PRODUCTS[sector])} {rng.choice(ENTERPRISE_WORDS)} {n}"
            code, commune = f"{PREFIX}{n:07d}", f"xã {rng.choice(COMMUNES)}"
            rows.append((self.take(Establishment), name, form, code, rng.choice(provinces).pk,
                         commune, self.world.sectors[sector].pk, rng.choice(("micro", "small")),
                         rng.randint(3, 60), fold(f"{name} {code} {commune}")))  # fmt: skip
        return rows

    def link_tables(self, rows: list[tuple], establishments: int) -> Iterator[Table]:
        first = self.ids[Establishment] - establishments
        areas = Scheme.content_areas.through
        links = ((self.take(areas), r[0][0], area) for r in rows for area in r[3])
        yield Table("content area links", areas, ("id", "scheme_id", "contentarea_id"), links)
        people = Scheme.beneficiaries.through
        links = (
            (r[0][0], first + n)
            for r in rows
            if r[0][4] == "targeted"
            for n in set(self.rng.choices(range(establishments), k=self.rng.randint(1, 2)))
        )
        rows_ = ((self.take(people), *link) for link in links)
        yield Table("beneficiary links", people, ("id", "scheme_id", "establishment_id"), rows_)

    def entries(self, contracts: list[tuple]) -> Iterator[tuple]:
        """About ten ledger entries per contract: advances (at most 70% of the value), maybe one
        refund of part of them, then payments; the net ends at most at the value."""
        rng, serial = self.ledger_rng, 0
        for contract_id, _alloc, _kind, _number, signed, value, _unit, year in contracts:
            current = year == self.today.year
            end = min(D(year, 12, 31), self.today)
            span = (end - signed).days
            count = min(rng.randint(0, 10) if current else rng.randint(5, 16), span)
            if count == 0:
                continue
            days = [signed + DAY * d for d in sorted(rng.sample(range(1, span + 1), count))]
            late = D(year + 1, 1, rng.randint(2, 20))
            if not current and rng.random() < 0.05 and late <= self.today:
                days[-1] = late  # paid in the settlement period of the next year
            thousands = value // 1000
            share = (
                rng.uniform(0.3, 0.8) if current else rng.choice((1.0, 1.0, rng.uniform(0.85, 1)))
            )
            net = max(count, int(thousands * share))
            refunds = 1 if count >= 4 and rng.random() < 0.12 else 0
            advances = 0 if count - refunds == 1 else (1 if count < 7 else rng.choice((1, 2)))
            advanced = (
                min(int(thousands * rng.uniform(0.3, 0.5)), int(net * 0.6)) if advances else 0
            )
            refund = max(1, int(advanced * rng.uniform(0.05, 0.3))) if refunds else 0
            payments = count - refunds - advances
            short = (refunds and refund >= advanced) or net - advanced + refund < payments
            if advanced < advances or short:
                advances, refunds, refund, advanced, payments = 0, 0, 0, 0, count
            kinds = ["advance"] * advances + ["refund"] * refunds + ["payment"] * payments
            amounts = _split(rng, advanced, advances) if advances else []
            amounts += [refund] * refunds + _split(rng, net - advanced + refund, payments)
            for kind, day, amount in zip(kinds, days, amounts, strict=True):
                serial += 1
                voucher = f"{'GNT' if kind == 'refund' else 'UNC'}-{year}-{serial:07d}"
                pk = self.take(Disbursement)
                yield pk, contract_id, kind, day, amount * 1000, voucher, NOTES[kind]


MODELS = (AnnualPlan, PlanBatch, Establishment, Scheme, Scheme.content_areas.through,
          Scheme.beneficiaries.through, Allocation, Contract, Disbursement)  # fmt: skip
SCHEME_COLUMNS = (
    "id",
    "code",
    "plan_year",
    "fund",
    "kind",
    "title",
    "search_text",
    "sector_id",
    "province_id",
    "implementing_unit_id",
    "start_date",
    "end_date",
    "support_requested",
    "counterpart_funding",
    "status",
    "description",
)
ESTABLISHMENT_COLUMNS = (
    "id",
    "name",
    "legal_form",
    "registration_code",
    "province_id",
    "commune",
    "sector_id",
    "size",
    "workers",
    "search_text",
)
CONTRACT_COLUMNS = ("id", "allocation_id", "kind", "number", "signed_on", "value", "contractor_id")
PLAN_COLUMNS = ("id", "year", "fund", "managing_unit_id", "title")
BATCH_COLUMNS = ("id", "plan_id", "number", "decision_number", "decision_date", "amount")
ALLOCATION_COLUMNS = ("id", "plan_id", "batch_id", "scheme_id", "amount")
ENTRY_COLUMNS = ("id", "contract_id", "kind", "paid_on", "amount", "voucher_number", "note")
