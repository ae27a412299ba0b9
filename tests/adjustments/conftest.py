import datetime
from decimal import Decimal

import pytest

from accounts.models import Role
from projects.models import Scheme
from provinces.models import Province
from tests.factories import AllocationFactory, PlanBatchFactory, UserFactory

BILLION = Decimal(1_000_000_000)


def thai_nguyen() -> Province:
    return Province.objects.get(code="19", map_version="34")


@pytest.fixture
def sct(db):
    """The Thái Nguyên unit that prepares the scheme (and files the requests)."""
    return UserFactory(
        role=Role.PROVINCE, province=thai_nguyen(), username="tn-lap", email="lap@tn.vn"
    )


@pytest.fixture
def so(db):
    """Another officer of the Thái Nguyên Sở: records the Sở's decisions."""
    return UserFactory(
        role=Role.PROVINCE, province=thai_nguyen(), username="tn-so", email="so@tn.vn"
    )


@pytest.fixture
def leader(db):
    return UserFactory(role=Role.APPROVER, username="lanh-dao", email="ld@bo.vn", is_staff=True)


@pytest.fixture
def batch(db):
    """The 2019 national plan: 10 billion in one batch."""
    return PlanBatchFactory(amount=10 * BILLION)


def make_scheme(
    batch, *, kind=Scheme.Kind.TARGETED, status=Scheme.Status.CONTRACTED, amount=BILLION
):
    allocation = AllocationFactory(
        scheme__kind=kind,
        scheme__status=status,
        scheme__end_date=datetime.date(2019, 11, 30),
        plan=batch.plan,
        batch=batch,
        amount=amount,
    )
    return allocation.scheme


@pytest.fixture
def scheme(batch):
    return make_scheme(batch)
