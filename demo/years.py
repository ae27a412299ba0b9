"""The plans of the demo, year by year. Amounts are in millions of đồng.

Sourced (shared/domain.md and domain-research-2.md §4):
- 2016: national plan 103,7 tỷ đồng for 251 schemes; about 101,7 tỷ realised (derived from the
  Central–Highlands report), used here as the amount disbursed by 31/12/2016.
- 2017: national plan ≈ 111,4 tỷ (derived), of which the Central–Highlands region 23,6 tỷ.
- 2019: 140 tỷ, 179 schemes, 178 contracted, 135,25 tỷ disbursed by 31/12/2019 by 175 schemes.
- 2020: IPC1 planned about 25,55 tỷ across 7 content areas with the Sở Công Thương of the 28
  northern provinces (pilot schemes in textiles–garments, agricultural processing and mechanical
  engineering, a group scheme for non-fired bricks); regional conferences hosted by Thái Nguyên,
  Quảng Bình and Vĩnh Long.
- 2021: first batch by Decision 3536/QĐ-BCT of 30/12/2020. 2021–2025 ≈ 526 tỷ national in all
  (derived), which the five illustrative yearly totals below add up to.
- 2024: no national allocation for the Central–Highlands region; Lâm Đồng local funds only.
- 2025: Central–Highlands national plan 11,375 tỷ.

Illustrative (no source figure): every other total and scheme count (2017's count, 2018,
2020's agency plan, each year of 2021–2026, the local plans), every decision number and date
except those above, all titles, names, establishments, contracts and ledger entries.
"""

import datetime
from dataclasses import dataclass, field

D = datetime.date
DEMO_TODAY = D(2026, 11, 28)  # the demo's "today": the current year is 2026


@dataclass(frozen=True)
class Batch:
    decision_number: str
    decision_date: datetime.date
    schemes: int


@dataclass(frozen=True)
class Fixed:
    """A scheme the sources name, placed before the generated ones."""

    kind: str
    sector: str
    product: str
    province: str  # GSO code on the map of its batch
    activities: tuple[str, ...]
    title: str = ""


@dataclass(frozen=True, eq=False)
class PlanSpec:
    year: int
    fund: str
    manager: str  # "agency", "ipc1" or the GSO code of a province's Sở Công Thương
    total: int
    batches: tuple[Batch, ...]
    code_prefix: str
    regions: tuple[str, ...] = ("north", "centre", "south")
    region_totals: dict[str, int] = field(default_factory=dict)
    province_share: float = 0.87
    every_province: bool = False
    pilots: int = 0
    groups: int = 0
    areas: tuple[int, ...] = ()  # allowed area numbers of the list in force (all if empty)
    disbursed_by_year_end: int | None = None
    stopped: tuple[int, int] = (1, 2)
    late: int = 4
    refunds: int = 2
    fixed: tuple[Fixed, ...] = ()

    @property
    def schemes(self) -> int:
        return sum(batch.schemes for batch in self.batches)


# 2020: the three regional conferences and IPC1's group scheme, as the report names them.
CONFERENCE = {
    "north": "Tổ chức Hội nghị khuyến công vùng phía Bắc năm 2020 tại tỉnh Thái Nguyên",
    "centre": "Tổ chức Hội nghị khuyến công vùng miền Trung - Tây Nguyên năm 2020 tại tỉnh "
    "Quảng Bình",
    "south": "Tổ chức Hội nghị khuyến công vùng phía Nam năm 2020 tại tỉnh Vĩnh Long",
}
NON_FIRED_BRICKS = (
    "Hỗ trợ ứng dụng máy móc thiết bị tiên tiến sản xuất gạch không nung cho các cơ sở công "
    "nghiệp nông thôn khu vực phía Bắc năm 2020"
)


def _national(year, total, batches, **options) -> PlanSpec:
    return PlanSpec(year, "national", "agency", total, batches, f"KCQG-{year}", **options)


