import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import AllocationFactory, ContractFactory, DisbursementFactory

D = datetime.date


@pytest.fixture
def two_years(db):
    for year, count in ((2019, 3), (2020, 2)):
        for index in range(count):
            contract = ContractFactory(
                allocation__scheme__plan_year=year,
                allocation__amount=Decimal(1_000_000_000),
                signed_on=D(year, 3, 1),
            )
            if index == 0:
                DisbursementFactory(contract=contract, amount=Decimal(700_000_000))
                # Paid in the next year's settlement window: not in this year's figure.
                DisbursementFactory(
                    contract=contract, kind="payment", amount=Decimal(1), paid_on=D(year + 1, 1, 5)
                )
    AllocationFactory(scheme__plan_year=2020, amount=Decimal(500_000_000))


def test_anonymous_visitors_are_sent_to_sign_in(client, two_years):
    response = client.get("/")
    assert response.status_code == 302
    assert response.url.startswith("/dang-nhap/")


def test_figures_per_year_come_from_the_ledger(client, ministry_user, two_years):
    client.force_login(ministry_user)
    page = client.get("/").text
    assert "2,50 tỷ đồng" in page  # 2020: 2 × 1 billion + 0.5 billion
    assert "2/3 (66,67%)" in page  # 2020: 2 of 3 schemes contracted
    assert "0,70 tỷ đồng" in page
    assert "28,00%" in page  # 2020: 0.7 / 2.5
    assert "23,33%" in page  # 2019: 0.7 / 3


def test_home_query_count_does_not_grow_with_years(client, ministry_user, two_years):
    client.force_login(ministry_user)
    client.get("/")
    with CaptureQueriesContext(connection) as first:
        client.get("/")
    for year in (2021, 2022, 2023):
        ContractFactory(allocation__scheme__plan_year=year, signed_on=D(year, 3, 1))
    with CaptureQueriesContext(connection) as second:
        client.get("/")
    assert len(first) == len(second)
