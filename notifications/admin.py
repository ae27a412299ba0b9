from django.contrib import admin

from notifications.models import Notification


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    """Read only: rows are written by notifications/services.py."""

    list_display = ("subject", "recipient", "created_at", "read_at", "emailed_at")
    list_filter = ("read_at", "emailed_at")
    list_select_related = ("recipient",)
    search_fields = ("subject", "recipient__username")
    date_hierarchy = "created_at"

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
