"""Demo data of the registers, called by `seed_demo` after the schemes exist. From the 2019
report: 110 typical products recognised nationally (each carried up from a 2017 province round
and a 2018 regional round, as TT 26/2014 requires), planning dossiers of 11 provinces appraised,
the 2019 national fair, and the 2020 regional conferences hosted by Thái Nguyên, Quảng Bình and
Vĩnh Long; and a 2025 Thái Nguyên round with a candidate still waiting for the jury, and a fair
in the demo's current month. Idempotent: nothing is written when the 2019 national round exists.
Bulk writes, as the rest of the demo: no history rows for the seed."""

import datetime
import random
from decimal import Decimal

from django.db.models import Count

from establishments.models import Establishment
from organisations.models import Organisation
from projects.models import Fund, Scheme
from provinces.models import Province, ProvinceMap, Region
from registers.models import (
    ClusterPlanDossier,
    EventParticipant,
    IndustrialCluster,
    ProductGroup,
    ProductLevel,
    PromotionEvent,
    SelectionRound,
    TypicalProduct,
)
from registers.models.products import certificate_valid_until
from registers.selectors import CLUSTER_AREAS

D = datetime.date
Status = TypicalProduct.Status
NATIONAL_2019 = 110
SEED = 2019

# Which sectors make which group of products.
GROUP_SECTORS = {
    ProductGroup.HANDICRAFT: ("dd",),
    ProductGroup.FOOD: ("a",),
    ProductGroup.MACHINERY: ("d",),
    ProductGroup.OTHER: ("b", "c", "g", "h", "e"),
}
GROUP_SHARE = {
    ProductGroup.HANDICRAFT: 42,
    ProductGroup.FOOD: 46,
    ProductGroup.MACHINERY: 10,
    ProductGroup.OTHER: 12,
}
NAMES = {
    ProductGroup.HANDICRAFT: (
        "Bộ bình hoa gốm men lam",
        "Bộ giỏ mây tre đan xuất khẩu",
        "Tranh thêu tay phong cảnh",
        "Bộ khay sơn mài khảm trai",
        "Đèn lồng lụa",
        "Bộ bàn ghế gỗ mỹ nghệ",
        "Thảm cói dệt tay",
        "Khăn thổ cẩm dệt tay",
        "Tượng gỗ mỹ nghệ",
        "Bộ ấm chén gốm Bát Tràng",
        "Nón lá bài thơ",
        "Hộp bèo tây đan",
        "Bộ đồ gốm đất nung",
        "Tranh sơn mài",
        "Đồ trang trí bằng sừng",
    ),
    ProductGroup.FOOD: (
        "Chè búp xanh đặc sản",
        "Miến dong",
        "Nước mắm truyền thống",
        "Mật ong rừng",
        "Cà phê bột rang xay",
        "Bánh đa nem",
        "Hạt điều rang muối",
        "Gạo hữu cơ",
        "Long nhãn sấy",
        "Măng khô",
        "Kẹo dừa",
        "Nem chua",
        "Bánh phồng tôm",
        "Rượu ngô men lá",
        "Tinh bột nghệ",
    ),
    ProductGroup.MACHINERY: (
        "Máy sấy nông sản",
        "Máy tuốt lúa liên hợp",
        "Máy băm cỏ đa năng",
        "Máy ép viên thức ăn chăn nuôi",
        "Lò sấy chè tiết kiệm nhiên liệu",
        "Máy xát vỏ cà phê",
    ),
    ProductGroup.OTHER: (
        "Gạch không nung",
        "Túi vải thổ cẩm",
        "Phân bón hữu cơ vi sinh",
        "Chăn ga gối đệm bông",
        "Giày vải",
        "Ngói màu",
        "Bao bì giấy tái chế",
    ),
}
# Provinces whose cluster planning dossiers the agency appraised in 2019 (old map).
DOSSIER_PROVINCES = ("24", "25", "34", "36", "38", "40", "42", "51", "52", "80", "87")
CLUSTER_WORDS = ("Đồng Văn", "Phú Thịnh", "Tân Hòa", "Nam Sơn", "Hợp Thịnh", "An Lạc", "Phú Lâm")


def _d(rng: random.Random, start: D, days: int) -> D:
    return start + datetime.timedelta(days=rng.randint(0, days))


def _status(valid_until: D, today: D) -> str:
    return Status.CERTIFIED if valid_until >= today else Status.EXPIRED


def _product(**fields) -> TypicalProduct:
    product = TypicalProduct(**fields)
    product.refresh_search_text()
    return product


