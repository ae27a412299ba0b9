"""Reads of the registers for lists, counts and the province page. Each takes a queryset already
scoped by registers.permissions (or a province the caller has authorised)."""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce

from core.money import rate
from projects.models import Scheme
from provinces.models import Province, ProvinceMap
from registers.models import (
    ClusterPlanDossier,
    IndustrialCluster,
    ProductLevel,
    PromotionEvent,
    TypicalProduct,
)

# The content areas that support industrial clusters: NĐ 45/2012 art. 4 item 7, and its
# successor in the 2021–2025 list.
CLUSTER_AREAS = ("nd45-7", "ct2125-4")


def province_path(prefix: str, map_version: str) -> str:
    """The lookup that groups records by province on a map: the old unit itself on the 63 map,
    the unit it merged into on the 34 map."""
    return f"{prefix}__successor" if map_version == ProvinceMap.NEW_34 else prefix


def in_province(prefix: str, province: Province) -> Q:
    """Records of a province: a new unit takes in the old units merged into it."""
    if province.map_version == ProvinceMap.NEW_34:
        return Q(**{f"{prefix}__successor": province})
    return Q(**{prefix: province})


@dataclass(frozen=True)
class CountRow:
    round_id: int
    round_title: str
    level: str
    year: int
    province_code: str
    province_name: str
    certified: int
    entered: int


def product_counts(products: QuerySet[TypicalProduct], *, map_version: str) -> list[CountRow]:
    """Products entered and certified per round and per province (on the map asked for), in
    one query: what the register page and the dashboard show."""
    province = province_path("producer__province", map_version)
    rows = (
        products.order_by()
        .values(
            "round_id",
            "round__title",
            "round__level",
            "round__year",
            f"{province}__code",
            f"{province}__short_name",
        )
        .annotate(
            entered=Count("pk"),
            certified=Count(
                "pk",
                filter=Q(
                    status__in=[TypicalProduct.Status.CERTIFIED, TypicalProduct.Status.EXPIRED]
                ),
            ),
        )
        .order_by("-round__year", "round__level", f"{province}__code")
    )
    return [
        CountRow(
            round_id=row["round_id"],
            round_title=row["round__title"],
            level=row["round__level"],
            year=row["round__year"],
            province_code=row[f"{province}__code"],
            province_name=row[f"{province}__short_name"],
            certified=row["certified"],
            entered=row["entered"],
        )
        for row in rows
    ]


def certified_by_province(
    products: QuerySet[TypicalProduct], *, year: int, map_version: str, level: str | None = None
) -> dict[str, int]:
    """{province code on the map: products certified in the year's rounds}, one query: for a
    choropleth or a ranking on the dashboard."""
    province = province_path("producer__province", map_version)
    scoped = products.certified().filter(round__year=year)
    if level:
        scoped = scoped.filter(round__level=level)
    rows = scoped.order_by().values_list(f"{province}__code").annotate(n=Count("pk"))
    return dict(rows)


def cluster_schemes(cluster: IndustrialCluster) -> QuerySet[Scheme]:
    """The schemes that supported a cluster, with their approved and disbursed money."""
    return cluster.schemes.select_related("province").with_money().order_by("-plan_year", "code")


def schemes_for_clusters(visible: QuerySet[Scheme]) -> QuerySet[Scheme]:
    """Schemes a cluster may be linked to: those in the cluster content area."""
    return (
        visible.filter(content_areas__code__in=CLUSTER_AREAS)
        .select_related("province")
        .distinct()
        .order_by("-plan_year", "code")
    )


# -- The province page ---------------------------------------------------------------------------


@dataclass
class ProvinceSection:
    province: Province
    year: int
    certified_by_level: dict[str, int]
    certified_total: int
    valid_now: int
    products: list[TypicalProduct]
    cluster_count: int
    planned_area: Decimal
    leasable_area: Decimal
    leased_area: Decimal
    clusters_supported: int
    dossiers: list[ClusterPlanDossier]
    events: list[PromotionEvent]
    levels: list[tuple[str, str, int]] = field(default_factory=list)

    @property
    def occupancy(self) -> Decimal | None:
        return rate(self.leased_area, self.leasable_area)


SECTION_PRODUCTS = 8


def province_section(province: Province, year: int, *, today: datetime.date) -> ProvinceSection:
    """The registers of one province (an old unit, or a new unit with the old units merged into
    it) for one year, in six queries whatever the data: products certified that year by level
    and the certificates valid today; the clusters with their areas; the year's planning
    dossiers; the fairs and conferences it hosted that year."""
    products = TypicalProduct.objects.filter(in_province("producer__province", province))
    by_level = dict(
        products.certified()
        .filter(round__year=year)
        .order_by()
        .values_list("round__level")
        .annotate(n=Count("pk"))
    )
    valid_now = products.valid_on(today).count()
    listed = list(
        products.certified()
        .filter(round__year=year)
        .select_related("round", "producer")
        .order_by("-round__level", "name")[:SECTION_PRODUCTS]
    )
    links = IndustrialCluster.schemes.through.objects.filter(industrialcluster_id=OuterRef("pk"))
    clusters = (
        IndustrialCluster.objects.filter(in_province("province", province))
        # Exists, not a join: a join with the schemes would count each area once per scheme.
        .annotate(supported=Exists(links))
        .aggregate(
            count=Count("pk", distinct=True),
            planned=Coalesce(Sum("planned_area"), Value(Decimal(0))),
            leasable=Coalesce(Sum("leasable_area"), Value(Decimal(0))),
            leased=Coalesce(Sum("leased_area"), Value(Decimal(0))),
            supported_count=Count("pk", filter=Q(supported=True)),
        )
    )
    dossiers = list(
        ClusterPlanDossier.objects.filter(in_province("province", province), year=year).order_by(
            "submitted_on", "pk"
        )
    )
    events = list(
        PromotionEvent.objects.filter(in_province("host_province", province))
        .in_year(year)
        .order_by("starts_on", "pk")
    )
    return ProvinceSection(
        province=province,
        year=year,
        certified_by_level=by_level,
        certified_total=sum(by_level.values()),
        valid_now=valid_now,
        products=listed,
        cluster_count=clusters["count"],
        planned_area=clusters["planned"],
        leasable_area=clusters["leasable"],
        leased_area=clusters["leased"],
        clusters_supported=clusters["supported_count"],
        dossiers=dossiers,
        events=events,
        levels=[(level, label, by_level.get(level, 0)) for level, label in ProductLevel.choices],
    )
