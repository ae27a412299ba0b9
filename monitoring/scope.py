"""What a forecast or a check is about. The dashboard's ProgrammeFilter cannot be imported here
(the dashboard comes after this app), so the pages translate theirs into a Scope."""

import datetime
from dataclasses import dataclass, field

from django.db.models import Q, QuerySet

from budgets.models import Allocation
from projects.models import Scheme
from provinces.models import ProvinceMap


@dataclass(frozen=True)
class Scope:
    """A plan year's schemes, seen on day `on`.

    `approved_by`: allocations count when their batch was decided by then (the dashboard's
    cutoff, so that budgets equal its KPI cards); `condition`: further filters on the scheme,
    prefixed "scheme__" (region, province, content area, sector); `display_map`: the province map
    the rows are grouped on."""

    year: int
    on: datetime.date
    fund: str | None = None
    approved_by: datetime.date | None = None
    condition: Q = field(default_factory=Q)
    display_map: str = ProvinceMap.NEW_34

    @property
    def year_end(self) -> datetime.date:
        return datetime.date(self.year, 12, 31)

    @property
    def decided_by(self) -> datetime.date:
        return self.approved_by or self.on


def allocations_in(scope: Scope, visible: QuerySet[Scheme] | None = None) -> QuerySet[Allocation]:
    """The year's allocations in scope, narrowed to the schemes the user may see."""
    allocations = Allocation.objects.filter(
        scope.condition, plan__year=scope.year, batch__decision_date__lte=scope.decided_by
    ).order_by()
    if scope.fund:
        allocations = allocations.filter(plan__fund=scope.fund)
    if visible is not None:
        allocations = allocations.filter(scheme__in=visible.values("pk"))
    return allocations


def province_prefix(scope: Scope, to_scheme: str = "scheme__") -> str:
    """The path to a scheme's province on the display map: on the 34-unit map old provinces
    count in the unit they merged into; on the 63-unit map records made under the 34-unit map
    stay under their new unit (they cannot be split back)."""
    if scope.display_map == ProvinceMap.NEW_34:
        return f"{to_scheme}province__successor"
    return f"{to_scheme}province"
