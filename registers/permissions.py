"""The one doorway for "may this user see or change it?" in the registers. Province scoping
comes from projects.permissions.provinces_visible_to, as for schemes.

Who does what:
- the agency (ministry staff and approvers) sees and changes everything, certifies products and
  appraises cluster planning dossiers;
- a province user registers its province's products, keeps its clusters, sends its planning
  dossiers and keeps the events its province hosts;
- regional-centre staff read the records of the provinces their centre covers.
Fairs and conferences are national events: every signed-in user sees all of them."""

from django.db.models import QuerySet

from accounts.models import Role, User
from projects.permissions import provinces_visible_to
from registers.models import (
    ClusterPlanDossier,
    IndustrialCluster,
    PromotionEvent,
    TypicalProduct,
)


def is_agency(user: User) -> bool:
    return user.is_authenticated and (
        user.is_superuser or user.role in {Role.MINISTRY, Role.APPROVER}
    )


def is_province_user(user: User) -> bool:
    return user.is_authenticated and user.role == Role.PROVINCE and user.province_id is not None


def may_edit_registers(user: User) -> bool:
    """Whether the user edits any register at all (the others only read)."""
    return is_agency(user) or is_province_user(user)


def products_visible_to(user: User) -> QuerySet[TypicalProduct]:
    if not user.is_authenticated:
        return TypicalProduct.objects.none()
    if user.sees_everything:
        return TypicalProduct.objects.all()
    return TypicalProduct.objects.filter(producer__province__in=provinces_visible_to(user))


def products_editable_by(user: User) -> QuerySet[TypicalProduct]:
    """Products whose registration the user may change: its province's, while not decided."""
    if is_province_user(user):
        return TypicalProduct.objects.filter(
            producer__province__successor_id=user.province_id,
            status=TypicalProduct.Status.REGISTERED,
        )
    return TypicalProduct.objects.none()


def clusters_visible_to(user: User) -> QuerySet[IndustrialCluster]:
    if not user.is_authenticated:
        return IndustrialCluster.objects.none()
    if user.sees_everything:
        return IndustrialCluster.objects.all()
    return IndustrialCluster.objects.filter(province__in=provinces_visible_to(user))


def clusters_editable_by(user: User) -> QuerySet[IndustrialCluster]:
    if is_agency(user):
        return IndustrialCluster.objects.all()
    if is_province_user(user):
        return IndustrialCluster.objects.filter(province__successor_id=user.province_id)
    return IndustrialCluster.objects.none()


def dossiers_visible_to(user: User) -> QuerySet[ClusterPlanDossier]:
    if not user.is_authenticated:
        return ClusterPlanDossier.objects.none()
    if user.sees_everything:
        return ClusterPlanDossier.objects.all()
    return ClusterPlanDossier.objects.filter(province__in=provinces_visible_to(user))


def events_visible_to(user: User) -> QuerySet[PromotionEvent]:
    if not user.is_authenticated:
        return PromotionEvent.objects.none()
    return PromotionEvent.objects.all()


def events_editable_by(user: User) -> QuerySet[PromotionEvent]:
    if is_agency(user):
        return PromotionEvent.objects.all()
    if is_province_user(user):
        return PromotionEvent.objects.filter(host_province__successor_id=user.province_id)
    return PromotionEvent.objects.none()
