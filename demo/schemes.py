"""Drafts of one plan's schemes, in memory: where each is, what it does, who implements it, whom
it benefits, how much it gets, and its money ledger. `demo.writer` saves them."""

import datetime
from dataclasses import dataclass, field

from demo import activities as act
from demo.establishments import EstablishmentPool
from demo.money import DAY, Ledger, close_year, run_year, split_exact
from demo.names import COMMUNES, DISTRICTS, SPECIALTIES, of_province
from demo.world import World
from demo.years import Batch, PlanSpec
from organisations.models import Organisation
from provinces.models import Province, ProvinceMap, map_on

D = datetime.date
REGION_SHARE = {"north": 0.48, "centre": 0.24, "south": 0.28}
SECTOR_H_FROM = D(2025, 10, 15)  # Decree 235/2025: sector h eligible from this day


@dataclass(eq=False)
class Draft:
    spec: PlanSpec
    batch: int
    code: str
    province: Province
    kind: str = "targeted"
    main: str = ""  # the main activity, when it must be this one
    is_fixed: bool = False  # named by the sources (demo.years.Fixed)
    fixed_title: str = ""
    sector: str = "a"
    product: str = ""
    activities: tuple[str, ...] = ()
    title: str = ""
    description: str = ""
    unit: Organisation | None = None
    coordinating: list[Organisation] = field(default_factory=list)
    beneficiaries: list = field(default_factory=list)
    raw: int = 0
    counterpart_ratio: float = 0.0
    amount: int = 0
    requested: int = 0
    counterpart: int = 0
    ledger: Ledger | None = None
    status: str = "approved"
    start: datetime.date | None = None
    end: datetime.date | None = None

    @property
    def region(self) -> str:
        return self.province.region.code


def content_list(year: int) -> str:
    """The list of content areas a year's schemes are classified by."""
    return "ct2125" if 2021 <= year <= 2025 else "nd45"


def area_number(activity: act.Activity, year: int) -> int:
    return activity.ct2125 if content_list(year) == "ct2125" else activity.nd45


def signing_window(decision: datetime.date, year: int) -> tuple[datetime.date, datetime.date]:
    start = max(decision + DAY * 21, D(year, 2, 10))
    end = min(start + DAY * 60, D(year, 5, 31)) if start < D(year, 5, 1) else start + DAY * 45
    return start, max(start, min(end, D(year, 10, 31)))


def _apportion(total: int, shares: dict[str, float]) -> dict[str, int]:
    weight = sum(shares.values())
    exact = {key: total * share / weight for key, share in shares.items()}
    counts = {key: int(value) for key, value in exact.items()}
    for key in sorted(exact, key=lambda k: counts[k] - exact[k])[: total - sum(counts.values())]:
        counts[key] += 1
    return counts