def _producers(rng: random.Random) -> list[tuple[str, Establishment]]:
    """110 (group, producer) pairs, each producer once, spread over provinces."""
    chosen: list[tuple[str, Establishment]] = []
    used: set[int] = set()
    for group, share in GROUP_SHARE.items():
        pool = list(
            Establishment.objects.filter(
                sector__code__in=GROUP_SECTORS[group], province__map_version=ProvinceMap.OLD_63
            )
            .select_related("province")
            .order_by("pk")
        )
        rng.shuffle(pool)
        for establishment in pool:
            if len([g for g, _ in chosen if g == group]) == share:
                break
            if establishment.pk not in used:
                used.add(establishment.pk)
                chosen.append((group, establishment))
    return chosen


def _products_2019(rng: random.Random, today: D) -> int:
    regions = {region.pk: region for region in Region.objects.all()}
    pairs = _producers(rng)
    national = SelectionRound.objects.create(
        level=ProductLevel.NATIONAL,
        year=2019,
        title="Bình chọn sản phẩm công nghiệp nông thôn tiêu biểu cấp quốc gia năm 2019",
        decision_number="3888/QĐ-BCT",
        decision_date=D(2019, 12, 20),
    )
    regional = {
        pk: SelectionRound.objects.create(
            level=ProductLevel.REGION,
            year=2018,
            region=region,
            title=f"Bình chọn sản phẩm công nghiệp nông thôn tiêu biểu {region.name} năm 2018",
            decision_number=f"{110 + region.order}/QĐ-CTĐP",
            decision_date=D(2018, 10, 15 + region.order),
        )
        for pk, region in regions.items()
    }
    province_rounds: dict[int, SelectionRound] = {}
    for _group, producer in pairs:
        province = producer.province
        if province.pk not in province_rounds:
            province_rounds[province.pk] = SelectionRound(
                level=ProductLevel.PROVINCE,
                year=2017,
                province=province,
                title=(
                    f"Bình chọn sản phẩm công nghiệp nông thôn tiêu biểu {province.name} năm 2017"
                ),
                decision_number=f"{rng.randint(1500, 3999)}/QĐ-UBND",
                decision_date=_d(rng, D(2017, 9, 1), 75),
            )
    SelectionRound.objects.bulk_create(province_rounds.values())

    names_used: dict[str, int] = {}
    levels = []
    for index, (group, producer) in enumerate(pairs, start=1):
        base = rng.choice(NAMES[group])
        names_used[base] = names_used.get(base, 0) + 1
        name = base if names_used[base] == 1 else f"{base} {producer.province.short_name}"
        is_set = base.startswith("Bộ")
        chain = []
        for level, round_, serial in (
            ("province", province_rounds[producer.province_id], f"{index:03d}/GCN-UBND"),
            ("region", regional[producer.province.region_id], f"{index:03d}/GCN-KV"),
            ("national", national, f"{index:03d}/GCN-BCT"),
        ):
            issued = round_.decision_date
            valid_until = certificate_valid_until(issued)
            chain.append(
                _product(
                    round=round_,
                    name=name,
                    is_set=is_set,
                    group=group,
                    producer=producer,
                    description=f"{name} do {producer.name} sản xuất.",
                    status=_status(valid_until, today),
                    score=Decimal(rng.randint(7200, 9400)) / 100,
                    decision_number=round_.decision_number,
                    decision_date=issued,
                    certificate_number=serial,
                    certificate_date=issued,
                    valid_until=valid_until,
                    award_paid=Decimal(
                        {"province": 2_000_000, "region": 5_000_000, "national": 10_000_000}[level]
                    ),
                )
            )
        levels.append(chain)
    # Each level points at the certificate it entered with: save level by level.
    for depth in range(3):
        rows = [chain[depth] for chain in levels]
        if depth:
            for chain in levels:
                chain[depth].parent = chain[depth - 1]
        TypicalProduct.objects.bulk_create(rows)
    return len(levels)


def _products_2025(rng: random.Random, today: D) -> None:
    """A recent Thái Nguyên round: valid certificates, a refusal, a candidate to decide."""
    unit = Province.objects.get(map_version=ProvinceMap.NEW_34, code="19")
    round_ = SelectionRound.objects.create(
        level=ProductLevel.PROVINCE,
        year=2025,
        province=unit,
        title="Bình chọn sản phẩm công nghiệp nông thôn tiêu biểu tỉnh Thái Nguyên năm 2025",
        decision_number="2215/QĐ-UBND",
        decision_date=D(2025, 10, 20),
    )
    producers = list(
        Establishment.objects.filter(province__successor=unit, sector__code__in=["a", "dd"])
        .select_related("sector")
        .order_by("pk")[:6]
    )
    names = [
        "Chè Tân Cương",
        "Miến dong",
        "Chè búp tím",
        "Mật ong hoa nhãn",
        "Bộ giỏ mây",
        "Gạo nếp",
    ]
    rows = []
    for index, producer in enumerate(producers):
        group = ProductGroup.FOOD if producer.sector.code == "a" else ProductGroup.HANDICRAFT
        fields = {
            "round": round_,
            "name": f"{names[index]} {producer.name.split()[-1]}",
            "group": group,
            "producer": producer,
        }
        if index < 4:
            issued = round_.decision_date
            valid_until = certificate_valid_until(issued)
            fields |= {
                "status": _status(valid_until, today),
                "score": Decimal(rng.randint(7100, 9000)) / 100,
                "decision_number": round_.decision_number,
                "decision_date": issued,
                "certificate_number": f"TN-{index + 1:02d}/2025",
                "certificate_date": issued,
                "valid_until": valid_until,
            }
        elif index == 4:
            fields |= {"status": Status.NOT_CERTIFIED, "score": Decimal("64.50")}
        rows.append(_product(**fields))
    TypicalProduct.objects.bulk_create(rows)