def _local(code, year, total, batches, **options) -> PlanSpec:
    options.setdefault("groups", 1)
    options.setdefault("stopped", (0, 1))
    options.setdefault("late", 1)
    options.setdefault("refunds", 1)
    return PlanSpec(year, "local", code, total, batches, f"KCĐP-{code}-{year}", **options)


NATIONAL = (
    _national(
        2016,
        103_700,
        (Batch("3706/QĐ-BCT", D(2015, 12, 29), 228), Batch("5140/QĐ-BCT", D(2016, 4, 8), 23)),
        pilots=4,
        groups=18,
        disbursed_by_year_end=101_700,
        stopped=(2, 3),
        late=6,
        refunds=3,
    ),
    _national(
        2017,
        111_400,
        (Batch("4812/QĐ-BCT", D(2016, 12, 28), 196), Batch("1365/QĐ-BCT", D(2017, 4, 14), 19)),
        region_totals={"centre": 23_600},
        pilots=5,
        groups=16,
        stopped=(1, 3),
        late=5,
    ),
    _national(
        2018,
        126_500,
        (Batch("4947/QĐ-BCT", D(2017, 12, 29), 180), Batch("1127/QĐ-BCT", D(2018, 4, 6), 16)),
        pilots=5,
        groups=15,
        stopped=(1, 2),
        late=5,
    ),
    _national(
        2019,
        140_000,
        (Batch("4322/QĐ-BCT", D(2018, 12, 28), 163), Batch("1110/QĐ-BCT", D(2019, 4, 5), 16)),
        province_share=0.875,
        pilots=6,
        groups=15,
        disbursed_by_year_end=135_250,
        stopped=(1, 3),
        late=6,
        refunds=3,
    ),
    _national(
        2020,
        120_000,
        (Batch("5217/QĐ-BCT", D(2019, 12, 27), 134), Batch("1690/QĐ-BCT", D(2020, 4, 24), 14)),
        regions=("centre", "south"),
        province_share=0.9,
        pilots=3,
        groups=12,
        stopped=(2, 2),
        late=6,
        fixed=(
            Fixed("targeted", "a", "", "44", ("capacity",), CONFERENCE["centre"]),
            Fixed("targeted", "a", "", "86", ("capacity",), CONFERENCE["south"]),
        ),
    ),
    PlanSpec(
        2020,
        "national",
        "ipc1",
        25_550,
        (Batch("5218/QĐ-BCT", D(2019, 12, 27), 34),),
        "IPC1-2020",
        regions=("north",),
        every_province=True,
        areas=(1, 2, 3, 4, 5, 6, 9),
        stopped=(0, 1),
        late=2,
        refunds=1,
        fixed=(
            Fixed("pilot", "b", "hàng dệt may", "36", ("demo_model", "training", "brand")),
            Fixed("pilot", "a", "vải thiều sấy", "24", ("machinery", "training", "brand")),
            Fixed("pilot", "d", "máy nông nghiệp", "26", ("demo_model", "training", "consulting")),
            Fixed("group", "c", "gạch không nung", "34", ("machinery",), NON_FIRED_BRICKS),
            Fixed("targeted", "a", "", "19", ("capacity",), CONFERENCE["north"]),
        ),
    ),
    _national(
        2021,
        105_000,
        (Batch("3536/QĐ-BCT", D(2020, 12, 30), 122), Batch("1392/QĐ-BCT", D(2021, 4, 16), 20)),
        pilots=4,
        groups=12,
    ),
    _national(
        2022,
        108_000,
        (Batch("2741/QĐ-BCT", D(2021, 12, 29), 120), Batch("0812/QĐ-BCT", D(2022, 4, 20), 18)),
        pilots=4,
        groups=12,
    ),
    _national(
        2023,
        102_000,
        (Batch("3385/QĐ-BCT", D(2022, 12, 28), 114), Batch("0967/QĐ-BCT", D(2023, 4, 21), 16)),
        pilots=3,
        groups=11,
    ),
    _national(
        2024,
        98_000,
        (Batch("3312/QĐ-BCT", D(2023, 12, 27), 112), Batch("1024/QĐ-BCT", D(2024, 4, 26), 14)),
        regions=("north", "south"),
        pilots=3,
        groups=10,
    ),
    _national(
        2025,
        113_000,
        (Batch("3698/QĐ-BCT", D(2024, 12, 27), 100), Batch("2271/QĐ-BCT", D(2025, 8, 20), 34)),
        region_totals={"centre": 11_375},
        pilots=4,
        groups=12,
        late=5,
    ),
    _national(
        2026,
        110_000,
        (
            Batch("3512/QĐ-BCT", D(2025, 12, 30), 104),
            Batch("1588/QĐ-BCT", D(2026, 6, 15), 16),
            Batch("3021/QĐ-BCT", D(2026, 11, 10), 8),
        ),
        pilots=4,
        groups=12,
    ),
)


