from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from core.admin import EMPTY, FoldedSearchAdminMixin
from provinces.models import Province, Region


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "name_en", "order")
    search_fields = ("name", "code", "name_en")


@admin.register(Province)
class ProvinceAdmin(FoldedSearchAdminMixin, SimpleHistoryAdmin):
    list_display = (
        "name",
        "code",
        "map_version",
        "kind",
        "region",
        "successor_name",
        "valid_from",
        "valid_to",
        "spans_regions",
    )
    list_filter = ("map_version", "region", "kind", "spans_regions")
    list_select_related = ("region", "successor")
    search_fields = ("search_text",)
    autocomplete_fields = ("successor",)

    @admin.display(description=_("đơn vị mới"), ordering="successor__name")
    def successor_name(self, province: Province) -> str:
        return province.successor.name if province.successor else EMPTY