def _clusters_and_dossiers(rng: random.Random) -> int:
    schemes_by_unit: dict[int, list[Scheme]] = {}
    for scheme in Scheme.objects.filter(
        plan_year__in=[2018, 2019], content_areas__code__in=CLUSTER_AREAS
    ).select_related("province"):
        schemes_by_unit.setdefault(scheme.province.successor_id, []).append(scheme)
    clusters = []
    dossiers = []
    for number, code in enumerate(DOSSIER_PROVINCES):
        province = Province.objects.get(map_version=ProvinceMap.OLD_63, code=code)
        own = []
        for word in rng.sample(CLUSTER_WORDS, rng.randint(2, 3)):
            planned = Decimal(rng.randint(300, 750)) / 10
            leasable = (planned * Decimal("0.7")).quantize(Decimal("0.01"))
            leased = (leasable * Decimal(rng.randint(20, 95)) / 100).quantize(Decimal("0.01"))
            cluster = IndustrialCluster(
                name=f"Cụm công nghiệp {word}",
                province=province,
                commune=f"xã {word}",
                decision_number=f"{rng.randint(100, 4000)}/QĐ-UBND",
                decision_date=D(rng.randint(2010, 2018), rng.randint(1, 12), rng.randint(1, 28)),
                planned_area=planned,
                leasable_area=leasable,
                leased_area=leased,
                developer=f"Công ty Cổ phần Đầu tư hạ tầng {word}",
                investment=Decimal(rng.randint(80, 450)) * 1_000_000_000,
                firms=rng.randint(3, 40),
                workers=rng.randint(200, 4000),
                wastewater=rng.choice(list(IndustrialCluster.Wastewater.values)),
            )
            cluster.refresh_search_text()
            own.append(cluster)
        clusters.append((province, own))
        submitted = D(2019, 2, 18) + datetime.timedelta(days=number * 21)
        received = submitted + datetime.timedelta(days=rng.randint(3, 8))
        appraised = received + datetime.timedelta(days=rng.randint(20, 40))
        dossiers.append(
            ClusterPlanDossier(
                province=province,
                year=2019,
                title=f"Phương án phát triển cụm công nghiệp tỉnh {province.short_name}",
                status=ClusterPlanDossier.Status.AGREED,
                submitted_on=submitted,
                received_on=received,
                appraised_on=appraised,
                decided_on=appraised + datetime.timedelta(days=rng.randint(5, 15)),
                agency_opinion="Thống nhất với phương án; tỉnh hoàn thiện theo ý kiến thẩm định.",
            )
        )
    # Thái Nguyên, the demo's province user, keeps two clusters without a 2019 dossier.
    thai_nguyen = Province.objects.get(map_version=ProvinceMap.OLD_63, code="19")
    local = [
        IndustrialCluster(
            name=name,
            province=thai_nguyen,
            commune=commune,
            planned_area=Decimal(planned),
            leasable_area=Decimal(leasable),
            leased_area=Decimal(leased),
            developer="Công ty Cổ phần Đầu tư và Phát triển hạ tầng Thái Nguyên",
            investment=Decimal(investment) * 1_000_000_000,
            firms=firms,
            workers=workers,
            wastewater=wastewater,
        )
        for name, commune, planned, leasable, leased, investment, firms, workers, wastewater in (
            (
                "Cụm công nghiệp Sơn Cẩm 1",
                "xã Sơn Cẩm",
                "48.50",
                "36.20",
                "31.10",
                210,
                18,
                1650,
                "operating",
            ),
            (
                "Cụm công nghiệp Điềm Thụy",
                "xã Điềm Thụy",
                "65.00",
                "46.80",
                "19.40",
                320,
                9,
                940,
                "building",
            ),
        )
    ]
    for cluster in local:
        cluster.refresh_search_text()
    IndustrialCluster.objects.bulk_create([c for _p, own in clusters for c in own] + local)
    for cluster, scheme in zip(
        local, schemes_by_unit.get(thai_nguyen.successor_id, []), strict=False
    ):
        cluster.schemes.add(scheme)
    ClusterPlanDossier.objects.bulk_create(dossiers)
    for dossier, (province, own) in zip(dossiers, clusters, strict=True):
        dossier.clusters.set(own)
        for cluster, scheme in zip(
            own, schemes_by_unit.get(province.successor_id, []), strict=False
        ):
            cluster.schemes.add(scheme)
    return len(dossiers)


