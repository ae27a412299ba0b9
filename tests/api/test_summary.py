import datetime
from decimal import Decimal

import pytest

from budgets.models import Disbursement
from projects.models import Fund
from provinces.models import Province
from reference.models import ContentArea
from tests.factories import (
    AllocationFactory,
    ContractFactory,
    DisbursementFactory,
    PlanBatchFactory,
    SchemeFactory,
)

URL = "/api/v1/summary/"
D = datetime.date


def _old(code):
    return Province.objects.get(code=code, map_version="63")


@pytest.fixture
def small_year(db):
    """Three 2019 schemes: all approved, two contracted, one paid in 2019 and once in 2020."""
    batch = PlanBatchFactory(plan__year=2019, amount=Decimal(3_000_000_000))
    bac_giang = SchemeFactory(code="A", province=_old("24"))  # Bắc Giang, now in Bắc Ninh (24)
    bac_ninh = SchemeFactory(code="B", province=_old("27"))  # Bắc Ninh (27), also now 24
    long_an = SchemeFactory(code="C", province=_old("80"))  # Long An, now in Tây Ninh (80)
    allocations = [
        AllocationFactory(scheme=scheme, plan=batch.plan, batch=batch, amount=amount)
        for scheme, amount in (
            (bac_giang, Decimal(1_000_000_000)),
            (bac_ninh, Decimal(700_000_000)),
            (long_an, Decimal(300_000_000)),
        )
    ]
    first = ContractFactory(allocation=allocations[0], signed_on=D(2019, 3, 1))
    ContractFactory(allocation=allocations[1], signed_on=D(2019, 4, 1), value=Decimal(600_000_000))
    DisbursementFactory(contract=first, amount=Decimal(700_000_000), paid_on=D(2019, 4, 1))
    DisbursementFactory(
        contract=first,
        kind=Disbursement.Kind.REFUND,
        amount=Decimal(33_333_333),
        paid_on=D(2019, 12, 31),
    )
    DisbursementFactory(
        contract=first,
        kind=Disbursement.Kind.PAYMENT,
        amount=Decimal(100_000_000),
        paid_on=D(2020, 1, 10),
    )
    return allocations


def test_summary_figures_come_from_the_ledger(client, small_year):
    response = client.get(URL, {"year": 2019, "fund": "national"})
    assert response.status_code == 200
    body = response.json()
    assert body["budget_vnd"] == 2_000_000_000
    assert body["schemes_approved"] == 3
    assert body["schemes_contracted"] == 2
    assert body["contracted_rate"] == "66.67"
    assert body["contracted_vnd"] == 1_600_000_000
    # Payments after 31/12 belong to the settlement window, not to the year's disbursement.
    assert body["disbursed_vnd"] == 666_666_667
    assert body["disbursed_rate"] == "33.33"
    assert body["schemes_disbursed"] == 1
    assert body["as_of"] == "2019-12-31"
    assert body["denominators"] == {
        "contracted_rate": "schemes_approved",
        "disbursed_rate": "budget_vnd",
    }


def test_amounts_are_integers_and_rates_strings(client, small_year):
    body = client.get(URL, {"year": 2019}).json()
    assert isinstance(body["budget_vnd"], int)
    assert isinstance(body["disbursed_vnd"], int)
    assert isinstance(body["disbursed_rate"], str)
    assert body["fund"] == "all"


def test_as_of_date_moves_the_cutoff(client, small_year):
    before = client.get(URL, {"year": 2019, "as_of": "31/03/2019"}).json()
    assert before["schemes_contracted"] == 1
    assert before["disbursed_vnd"] == 0
    after = client.get(URL, {"year": 2019, "as_of": "2020-01-31"}).json()
    assert after["disbursed_vnd"] == 766_666_667


def test_province_on_the_new_map_takes_in_merged_provinces(client, small_year):
    new_map = client.get(URL, {"year": 2019, "province": "24", "map": "34"}).json()
    assert new_map["budget_vnd"] == 1_700_000_000  # Bắc Giang + Bắc Ninh
    old_map = client.get(URL, {"year": 2019, "province": "24", "map": "63"}).json()
    assert old_map["budget_vnd"] == 1_000_000_000  # Bắc Giang alone
    # Code 80 is Long An before the reform and Tây Ninh after it.
    assert (
        client.get(URL, {"year": 2019, "province": "80", "map": "63"}).json()["budget_vnd"]
        == 300_000_000
    )
    assert client.get(URL, {"year": 2019, "province": "72", "map": "63"}).json()["budget_vnd"] == 0


def test_region_content_area_and_sector_filters(client, small_year):
    assert client.get(URL, {"year": 2019, "region": "north"}).json()["budget_vnd"] == 1_700_000_000
    assert client.get(URL, {"year": 2019, "region": "south"}).json()["budget_vnd"] == 300_000_000
    scheme = small_year[2].scheme
    scheme.content_areas.set([ContentArea.objects.get(code="nd45-1")])
    body = client.get(URL, {"year": 2019, "content_area": "nd45-1"}).json()
    assert (body["budget_vnd"], body["schemes_approved"]) == (300_000_000, 1)
    assert client.get(URL, {"year": 2019, "sector": "b"}).json()["budget_vnd"] == 0


def test_zero_denominator_gives_null_rates(client, db):
    body = client.get(URL, {"year": 2024, "region": "centre", "fund": Fund.NATIONAL}).json()
    assert body["budget_vnd"] == 0
    assert body["contracted_rate"] is None
    assert body["disbursed_rate"] is None


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({}, "year"),
        ({"year": "abc"}, "year"),
        ({"year": "1999"}, "year"),
        ({"year": "2019", "fund": "private"}, "fund"),
        ({"year": "2019", "region": "west"}, "region"),
        ({"year": "2019", "province": "19"}, "map"),
        ({"year": "2019", "province": "x9", "map": "34"}, "province"),
        ({"year": "2019", "province": "02", "map": "34"}, "province"),
        ({"year": "2019", "map": "64"}, "map"),
        ({"year": "2019", "content_area": "nd45-10"}, "content_area"),
        ({"year": "2019", "sector": "z"}, "sector"),
        ({"year": "2019", "as_of": "31/02/2019"}, "as_of"),
        ({"year": "2019", "yaer": "2019"}, "params"),
    ],
)
def test_bad_parameters_answer_400_naming_the_parameter(client, db, params, field):
    response = client.get(URL, params)
    assert response.status_code == 400
    body = response.json()
    assert field in body["errors"], body
    assert body["errors"][field][0]
    if field == "params":
        assert "yaer" in body["errors"]["params"][0]


def test_summary_is_public_and_read_only(client, db):
    assert client.get(URL, {"year": 2019}).status_code == 200
    assert client.post(URL, {"year": 2019}).status_code == 405


def test_summary_query_count_is_fixed(client, small_year, django_assert_num_queries):
    with django_assert_num_queries(1):
        client.get(URL, {"year": 2019})
    AllocationFactory.create_batch(3, plan=small_year[0].plan, batch=small_year[0].batch)
    with django_assert_num_queries(1):
        client.get(URL, {"year": 2019})