class PlanBuilder:
    def __init__(self, rng, world: World, pool: EstablishmentPool, today: datetime.date):
        self.rng = rng
        self.world = world
        self.pool = pool
        self.today = today

    # -- where ---------------------------------------------------------------------------------
    def _places(self, spec: PlanSpec) -> list[Draft]:
        rng, world = self.rng, self.world
        drafts: list[Draft] = []
        chosen: dict[tuple[str, str], list[Province]] = {}
        for index, batch in enumerate(spec.batches):
            map_version = map_on(batch.decision_date)
            fixed = spec.fixed if index == 0 else ()
            for item in fixed:
                draft = Draft(spec, index, "", world.province(map_version, item.province))
                draft.kind, draft.sector, draft.product = item.kind, item.sector, item.product
                draft.activities, draft.fixed_title = item.activities, item.title
                draft.is_fixed = True
                drafts.append(draft)
            count = batch.schemes - len(fixed)
            if spec.fund == "local":
                province = world.province(map_version, spec.manager)
                drafts += [Draft(spec, index, "", province) for _ in range(count)]
                continue
            shares = {region: REGION_SHARE[region] for region in spec.regions}
            for region, n in _apportion(count, shares).items():
                key = (map_version, region)
                if key not in chosen:
                    candidates = world.on_map(map_version, region)
                    size = len(candidates)
                    if not spec.every_province:
                        size = max(1, round(size * spec.province_share))
                    chosen[key] = rng.sample(candidates, size)
                covered = {d.province for d in drafts}
                first = [p for p in chosen[key] if p not in covered][:n]
                rest = [rng.choice(chosen[key]) for _ in range(n - len(first))]
                drafts += [Draft(spec, index, "", p) for p in first + rest]
        return drafts

    # -- what ----------------------------------------------------------------------------------
    def _allowed(self, spec: PlanSpec) -> list[act.Activity]:
        found = []
        for activity in act.ACTIVITIES.values():
            if spec.areas and area_number(activity, spec.year) not in spec.areas:
                continue
            if spec.fund == "local" and activity.key in act.REGIONAL_EVENTS:
                continue
            found.append(activity)
        return found

    def _sector(self, draft: Draft, activity: act.Activity) -> tuple[str, str]:
        rng = self.rng
        own = [s for s in SPECIALTIES.get(draft.province.code, ()) if s[0] in activity.sectors]
        if draft.province.map_version == ProvinceMap.OLD_63 and own and rng.random() < 0.45:
            return rng.choice(own)
        if (
            draft.spec.year > SECTOR_H_FROM.year
            and activity.key in {"machinery", "demo_model", "transfer"}
            and rng.random() < 0.1
        ):
            return "h", act.product_for(rng, "h")
        sector = rng.choice(activity.sectors)
        return sector, act.product_for(rng, sector)

    def _what(self, draft: Draft, allowed: list[act.Activity], events: set) -> None:
        rng, year = self.rng, draft.spec.year
        if draft.activities:  # fixed by the sources
            draft.product = draft.product or act.product_for(rng, draft.sector)
            return
        if draft.kind == "pilot":
            draft.sector = rng.choice(list(act.PILOT_TOPICS))
            own = [s for s in SPECIALTIES.get(draft.province.code, ()) if s[0] == draft.sector]
            draft.product = rng.choice(own)[1] if own else act.product_for(rng, draft.sector)
            main = rng.choice(["demo_model", "machinery"])
            extra = rng.sample(act.PILOT_SECONDARY, rng.randint(1, 2))
            draft.activities = self._distinct_areas((main, *extra), year, at_least=2)
            return
        if draft.kind == "group":
            keys = [a.key for a in allowed if a.key in act.GROUP_ACTIVITIES]
            main = act.ACTIVITIES[rng.choice(keys)]
            draft.sector, draft.product = self._sector(draft, main)
            draft.activities = (main.key,)
            return
        main = act.ACTIVITIES[draft.main] if draft.main else None
        while main is None:
            main = rng.choices(allowed, [a.weight for a in allowed])[0]
            if main.key in act.REGIONAL_EVENTS:
                if (main.key, draft.region) in events:
                    main = None
                else:
                    events.add((main.key, draft.region))
        draft.sector, draft.product = self._sector(draft, main)
        extra = rng.choices([0, 1, 2], [70, 25, 5])[0]
        helpers = [a.key for a in allowed if a.key in {"training", "brand", "consulting"}]
        picks = (main.key, *rng.sample(helpers, min(extra, len(helpers))))
        draft.activities = self._distinct_areas(picks, year, at_least=1)

    def _distinct_areas(self, keys, year: int, at_least: int) -> tuple[str, ...]:
        kept, areas = [], set()
        for key in keys:
            number = area_number(act.ACTIVITIES[key], year)
            if number not in areas:
                kept.append(key)
                areas.add(number)
        for key in ("training", "brand", "linkage"):
            number = area_number(act.ACTIVITIES[key], year)
            if len(areas) >= at_least:
                break
            if number not in areas:
                kept.append(key)
                areas.add(number)
        return tuple(kept)

    def _cover_areas(self, spec, drafts, targeted, allowed) -> None:
        """A plan limited to some content areas uses every one of them."""
        if not spec.areas:
            return
        covered = {
            area_number(act.ACTIVITIES[key], spec.year) for d in drafts for key in d.activities
        }
        for area in sorted(set(spec.areas) - covered):
            keys = [a.key for a in allowed if area_number(a, spec.year) == area]
            keys = [k for k in keys if k not in act.REGIONAL_EVENTS] or keys
            targeted.pop().main = self.rng.choice(keys)

    # -- who -----------------------------------------------------------------------------------
    def _who(self, draft: Draft) -> None:
        rng, world, spec = self.rng, self.world, draft.spec
        province, north = draft.province, draft.region == "north"
        department = world.department(province)
        if spec.manager == "ipc1":
            draft.unit, draft.coordinating = world.ipc1, [department]
        elif spec.fund == "local":
            draft.unit = world.centre(province)
        else:
            event = draft.activities[0] in act.REGIONAL_EVENTS
            to_ipc1 = north and (event or rng.random() < (0.5 if draft.kind == "pilot" else 0.12))
            draft.unit = world.ipc1 if to_ipc1 else world.centre(province)
            if to_ipc1 or rng.random() < 0.5:
                draft.coordinating = [department]
        if draft.kind != "group":
            count = rng.choices([1, 2, 3], [60, 30, 10])[0]
            strict = draft.is_fixed or draft.kind == "pilot" or draft.sector == "h"
            main = act.ACTIVITIES[draft.activities[0]]
            codes = [draft.sector] + [s for s in main.sectors if s != draft.sector]
            sectors = [world.sectors[code] for code in (codes[:1] if strict else codes)]
            draft.beneficiaries = self.pool.pick(province, sectors, count, draft.product, strict)
            if not strict:
                first = draft.beneficiaries[0]
                draft.sector = next(c for c in codes if world.sectors[c].pk == first.sector_id)
                draft.product = self.pool.product_of[id(first)]

    # -- titles --------------------------------------------------------------------------------
    def _place(self, province: Province) -> str:
        rng, name = self.rng, of_province(province)
        if province.map_version == ProvinceMap.NEW_34:
            return f"xã {rng.choice(COMMUNES)}, {name}" if rng.random() < 0.5 else name
        districts = DISTRICTS.get(province.code)
        if districts and rng.random() < 0.7:
            return f"huyện {rng.choice(districts)}, {name}"
        return name

    def _title(self, draft: Draft) -> None:
        rng, year = self.rng, draft.spec.year
        main = act.ACTIVITIES[draft.activities[0]]
        words = act.words_for(
            rng,
            sector=draft.sector,
            product=draft.product,
            place=self._place(draft.province),
            province=of_province(draft.province),
            region=draft.region,
            year=year,
            establishment=draft.beneficiaries[0].name if draft.beneficiaries else "",
            cluster=rng.choice(COMMUNES),
        )
        if draft.fixed_title:
            draft.title = draft.fixed_title
        elif draft.kind == "pilot":
            topic = act.PILOT_TOPICS[draft.sector].format(**words)
            draft.title = (
                f"Đề án điểm phát triển {topic} tại {words['place']} giai đoạn {year}–{year + 1}"
            )
        elif draft.kind == "group":
            draft.title = act.fill(act.GROUP_TEMPLATES[main.key], **words)
        else:
            templates = [t for t in main.templates if "{establishment}" not in t or words[
                "establishment"]]  # fmt: skip
            draft.title = act.fill(rng.choice(templates), **words)
        draft.description = act.fill(main.description, **words)
        low, high = main.amount
        if draft.kind == "pilot":
            low, high = 2_000, 4_500
        elif draft.kind == "group":
            low, high = 800, 2_000
        draft.raw = rng.randint(low, high) + sum(
            rng.randint(*act.ACTIVITIES[key].amount) // 3 for key in draft.activities[1:]
        )
        draft.counterpart_ratio = rng.uniform(*main.counterpart)

    # -- money ---------------------------------------------------------------------------------
    def _split(self, drafts: list[Draft], total: int) -> None:
        amounts = split_exact(self.rng, [d.raw for d in drafts], total)
        for draft, amount in zip(drafts, amounts, strict=True):
            draft.amount = amount

    def _amounts(self, spec: PlanSpec, drafts: list[Draft]) -> None:
        rng = self.rng
        rest = list(drafts)
        remaining = spec.total
        for region, total in spec.region_totals.items():
            group = [d for d in drafts if d.region == region]
            self._split(group, total)
            rest = [d for d in rest if d.region != region]
            remaining -= total
        self._split(rest, remaining)
        for draft in drafts:
            draft.counterpart = round(draft.amount * draft.counterpart_ratio / 10) * 10
            extra = rng.choice([0, 0, 0, 0.05, 0.1, 0.2])
            draft.requested = draft.amount + round(draft.amount * extra / 10) * 10

    def _ledgers(self, spec: PlanSpec, drafts: list[Draft]) -> None:
        for draft in drafts:
            batch = spec.batches[draft.batch]
            start, end = signing_window(batch.decision_date, spec.year)
            stoppable = draft.kind == "targeted" and not draft.is_fixed
            draft.ledger = Ledger(draft.amount, start, end, stoppable=stoppable)
        ledgers = [draft.ledger for draft in drafts]
        if spec.year < self.today.year:
            close_year(
                self.rng,
                ledgers,
                spec.year,
                target=spec.disbursed_by_year_end,
                stopped=spec.stopped,
                late=spec.late,
                refunds=spec.refunds,
            )
        else:
            run_year(self.rng, ledgers, spec.year, self.today)
        for draft in drafts:
            ledger = draft.ledger
            draft.status = ledger.status
            draft.start = ledger.signed_on or ledger.sign_from
            last = D(spec.year + 1, 6, 30) if draft.kind == "pilot" else D(spec.year, 12, 20)
            draft.end = max(last, draft.start)

    # -- all together --------------------------------------------------------------------------
    def build(self, spec: PlanSpec) -> list[Draft]:
        drafts = self._places(spec)
        free = [d for d in drafts if not d.activities]
        self.rng.shuffle(free)
        for draft in free[: spec.pilots]:
            draft.kind = "pilot"
        for draft in free[spec.pilots : spec.pilots + spec.groups]:
            draft.kind = "group"
        allowed, titles = self._allowed(spec), set()
        events = {(d.activities[0], d.region) for d in drafts if d.is_fixed}
        self._cover_areas(spec, drafts, free[spec.pilots + spec.groups :], allowed)
        for draft in drafts:
            self._what(draft, allowed, events)
            self._who(draft)
            for _attempt in range(8):  # another template or place when the title is taken
                self._title(draft)
                if draft.title not in titles:
                    break
            titles.add(draft.title)
        self._amounts(spec, drafts)
        self._ledgers(spec, drafts)
        drafts.sort(key=lambda d: (d.batch, d.province.code, d.title))
        for number, draft in enumerate(drafts, start=1):
            draft.code = f"{spec.code_prefix}-{number:03d}"
        return drafts

    def build_workflow(self, items) -> list[Draft]:
        """Schemes not yet in an approved plan: (status, fund, plan year, province code on the
        34-unit map). They have no allocation, only the support they ask for."""
        drafts, serial = [], {}
        for status, fund, year, code in items:
            manager = "agency" if fund == "national" else code
            prefix = f"KCQG-{year}" if fund == "national" else f"KCĐP-{code}-{year}-BS"
            spec = PlanSpec(year, fund, manager, 0, (Batch("", D(year, 1, 1), 0),), prefix)
            draft = Draft(spec, 0, "", self.world.province(ProvinceMap.NEW_34, code))
            self._what(draft, self._allowed(spec), set())
            self._who(draft)
            self._title(draft)
            serial[prefix] = serial.get(prefix, 0) + 1
            draft.code = f"{prefix}-{serial[prefix]:03d}"
            draft.status = status
            draft.requested = round(draft.raw / 10) * 10
            draft.counterpart = round(draft.requested * draft.counterpart_ratio / 10) * 10
            draft.start, draft.end = D(year, 3, 1), D(year, 11, 30)
            drafts.append(draft)
        return drafts
