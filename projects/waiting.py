"""How long schemes wait, in which status and for whom: the delays the ministry chases."""

import datetime
from dataclasses import dataclass

from django.db.models import F, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from accounts.models import Role
from projects import workflow
from projects.models import Scheme, SchemeStatusChange
from projects.permissions import schemes_visible_to

S = Scheme.Status
# Statuses in which a scheme waits for someone's decision before it is approved or closed.
WAITING_STATUSES = (S.SUBMITTED, S.BASE_APPRAISED, S.REGISTERED, S.APPRAISED, S.RETURNED)


def waiting_with(status: str) -> list[str]:
    """The roles (labels) a scheme in this status waits for, from the workflow table."""
    roles = workflow.roles_waited_for(status)
    return [Role(role).label for role in Role.values if role in roles]


def with_waiting_since(schemes: QuerySet[Scheme]) -> QuerySet[Scheme]:
    last_change = (
        SchemeStatusChange.objects.filter(scheme=OuterRef("pk")).order_by("-at").values("at")[:1]
    )
    return schemes.annotate(waiting_since=Coalesce(Subquery(last_change), F("created_at")))


def longest_waits(user, limit: int = 10) -> QuerySet[Scheme]:
    """The schemes visible to the user that have waited longest in a waiting status (one
    query)."""
    return (
        with_waiting_since(schemes_visible_to(user).filter(status__in=WAITING_STATUSES))
        .select_related("province")
        .order_by("waiting_since")[:limit]
    )


@dataclass(frozen=True)
class Stay:
    status: str
    since: datetime.datetime
    until: datetime.datetime | None
    with_whom: list[str]

    @property
    def days(self) -> int:
        return ((self.until or timezone.now()) - self.since).days

    @property
    def status_label(self) -> str:
        return Scheme.Status(self.status).label


def stays(scheme: Scheme) -> list[Stay]:
    """Each status the scheme has been in, from when to when, and whom it waited for (one
    query; the rows of one scheme)."""
    changes = list(scheme.status_changes.order_by("at", "pk"))
    result, since, status = (
        [],
        scheme.created_at,
        changes[0].from_status if changes else scheme.status,
    )
    for change in changes:
        result.append(Stay(status, since, change.at, waiting_with(status)))
        since, status = change.at, change.to_status
    result.append(Stay(status, since, None, waiting_with(status)))
    return result
