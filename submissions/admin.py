"""The dossier rows in the admin: shown, never written here. Cost lines carry money, files
carry checked content and progress reports are judged on time by the date they were filed: all
are written only by submissions/services.py, through the portal."""

from django.contrib import admin
from django.db.models import F
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from core.admin import ReadOnlyAdmin, money_column
from submissions.models import Attachment, Comment, CostLine, ProgressReport


class ReadOnlyHistoryAdmin(ReadOnlyAdmin, SimpleHistoryAdmin):
    def revert_disabled(self, request, obj=None) -> bool:
        return True


@admin.register(CostLine)
class CostLineAdmin(ReadOnlyHistoryAdmin):
    list_display = ("scheme", "order", "item", "support_vnd", "counterpart_vnd")
    list_select_related = ("scheme",)
    search_fields = ("scheme__code", "item")
    fields = ("scheme", "order", "item", "support_vnd", "counterpart_vnd")
    readonly_fields = fields

    support_vnd = money_column("support_amount", _("kinh phí khuyến công hỗ trợ"))
    counterpart_vnd = money_column("counterpart_amount", _("vốn đối ứng"))


@admin.register(Attachment)
class AttachmentAdmin(ReadOnlyHistoryAdmin):
    list_display = ("original_name", "scheme", "kind", "content_type", "size", "uploaded_by")
    list_filter = ("kind", "content_type")
    list_select_related = ("scheme", "uploaded_by")
    search_fields = ("scheme__code", "original_name", "sha256")
    date_hierarchy = "uploaded_at"
    fields = (
        "scheme",
        "kind",
        "label",
        "original_name",
        "download",
        "content_type",
        "size",
        "sha256",
        "stored_path",
        "uploaded_by",
        "uploaded_at",
    )
    readonly_fields = fields

    @admin.display(description=_("tải xuống"))
    def download(self, attachment: Attachment) -> str:
        url = reverse("submissions:attachment-download", args=[attachment.scheme_id, attachment.pk])
        return format_html('<a href="{}">{}</a>', url, attachment.original_name)


@admin.register(Comment)
class CommentAdmin(ReadOnlyAdmin):
    list_display = ("scheme", "author", "created_at", "text")
    list_select_related = ("scheme", "author")
    search_fields = ("scheme__code", "text")
    date_hierarchy = "created_at"
    fields = ("scheme", "author", "created_at", "text")
    readonly_fields = fields


class OnTimeFilter(admin.SimpleListFilter):
    title = _("đúng hạn")
    parameter_name = "on_time"

    def lookups(self, request, model_admin):
        return (("yes", _("Đúng hạn")), ("no", _("Chậm hạn")))

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(submitted_on__lte=F("due_on"))
        if self.value() == "no":
            return queryset.filter(submitted_on__gt=F("due_on"))
        return queryset


@admin.register(ProgressReport)
class ProgressReportAdmin(ReadOnlyHistoryAdmin):
    list_display = (
        "scheme",
        "period",
        "due_on",
        "submitted_on",
        "on_time_flag",
        "percent_complete",
        "spent_vnd",
        "reported_by",
    )
    list_filter = ("period_year", OnTimeFilter, "scheme__province__region")
    list_select_related = ("scheme", "reported_by")
    search_fields = ("scheme__code", "scheme__title", "work_done")
    date_hierarchy = "submitted_on"
    fields = (
        "scheme",
        "period",
        "due_on",
        "submitted_on",
        "on_time_flag",
        "work_done",
        "percent_complete",
        "spent_vnd",
        "reported_by",
        "created_at",
    )
    readonly_fields = fields

    spent_vnd = money_column("amount_spent", _("kinh phí đã chi lũy kế"))

    @admin.display(description=_("kỳ báo cáo"), ordering="period_year")
    def period(self, report: ProgressReport) -> str:
        return report.period_label

    @admin.display(description=_("đúng hạn"), boolean=True)
    def on_time_flag(self, report: ProgressReport) -> bool:
        return report.on_time
