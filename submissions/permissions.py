"""Who may do what with a scheme's dossier. Seeing a scheme is decided by
projects.permissions.schemes_visible_to (the one doorway); this module adds who may prepare it:
the province that owns it, or the regional centre that implements it, and only while it is a
draft or has been returned for changes."""

from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from accounts.models import Role, User
from projects.models import Scheme
from projects.permissions import prepares, schemes_prepared_by

PORTAL_ROLES = frozenset({Role.PROVINCE, Role.REGIONAL})
EDITABLE = frozenset({Scheme.Status.DRAFT, Scheme.Status.RETURNED})


@dataclass(frozen=True)
class Decision:
    allowed: bool
    reason: str = ""

    def __bool__(self) -> bool:
        return self.allowed


def uses_portal(user: User) -> bool:
    """Province and regional-centre staff prepare and submit schemes here."""
    return user.is_authenticated and user.role in PORTAL_ROLES


def schemes_owned_by(user: User) -> QuerySet[Scheme]:
    """The schemes whose dossier the user prepares: a province user's province (old provinces
    merged into it included), a regional user's centre's own schemes."""
    if not uses_portal(user):
        return Scheme.objects.none()
    return schemes_prepared_by(user)


def owns(user: User, scheme: Scheme) -> bool:
    return uses_portal(user) and prepares(user, scheme)


def can_edit_dossier(user: User, scheme: Scheme) -> Decision:
    """May the user change the scheme's facts, cost lines and files now?"""
    if not owns(user, scheme):
        return Decision(False, _("Chỉ đơn vị lập đề án mới được sửa hồ sơ."))
    if scheme.status not in EDITABLE:
        return Decision(
            False,
            _(
                "Đề án %(code)s đang ở trạng thái “%(status)s”: hồ sơ chỉ sửa được khi còn là "
                "nháp hoặc bị trả lại để chỉnh sửa."
            )
            % {"code": scheme.code, "status": Scheme.Status(scheme.status).label},
        )
    return Decision(True)
