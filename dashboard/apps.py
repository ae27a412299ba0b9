from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DashboardConfig(AppConfig):
    name = "dashboard"
    verbose_name = _("Tổng quan")

    def ready(self) -> None:
        from budgets.models import Allocation, AnnualPlan, Contract, Disbursement, PlanBatch
        from dashboard.cache import connect
        from projects.models import Scheme, SchemeStatusChange

        connect(
            [AnnualPlan, PlanBatch, Allocation, Contract, Disbursement, Scheme, SchemeStatusChange]
        )
