import datetime
from decimal import Decimal

import pytest

from accounts.models import Role
from budgets.models import PlanBatch
from tests import factories
from tests.conftest import province


@pytest.fixture
def ministry(db):
    return factories.UserFactory(role=Role.MINISTRY, username="bo-nhap")


@pytest.fixture
def thai_nguyen(db):
    return factories.UserFactory(role=Role.PROVINCE, province=province("19"), username="tn-nhap")


@pytest.fixture
def plan(db):
    """The 2019 national plan with one batch of 10 billion đồng (decision 123/QĐ-BCT)."""
    plan = factories.AnnualPlanFactory(year=2019)
    PlanBatch.objects.create(
        plan=plan,
        number=1,
        decision_number="123/QĐ-BCT",
        decision_date=datetime.date(2018, 12, 30),
        amount=Decimal(10_000_000_000),
    )
    return plan
