from django.contrib import admin

from exports.models import ExportJob


@admin.register(ExportJob)
class ExportJobAdmin(admin.ModelAdmin):
    """Read-only: administrators see who exported what, and when; files are deleted on schedule."""

    list_display = ("pk", "user", "table", "file_format", "status", "row_count", "created_at")
    list_filter = ("status", "table", "file_format")
    search_fields = ("user__username",)
    readonly_fields = [field.name for field in ExportJob._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
