"""Filters of the register lists. Every list can be read on either province map: `map` (63 or
34) says which, and `province` is a GSO code on that map (a new unit takes in the old units
merged into it)."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.text import fold
from provinces.models import Province, ProvinceMap, Region
from registers.models import (
    ClusterPlanDossier,
    IndustrialCluster,
    ProductGroup,
    ProductLevel,
    PromotionEvent,
    TypicalProduct,
)
from registers.selectors import in_province

ALL = _("Tất cả")


class MapFilterSet(django_filters.FilterSet):
    """Province (on the map chosen), region and a diacritic-free search."""

    PROVINCE_PREFIX = "province"
    SEARCH_PATHS: tuple[str, ...] = ("search_text",)

    map = django_filters.ChoiceFilter(
        label=_("Bản đồ tỉnh"),
        # The current map first: it is the one used when none is asked for.
        choices=[(value, label) for value, label in reversed(ProvinceMap.choices)],
        method="keep",
        empty_label=None,
    )
    province = django_filters.CharFilter(label=_("Tỉnh, thành"), method="filter_province")
    region = django_filters.ModelChoiceFilter(
        label=_("Vùng"),
        queryset=Region.objects.all(),
        to_field_name="code",
        method="filter_region",
        empty_label=_("Cả nước"),
    )
    q = django_filters.CharFilter(label=_("Tìm kiếm"), method="filter_q")

    def __init__(self, data=None, queryset=None, *, province_scope=None, **kwargs):
        super().__init__(data, queryset, **kwargs)
        wanted = (data or {}).get("map")
        map_version = wanted if wanted in ProvinceMap.values else ProvinceMap.NEW_34
        scope = Province.objects.all() if province_scope is None else province_scope
        provinces = sorted(scope.on_map(map_version), key=lambda p: fold(p.short_name))
        self.filters["province"].extra["widget"] = forms.Select(
            choices=[("", _("Tất cả")), *((p.code, p.short_name) for p in provinces)]
        )

    @property
    def map_version(self) -> str:
        chosen = self.form.cleaned_data.get("map") if self.form.is_valid() else None
        return chosen or ProvinceMap.NEW_34

    def keep(self, queryset, name, value):
        return queryset

    def chosen_province(self) -> Province | None:
        code = self.form.cleaned_data.get("province") if self.form.is_valid() else None
        if not code:
            return None
        return Province.objects.filter(map_version=self.map_version, code=code).first()

    def filter_province(self, queryset, name, value):
        province = self.chosen_province()
        if province is None:
            return queryset.none()
        return queryset.filter(in_province(self.PROVINCE_PREFIX, province))

    def filter_region(self, queryset, name, value):
        return queryset.filter(**{f"{self.PROVINCE_PREFIX}__region": value})

    def filter_q(self, queryset, name, value):
        for word in fold(value).split():
            match = Q()
            for path in self.SEARCH_PATHS:
                match |= Q(**{f"{path}__icontains": word})
            queryset = queryset.filter(match)
        return queryset


class ProductFilter(MapFilterSet):
    PROVINCE_PREFIX = "producer__province"
    SEARCH_PATHS = ("search_text", "producer__search_text")

    level = django_filters.ChoiceFilter(
        label=_("Cấp"), field_name="round__level", choices=ProductLevel.choices, empty_label=ALL
    )
    year = django_filters.NumberFilter(label=_("Năm"), field_name="round__year")
    group = django_filters.ChoiceFilter(label=_("Nhóm"), choices=ProductGroup.choices)
    status = django_filters.ChoiceFilter(
        label=_("Trạng thái"), choices=TypicalProduct.Status.choices
    )

    class Meta:
        model = TypicalProduct
        fields = ()


class CatalogueFilter(ProductFilter):
    """The public catalogue: no status filter (it lists certificates granted), and search by
    product name only (a producer's name is published only when it agreed)."""

    SEARCH_PATHS = ("search_text",)
    status = None

    class Meta:
        model = TypicalProduct
        fields = ()


class ClusterFilter(MapFilterSet):
    SEARCH_PATHS = ("search_text",)

    wastewater = django_filters.ChoiceFilter(
        label=_("Xử lý nước thải"), choices=IndustrialCluster.Wastewater.choices, empty_label=ALL
    )
    supported = django_filters.ChoiceFilter(
        label=_("Hỗ trợ khuyến công"),
        choices=[("1", _("Đã được hỗ trợ")), ("0", _("Chưa được hỗ trợ"))],
        method="filter_supported",
        empty_label=ALL,
    )

    class Meta:
        model = IndustrialCluster
        fields = ()

    def filter_supported(self, queryset, name, value):
        return (
            queryset.filter(scheme_count__gt=0) if value == "1" else queryset.filter(scheme_count=0)
        )


class DossierFilter(MapFilterSet):
    SEARCH_PATHS = ("title",)

    year = django_filters.NumberFilter(label=_("Năm"))
    status = django_filters.ChoiceFilter(
        label=_("Trạng thái"), choices=ClusterPlanDossier.Status.choices, empty_label=ALL
    )

    class Meta:
        model = ClusterPlanDossier
        fields = ()

    def filter_q(self, queryset, name, value):
        for word in value.split():
            queryset = queryset.filter(title__icontains=word)
        return queryset


class EventFilter(MapFilterSet):
    PROVINCE_PREFIX = "host_province"

    year = django_filters.NumberFilter(label=_("Năm"), method="filter_year")
    kind = django_filters.ChoiceFilter(
        label=_("Loại"), choices=PromotionEvent.Kind.choices, empty_label=ALL
    )

    class Meta:
        model = PromotionEvent
        fields = ()

    def filter_year(self, queryset, name, value):
        return queryset.in_year(int(value))

    def filter_region(self, queryset, name, value):
        # A regional event names its region; a domestic one is in its host's.
        return queryset.filter(
            Q(region=value) | Q(region__isnull=True, host_province__region=value)
        )
