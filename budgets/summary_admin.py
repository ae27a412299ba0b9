"""The summary table in the admin panel: to look at, never to edit (it is derived from the
ledger; `manage.py rebuild_money_summary` recomputes it). Registered from budgets.apps."""

from django.contrib import admin

from budgets.summary import AllocationMoney


class AllocationMoneyAdmin(admin.ModelAdmin):
    list_display = (
        "allocation",
        "scheme",
        "plan_year",
        "fund",
        "approved",
        "contracted",
        "disbursed",
        "disbursed_year_end",
        "last_paid_on",
    )
    list_filter = ("plan_year", "fund")
    list_select_related = ("allocation__plan", "allocation__scheme", "scheme")
    search_fields = ("scheme__code",)
    ordering = ("-plan_year", "scheme__code")

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


def register() -> None:
    if not admin.site.is_registered(AllocationMoney):
        admin.site.register(AllocationMoney, AllocationMoneyAdmin)
