from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from core.admin import FoldedSearchAdminMixin
from establishments.models import Establishment


@admin.register(Establishment)
class EstablishmentAdmin(FoldedSearchAdminMixin, SimpleHistoryAdmin):
    list_display = (
        "name",
        "registration_code",
        "legal_form",
        "size",
        "province_name",
        "sector",
        "workers",
        "owned_by_woman",
        "owned_by_ethnic_minority",
        "is_public",
    )
    list_filter = (
        "legal_form",
        "size",
        "province__map_version",
        "province__region",
        "sector",
        "owned_by_woman",
        "owned_by_ethnic_minority",
        "is_public",
    )
    list_select_related = ("province", "sector")
    search_fields = ("search_text", "province__search_text")
    autocomplete_fields = ("province", "sector")
    readonly_fields = ("created_at", "updated_at")

    @admin.display(description=_("tỉnh, thành phố"), ordering="province__name")
    def province_name(self, establishment: Establishment) -> str:
        return establishment.province.name
