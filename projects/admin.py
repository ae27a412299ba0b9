from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from core.admin import (
    FoldedSearchAdminMixin,
    ReadOnlyAdmin,
    ReadOnlyInline,
    money_column,
    year_column,
)
from projects.models import Scheme, SchemeStatusChange

# The budgets app depends on this one, not the other way round: its Allocation model is reached
# through the reverse relation, as SchemeQuerySet.with_money() does.
Allocation = Scheme._meta.get_field("allocations").related_model


class AllocationInline(ReadOnlyInline):
    """The support approved for the scheme, one row per annual plan. Amounts are changed on
    the allocation's own page, which writes them through budgets.services.allocation_set."""

    model = Allocation
    fields = ("plan", "batch", "amount_vnd")
    verbose_name_plural = _("kinh phí được duyệt theo kế hoạch năm")

    amount_vnd = money_column("amount", _("kinh phí hỗ trợ được duyệt"))

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("scheme", "plan", "batch__plan")


class StatusChangeInline(ReadOnlyInline):
    model = SchemeStatusChange
    fields = ("at", "from_status", "to_status", "by", "reason", "decision_number")
    show_change_link = False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("by")


@admin.register(Scheme)
class SchemeAdmin(FoldedSearchAdminMixin, SimpleHistoryAdmin):
    list_display = (
        "code",
        "title",
        "year",
        "fund",
        "province_name",
        "status",
        "approved_vnd",
        "contracted_vnd",
        "disbursed_vnd",
    )
    list_display_links = ("code", "title")
    year = year_column("plan_year", _("năm kế hoạch"))
    list_filter = (
        "plan_year",
        "fund",
        "status",
        "kind",
        "province__map_version",
        "province__region",
        "sector",
    )
    list_select_related = ("province",)
    # A search hits the scheme's code and title, and the name of its province.
    search_fields = ("search_text", "province__search_text")
    autocomplete_fields = (
        "sector",
        "province",
        "implementing_unit",
        "content_areas",
        "coordinating_units",
        "beneficiaries",
    )
    inlines = (AllocationInline, StatusChangeInline)

    approved_vnd = money_column("approved", _("kinh phí được duyệt"))
    contracted_vnd = money_column("contracted", _("đã ký hợp đồng"))
    disbursed_vnd = money_column("disbursed", _("đã giải ngân"))

    def get_queryset(self, request):
        # One correlated subquery per sum, in the same query as the rows.
        return super().get_queryset(request).with_money()

    def get_readonly_fields(self, request, obj=None):
        # The status moves only through the workflow (projects/services.py, the approval queue).
        if obj is None:
            return ["status"]
        readonly = [
            "status",
            "approved_vnd",
            "contracted_vnd",
            "disbursed_vnd",
            "created_at",
            "updated_at",
        ]
        if obj is not None and obj.allocations.exists():
            # Its allocations were checked against a plan of this year and fund.
            readonly += ["plan_year", "fund"]
        return readonly

    def get_inlines(self, request, obj):
        return self.inlines if obj is not None else []

    @admin.display(description=_("tỉnh, thành phố"), ordering="province__name")
    def province_name(self, scheme: Scheme) -> str:
        return scheme.province.name


@admin.register(SchemeStatusChange)
class SchemeStatusChangeAdmin(ReadOnlyAdmin):
    """The record of every status change: read only, written by projects/services.py."""

    list_display = ("scheme", "from_status", "to_status", "by", "at", "decision_number")
    list_filter = ("to_status", "from_status")
    list_select_related = ("scheme", "by")
    search_fields = ("scheme__code", "reason", "decision_number")
    date_hierarchy = "at"
