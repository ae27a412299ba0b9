from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ImportsConfig(AppConfig):
    """Spreadsheets of schemes, beneficiaries, contracts and ledger entries brought in by the
    provinces and the agency: checked row by row, written all or nothing, recorded, undoable."""

    name = "imports"
    verbose_name = _("Nhập dữ liệu từ bảng tính")

    def ready(self) -> None:
        from imports.kinds import load

        load()
