from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from reports.models import ReportDelivery, ReportIssue, ReportSubscription


@admin.register(ReportIssue)
class ReportIssueAdmin(admin.ModelAdmin):
    list_display = ("__str__", "fund", "province_map", "province", "status", "requested_by")
    list_filter = ("kind", "status", "trigger", "fund")
    list_select_related = ("province", "requested_by")
    # Issues are made by the workers from their parameters: read only here.
    readonly_fields = [field.name for field in ReportIssue._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(ReportDelivery)
class ReportDeliveryAdmin(admin.ModelAdmin):
    list_display = ("issue", "recipient", "sent_at")
    list_select_related = ("issue", "recipient")


@admin.register(ReportSubscription)
class ReportSubscriptionAdmin(SimpleHistoryAdmin):
    list_display = ("user", "monthly", "updated_at")
    list_select_related = ("user",)
