"""Aggregates across apps for the dashboard, the reports and the public API. Every figure is
computed by the database from the ledger, in a fixed number of queries whatever the data size."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, F, OuterRef, Q, QuerySet, Subquery, Sum

from budgets.models import Allocation, Contract, Disbursement, money_sum
from core.money import rate
from provinces.models import Province, ProvinceMap, Region, map_on
from reference.models import ContentArea, Sector


@dataclass(frozen=True)
class ProgrammeFilter:
    """Which part of the programme a figure is about. `province` is read on `province_map`:
    on the 34-unit map it takes in the records of the old provinces merged into it."""

    year: int
    fund: str | None = None
    region: Region | None = None
    province: Province | None = None
    province_map: str | None = None
    content_area: ContentArea | None = None
    sector: Sector | None = None
    as_of: datetime.date | None = None

    @property
    def display_map(self) -> str:
        """The province map aggregates are shown on: the one asked for, else the one in force
        at the end of the year."""
        return self.province_map or map_on(datetime.date(self.year, 12, 31))

    @property
    def cutoff(self) -> datetime.date:
        """The day the figures are taken on: by default the year's disbursement deadline."""
        return self.as_of or datetime.date(self.year, 12, 31)

    def scheme_q(self, prefix: str = "scheme__") -> Q:
        q = Q()
        if self.region is not None:
            q &= Q(**{f"{prefix}province__region": self.region})
        if self.province is not None:
            if self.province_map == ProvinceMap.NEW_34:
                q &= Q(**{f"{prefix}province__successor": self.province})
            else:
                q &= Q(**{f"{prefix}province": self.province})
        if self.content_area is not None:
            q &= Q(**{f"{prefix}content_areas": self.content_area})
        if self.sector is not None:
            q &= Q(**{f"{prefix}sector": self.sector})
        return q


@dataclass(frozen=True)
class ProgrammeSummary:
    budget: Decimal
    schemes_approved: int
    schemes_contracted: int
    contracted: Decimal
    disbursed: Decimal
    schemes_disbursed: int

    @property
    def contracted_rate(self) -> Decimal | None:
        """Schemes contracted ÷ schemes approved, in per cent."""
        return rate(self.schemes_contracted, self.schemes_approved)

    @property
    def disbursed_rate(self) -> Decimal | None:
        """Money disbursed ÷ budget approved (not ÷ contracted), in per cent."""
        return rate(self.disbursed, self.budget)


def allocations_for(programme: ProgrammeFilter) -> QuerySet[Allocation]:
    """The approved support of the schemes in the year's plans, as approved by the cutoff."""
    allocations = Allocation.objects.filter(
        programme.scheme_q(),
        plan__year=programme.year,
        batch__decision_date__lte=programme.cutoff,
    )
    if programme.fund:
        allocations = allocations.filter(plan__fund=programme.fund)
    return allocations


def programme_summary(programme: ProgrammeFilter) -> ProgrammeSummary:
    """The headline figures (4 queries): budget approved, schemes approved, schemes contracted,
    money disbursed (advances + payments − refunds) and schemes with disbursement."""
    cutoff = programme.cutoff
    allocations = allocations_for(programme)
    approved = allocations.aggregate(
        budget=money_sum("amount"), schemes=Count("scheme", distinct=True)
    )
    contracts = Contract.objects.filter(allocation__in=allocations, signed_on__lte=cutoff)
    contracted = contracts.aggregate(
        value=money_sum("value"), schemes=Count("allocation__scheme", distinct=True)
    )
    ledger = Disbursement.objects.filter(contract__in=contracts, paid_on__lte=cutoff)
    disbursed = ledger.aggregate(total=money_sum(Disbursement.signed_amount()))["total"]
    schemes_disbursed = (
        ledger.values("contract__allocation__scheme")
        .annotate(net=money_sum(Disbursement.signed_amount()))
        .filter(net__gt=0)
        .count()
    )
    return ProgrammeSummary(
        budget=approved["budget"],
        schemes_approved=approved["schemes"],
        schemes_contracted=contracted["schemes"],
        contracted=contracted["value"],
        disbursed=disbursed,
        schemes_disbursed=schemes_disbursed,
    )


@dataclass(frozen=True)
class YearFigures:
    year: int
    fund: str
    summary: ProgrammeSummary


def programme_by_year(fund: str | None = None) -> list[YearFigures]:
    """The headline figures of every plan year, newest first (4 queries whatever the years),
    each year's disbursement counted up to its own 31 December."""
    allocations = Allocation.objects.all()
    if fund:
        allocations = allocations.filter(plan__fund=fund)
    approved = {
        row["plan__year"]: row
        for row in allocations.values("plan__year").annotate(
            budget=money_sum("amount"), schemes=Count("scheme", distinct=True)
        )
    }
    contracts = Contract.objects.filter(
        allocation__in=allocations, signed_on__year__lte=F("allocation__plan__year")
    )
    contracted = {
        row["allocation__plan__year"]: row
        for row in contracts.values("allocation__plan__year").annotate(
            value=money_sum("value"), schemes=Count("allocation__scheme", distinct=True)
        )
    }
    ledger = Disbursement.objects.filter(
        contract__in=contracts, paid_on__year__lte=F("contract__allocation__plan__year")
    )
    year = "contract__allocation__plan__year"
    disbursed = dict(
        ledger.values(year)
        .annotate(total=money_sum(Disbursement.signed_amount()))
        .values_list(year, "total")
    )
    net = (
        Disbursement.objects.filter(
            contract__allocation=OuterRef("pk"), paid_on__year__lte=OuterRef("plan__year")
        )
        .order_by()
        .values("contract__allocation")
        .annotate(total=Sum(Disbursement.signed_amount()))
        .values("total")
    )
    schemes_disbursed = dict(
        allocations.annotate(net=Subquery(net))
        .filter(net__gt=0)
        .values("plan__year")
        .annotate(schemes=Count("scheme", distinct=True))
        .values_list("plan__year", "schemes")
    )
    zero = Decimal(0)
    return [
        YearFigures(
            year=plan_year,
            fund=fund or "all",
            summary=ProgrammeSummary(
                budget=row["budget"],
                schemes_approved=row["schemes"],
                schemes_contracted=contracted.get(plan_year, {}).get("schemes", 0),
                contracted=contracted.get(plan_year, {}).get("value", zero),
                disbursed=disbursed.get(plan_year, zero),
                schemes_disbursed=schemes_disbursed.get(plan_year, 0),
            ),
        )
        for plan_year, row in sorted(approved.items(), reverse=True)
    ]
