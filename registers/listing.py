"""The register lists' filters, built from a query string for a user: one builder per list, used
by the list pages and by their exports (which may run later, in a worker, for the user who
asked). Each starts from the rows the user may see."""

from django.db.models import Max
from django.http import QueryDict
from django.utils import timezone

from projects.permissions import provinces_visible_to
from provinces.models import Province
from registers.filters import (
    CatalogueFilter,
    ClusterFilter,
    DossierFilter,
    EventFilter,
    ProductFilter,
)
from registers.models import TypicalProduct
from registers.permissions import (
    clusters_visible_to,
    dossiers_visible_to,
    events_visible_to,
    products_visible_to,
)


def product_filter(user, params: QueryDict) -> ProductFilter:
    rows = products_visible_to(user).for_table()
    return ProductFilter(params, rows, province_scope=provinces_visible_to(user))


def catalogue_filter(params: QueryDict) -> CatalogueFilter:
    """Public: every certificate granted, whoever asks."""
    return CatalogueFilter(params, TypicalProduct.objects.certified().for_table())


def cluster_filter(user, params: QueryDict) -> ClusterFilter:
    rows = clusters_visible_to(user).for_table()
    return ClusterFilter(params, rows, province_scope=provinces_visible_to(user))


def dossier_filter(user, params: QueryDict) -> DossierFilter:
    rows = dossiers_visible_to(user).select_related("province__successor")
    return DossierFilter(params, rows, province_scope=provinces_visible_to(user))


def event_filter(user, params: QueryDict) -> EventFilter:
    """The year's events: the year asked for, else the latest year with events."""
    data = params.copy()
    visible = events_visible_to(user)
    if not data.get("year"):
        latest = visible.aggregate(last=Max("starts_on"))["last"]
        today = timezone.localdate()
        data["year"] = str(min(latest.year, today.year) if latest else today.year)
    return EventFilter(data, visible.for_table(), province_scope=Province.objects.all())
