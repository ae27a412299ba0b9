"""Who may import, which rows, and whose imports a user sees: the one doorway for the imports
app. The ministry's staff and the administrators import for every province; a province's
officials only the rows of their own province (old provinces merged into it included); the
other roles do not import."""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from accounts.models import Role, User
from imports.models import ImportBatch
from provinces.models import Province


@dataclass(frozen=True)
class ImportScope:
    everything: bool = False
    province_id: int | None = None

    @property
    def nothing(self) -> bool:
        return not self.everything and self.province_id is None

    def allows(self, province: Province) -> bool:
        """Whether rows of this province (either map; its successor loaded) may be imported."""
        return self.everything or province.successor_id == self.province_id


def import_scope(user: User) -> ImportScope:
    if not user.is_authenticated:
        return ImportScope()
    if user.is_superuser or user.role in {Role.ADMIN, Role.MINISTRY}:
        return ImportScope(everything=True)
    if user.role == Role.PROVINCE and user.province_id:
        return ImportScope(province_id=user.province_id)
    return ImportScope()


def may_import(user: User) -> None:
    if import_scope(user).nothing:
        raise PermissionDenied(
            _("Chỉ cán bộ Bộ Công Thương, quản trị hệ thống và cán bộ tỉnh được nhập dữ liệu.")
        )


def batches_visible_to(user: User) -> QuerySet[ImportBatch]:
    """The ministry and the administrators see every import; the others their own."""
    scope = import_scope(user)
    if scope.nothing:
        return ImportBatch.objects.none()
    if scope.everything:
        return ImportBatch.objects.all()
    return ImportBatch.objects.filter(user=user)
