"""The one doorway for "may this user see it?": every view, export and API reading schemes
starts from these querysets, so province scoping lives here and nowhere else."""

from django.db.models import Q, QuerySet

from accounts.models import Role, User
from projects.models import Scheme
from provinces.models import Province


def provinces_visible_to(user: User) -> QuerySet[Province]:
    """The provincial units (both maps) whose records the user may see."""
    if not user.is_authenticated:
        return Province.objects.none()
    if user.sees_everything:
        return Province.objects.all()
    if user.role == Role.PROVINCE and user.province_id:
        # A post-2025 unit, and the old provinces merged into it.
        return Province.objects.filter(successor_id=user.province_id)
    if user.role == Role.REGIONAL and user.organisation_id:
        covered = Province.objects.filter(regional_centres=user.organisation_id)
        return Province.objects.filter(successor__in=covered.values("successor"))
    return Province.objects.none()


def schemes_visible_to(user: User) -> QuerySet[Scheme]:
    """Ministry staff, approvers and administrators see every scheme; a province user the
    schemes of its unit (and of the old provinces merged into it); regional-centre staff those
    of the provinces their centre covers and the centre's own."""
    if not user.is_authenticated:
        return Scheme.objects.none()
    if user.sees_everything:
        return Scheme.objects.all()
    own = Q(province__in=provinces_visible_to(user))
    if user.role == Role.REGIONAL and user.organisation_id:
        own |= Q(implementing_unit_id=user.organisation_id)
    return Scheme.objects.filter(own)


def schemes_prepared_by(user: User) -> QuerySet[Scheme]:
    """The schemes the user's unit prepares: prepares() for a whole queryset."""
    if not user.is_authenticated:
        return Scheme.objects.none()
    if user.role == Role.PROVINCE and user.province_id:
        own = Q(province__successor_id=user.province_id)
    elif user.role == Role.REGIONAL and user.organisation_id:
        own = Q(implementing_unit_id=user.organisation_id)
    else:
        return Scheme.objects.none()
    return schemes_visible_to(user).filter(own)


def prepares(user: User, scheme: Scheme) -> bool:
    """Whether the user's unit prepares the scheme (and so submits, withdraws and edits it): the
    province it belongs to (old provinces merged into the user's unit included), or the regional
    centre that implements it."""
    if not user.is_authenticated:
        return False
    if user.role == Role.PROVINCE and user.province_id:
        return scheme.province.successor_id == user.province_id
    if user.role == Role.REGIONAL and user.organisation_id:
        return scheme.implementing_unit_id == user.organisation_id
    return False
