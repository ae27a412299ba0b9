from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from core.admin import FoldedSearchAdminMixin, ReadOnlyInline
from reference.models import ContentArea, ContentAreaList, Sector


class ContentAreaInline(ReadOnlyInline):
    model = ContentArea
    fields = ("number", "short_name", "name", "code")


@admin.register(ContentAreaList)
class ContentAreaListAdmin(SimpleHistoryAdmin):
    list_display = ("name", "code", "legal_basis", "valid_from", "valid_to")
    search_fields = ("name", "code", "legal_basis")
    inlines = (ContentAreaInline,)


@admin.register(ContentArea)
class ContentAreaAdmin(FoldedSearchAdminMixin, SimpleHistoryAdmin):
    list_display = ("number", "short_name", "name", "content_list", "code")
    list_display_links = ("number", "short_name")
    list_filter = ("content_list",)
    list_select_related = ("content_list",)
    search_fields = ("search_text",)


@admin.register(Sector)
class SectorAdmin(FoldedSearchAdminMixin, SimpleHistoryAdmin):
    list_display = ("letter", "short_name", "name", "legal_basis", "valid_from", "valid_to")
    list_display_links = ("letter", "short_name")
    list_filter = ("legal_basis",)
    search_fields = ("search_text",)