def _ubnd(number: int, day: datetime.date, schemes: int) -> Batch:
    return Batch(f"{number}/QĐ-UBND", day, schemes)


LOCAL = (
    _local("19", 2023, 4_200, (_ubnd(2871, D(2022, 12, 26), 12),)),
    _local("19", 2024, 4_800, (_ubnd(3014, D(2023, 12, 25), 14),)),
    _local("19", 2025, 5_600, (_ubnd(2950, D(2024, 12, 24), 12), _ubnd(1786, D(2025, 9, 10), 4))),
    _local("19", 2026, 8_500, (_ubnd(3125, D(2025, 12, 25), 18), _ubnd(1422, D(2026, 7, 10), 4))),
    _local("01", 2022, 18_000, (_ubnd(4788, D(2021, 12, 27), 24),), groups=2, late=2),
    _local("01", 2024, 20_500, (_ubnd(6512, D(2023, 12, 26), 26),), groups=2, late=2),
    _local("01", 2026, 24_000, (_ubnd(7120, D(2025, 12, 29), 30),), groups=2),
    _local("68", 2023, 4_100, (_ubnd(2450, D(2022, 12, 28), 11),)),
    _local("68", 2024, 5_000, (_ubnd(2603, D(2023, 12, 27), 13),)),
    _local("68", 2026, 9_000, (_ubnd(3318, D(2025, 12, 26), 20),)),
    _local("86", 2024, 3_600, (_ubnd(3120, D(2023, 12, 22), 10),)),
    _local("86", 2025, 4_300, (_ubnd(2987, D(2024, 12, 23), 12),)),
    _local("86", 2026, 18_700, (_ubnd(4105, D(2025, 12, 30), 25),)),
    _local("25", 2021, 3_500, (_ubnd(3390, D(2020, 12, 28), 10),)),
    _local("25", 2025, 5_200, (_ubnd(3072, D(2024, 12, 26), 14),)),
    _local("25", 2026, 8_800, (_ubnd(3267, D(2025, 12, 29), 20),)),
)

PLANS = NATIONAL + LOCAL

# Schemes still in the workflow: national ones for the 2027 plan (submitted to the Sở by 20 May,
# registered with the agency by 15 June, appraised in the autumn) and supplementary local ones
# for 2026. (status, fund, plan year, province code on the 34-unit map)
WORKFLOW = (
    ("draft", "national", 2027, "19"),
    ("draft", "national", 2027, "33"),
    ("submitted", "national", 2027, "01"),
    ("submitted", "national", 2027, "37"),
    ("submitted", "national", 2027, "86"),
    ("returned", "national", 2027, "24"),
    ("base_appraised", "national", 2027, "25"),
    ("base_appraised", "national", 2027, "40"),
    ("base_appraised", "national", 2027, "66"),
    ("registered", "national", 2027, "19"),
    ("registered", "national", 2027, "48"),
    ("appraised", "national", 2027, "01"),
    ("appraised", "national", 2027, "91"),
    ("rejected", "national", 2027, "79"),
    ("draft", "local", 2026, "19"),
    ("submitted", "local", 2026, "19"),
    ("submitted", "local", 2026, "01"),
    ("base_appraised", "local", 2026, "01"),
)
