from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _


class BudgetsConfig(AppConfig):
    name = "budgets"
    verbose_name = _("Kế hoạch và giải ngân")

    def ready(self) -> None:
        from budgets import signals, summary_admin  # the models must be loaded first

        summary_admin.register()

        for model, handler in signals.HANDLERS.items():
            uid = f"budgets-money-{model.__name__}"
            post_save.connect(handler, sender=model, dispatch_uid=uid)
            post_delete.connect(handler, sender=model, dispatch_uid=f"{uid}-delete")
