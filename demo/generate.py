"""Builds the whole demo data set from one seed and saves it: the plans of `demo.years`, their
schemes, beneficiaries, allocations, contracts and disbursement ledgers, and the schemes still in
the workflow. The same seed always gives the same data."""

import datetime
import random

from django.db.models import Q

from budgets.models import AnnualPlan
from demo.establishments import EstablishmentPool
from demo.schemes import PlanBuilder
from demo.world import World
from demo.writer import manager, write
from demo.years import DEMO_TODAY, PLANS, WORKFLOW
from establishments.models import Establishment

DEFAULT_SEED = 45  # Decree 45/2012/NĐ-CP


def existing_plans(world: World) -> int:
    """How many of the demo's plans are already in the database."""
    wanted = Q(pk__in=[])
    for spec in PLANS:
        wanted |= Q(year=spec.year, fund=spec.fund, managing_unit=manager(world, spec))
    return AnnualPlan.objects.filter(wanted).count()


def generate(
    world: World, seed: int = DEFAULT_SEED, today: datetime.date = DEMO_TODAY
) -> dict[str, int]:
    rng = random.Random(seed)  # noqa: S311 (demo data, not secrets)
    taken = set(Establishment.objects.values_list("registration_code", flat=True))
    pool = EstablishmentPool(rng, taken)
    builder = PlanBuilder(rng, world, pool, today)
    built = [(spec, builder.build(spec)) for spec in PLANS]
    workflow = builder.build_workflow(WORKFLOW)
    return write(world, built, workflow, pool.created, today)
