"""The registers in the admin: reference rows (selection rounds) are edited here; products,
clusters, dossiers and events are read here and changed through the app's pages and services,
except for corrections of plain facts, which keep their history."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from core.admin import FoldedSearchAdminMixin, ReadOnlyInline, money_column, year_column
from registers.models import (
    ClusterPlanDossier,
    EventParticipant,
    IndustrialCluster,
    ProductFile,
    PromotionEvent,
    SelectionRound,
    TypicalProduct,
)


@admin.register(SelectionRound)
class SelectionRoundAdmin(SimpleHistoryAdmin):
    list_display = ("title", "level", "round_year", "province", "region", "decision_number")
    list_filter = ("level", "year", "region")
    list_select_related = ("province", "region")
    search_fields = ("title", "decision_number")
    autocomplete_fields = ("province",)
    round_year = year_column("year", _("năm"))


class ProductFileInline(ReadOnlyInline):
    model = ProductFile
    fields = ("kind", "original_name", "content_type", "size", "uploaded_by", "uploaded_at")
    show_change_link = False


@admin.register(TypicalProduct)
class TypicalProductAdmin(FoldedSearchAdminMixin, SimpleHistoryAdmin):
    """Status and certificates change only through registers/services/products.py (the
    product's page); the admin reads them."""

    list_display = (
        "name",
        "group",
        "producer",
        "round",
        "score",
        "certificate_number",
        "valid_until",
        "status",
        "award_vnd",
    )
    list_filter = ("status", "group", "round__level", "round__year")
    list_select_related = ("producer", "round")
    search_fields = ("search_text", "producer__search_text")
    readonly_fields = [
        field.name for field in TypicalProduct._meta.fields if field.name != "search_text"
    ]
    exclude = ("search_text",)
    inlines = [ProductFileInline]
    award_vnd = money_column("award_paid", _("tiền thưởng đã chi"))

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(IndustrialCluster)
class IndustrialClusterAdmin(FoldedSearchAdminMixin, SimpleHistoryAdmin):
    list_display = (
        "name",
        "province",
        "planned_area",
        "leasable_area",
        "leased_area",
        "firms",
        "wastewater",
    )
    list_filter = ("wastewater", "province__region", "province__map_version")
    list_select_related = ("province",)
    search_fields = ("search_text", "province__search_text")
    autocomplete_fields = ("province",)
    filter_horizontal = ("schemes",)
    exclude = ("search_text",)


@admin.register(ClusterPlanDossier)
class ClusterPlanDossierAdmin(SimpleHistoryAdmin):
    """Moves go through registers/services/clusters.py (the dossier's page)."""

    list_display = (
        "title",
        "province",
        "dossier_year",
        "status",
        "submitted_on",
        "received_on",
        "appraised_on",
        "decided_on",
    )
    list_filter = ("status", "year")
    list_select_related = ("province",)
    search_fields = ("title",)
    dossier_year = year_column("year", _("năm"))
    readonly_fields = (
        "status",
        "submitted_on",
        "received_on",
        "appraised_on",
        "decided_on",
        "submitted_by",
    )


class ParticipantInline(admin.TabularInline):
    model = EventParticipant
    extra = 0
    autocomplete_fields = ("establishment",)


@admin.register(PromotionEvent)
class PromotionEventAdmin(FoldedSearchAdminMixin, SimpleHistoryAdmin):
    list_display = ("name", "kind", "starts_on", "ends_on", "host_province", "region", "booths")
    list_filter = ("kind", "region")
    list_select_related = ("host_province", "region")
    search_fields = ("search_text",)
    autocomplete_fields = ("host_province", "scheme", "organiser")
    exclude = ("search_text",)
    inlines = [ParticipantInline]


@admin.register(ProductFile)
class ProductFileAdmin(SimpleHistoryAdmin):
    """Files are added through the product's page, which checks their content."""

    list_display = ("original_name", "product", "kind", "content_type", "size", "uploaded_at")
    list_filter = ("kind", "content_type")
    list_select_related = ("product",)
    search_fields = ("original_name", "product__name")
    readonly_fields = [field.name for field in ProductFile._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(EventParticipant)
class EventParticipantAdmin(SimpleHistoryAdmin):
    list_display = ("establishment", "event", "booths", "support_vnd")
    list_select_related = ("establishment", "event")
    search_fields = ("establishment__name", "event__name")
    autocomplete_fields = ("establishment", "event")
    support_vnd = money_column("support", _("kinh phí hỗ trợ"))