def _events(rng: random.Random, today: D) -> None:
    agency = Organisation.objects.get(kind=Organisation.Kind.AGENCY)
    ipc1 = Organisation.objects.get(kind=Organisation.Kind.REGIONAL_CENTRE, short_name="IPC1")
    old = {p.code: p for p in Province.objects.filter(map_version=ProvinceMap.OLD_63)}
    regions = {r.code: r for r in Region.objects.all()}

    def scheme_in(year: int, province: Province | None) -> Scheme | None:
        schemes = Scheme.objects.filter(plan_year=year, fund=Fund.NATIONAL)
        if province is not None:
            schemes = schemes.filter(province__successor_id=province.successor_id)
        return schemes.order_by("code").first()

    fair = PromotionEvent(
        kind=PromotionEvent.Kind.NATIONAL_FAIR,
        name="Hội chợ triển lãm sản phẩm công nghiệp nông thôn tiêu biểu toàn quốc năm 2019",
        starts_on=D(2019, 12, 18),
        ends_on=D(2019, 12, 22),
        place="Trung tâm Hội chợ Triển lãm, Hà Nội",
        host_province=old["01"],
        organiser=agency,
        scheme=scheme_in(2019, old["01"]),
        booths=220,
        description="Trưng bày 110 sản phẩm được công nhận cấp quốc gia năm 2019.",
    )
    conferences = [
        PromotionEvent(
            kind=PromotionEvent.Kind.CONFERENCE,
            name=f"Hội nghị khuyến công {label} năm 2020",
            starts_on=start,
            ends_on=start + datetime.timedelta(days=1),
            place=f"Trung tâm hội nghị tỉnh {old[code].short_name}",
            host_province=old[code],
            region=regions[region],
            organiser=ipc1 if region == "north" else agency,
            scheme=scheme_in(2020, old[code]),
            description="Tổng kết công tác khuyến công, triển khai kế hoạch khuyến công vùng.",
        )
        for label, code, region, start in (
            ("khu vực phía Bắc", "19", "north", D(2020, 7, 9)),
            ("khu vực miền Trung – Tây Nguyên", "44", "centre", D(2020, 7, 23)),
            ("khu vực phía Nam", "86", "south", D(2020, 8, 6)),
        )
    ]
    first_of_month = today.replace(day=1)
    current = PromotionEvent(
        kind=PromotionEvent.Kind.REGIONAL_FAIR,
        name=f"Hội chợ sản phẩm công nghiệp nông thôn tiêu biểu khu vực phía Bắc {today.year}",
        starts_on=first_of_month + datetime.timedelta(days=9),
        ends_on=first_of_month + datetime.timedelta(days=13),
        place="Quảng trường 20/8, Thái Nguyên",
        host_province=Province.objects.get(map_version=ProvinceMap.NEW_34, code="19"),
        region=regions["north"],
        organiser=ipc1,
        booths=120,
    )
    events = [fair, *conferences, current]
    for event in events:
        event.refresh_search_text()
    PromotionEvent.objects.bulk_create(events)
    certified = list(
        TypicalProduct.objects.filter(round__level=ProductLevel.NATIONAL, round__year=2019)
        .values_list("producer_id", flat=True)
        .order_by("pk")
    )
    EventParticipant.objects.bulk_create(
        EventParticipant(
            event=fair,
            establishment_id=producer_id,
            booths=1 + (rng.random() < 0.2),
            support=Decimal(12_000_000),
        )
        for producer_id in certified[:80]
    )


def seed_registers(*, today: D) -> dict[str, int]:
    """Write the registers' demo data once; {} when it is already there."""
    if SelectionRound.objects.filter(level=ProductLevel.NATIONAL, year=2019).exists():
        return {}
    rng = random.Random(SEED)  # noqa: S311 (demo data, not secrets)
    national = _products_2019(rng, today)
    _products_2025(rng, today)
    dossiers = _clusters_and_dossiers(rng)
    _events(rng, today)
    return {
        "national_products": national,
        "dossiers": dossiers,
        "clusters": IndustrialCluster.objects.count(),
        "events": PromotionEvent.objects.aggregate(n=Count("pk"))["n"],
    }
