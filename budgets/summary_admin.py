"""The summary table and the per-year rollup in the admin panel: to look at, never to edit
(they are derived from the ledger; `manage.py rebuild_money_summary` recomputes both).
Registered from budgets.apps."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from budgets.rollup import YearRollup
from budgets.summary import AllocationMoney
from core.admin import ReadOnlyAdmin
from projects.models import Fund


class AllocationMoneyAdmin(ReadOnlyAdmin):
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


class YearRollupAdmin(ReadOnlyAdmin):
    list_display = (
        "plan_year",
        "fund_label",
        "province",
        "budget",
        "schemes_approved",
        "schemes_contracted",
        "disbursed",
        "schemes_disbursed",
    )
    list_filter = ("plan_year", "fund")
    list_select_related = ("province",)
    ordering = ("-plan_year", "fund", "province__code")

    @admin.display(description=_("nguồn kinh phí"), ordering="fund")
    def fund_label(self, rollup: YearRollup) -> str:
        return str(Fund(rollup.fund).label) if rollup.fund else str(_("Cả hai nguồn"))


def register() -> None:
    if not admin.site.is_registered(AllocationMoney):
        admin.site.register(AllocationMoney, AllocationMoneyAdmin)
    if not admin.site.is_registered(YearRollup):
        admin.site.register(YearRollup, YearRollupAdmin)
