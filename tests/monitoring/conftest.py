"""Constructed histories with known answers (tỷ = 1.000.000.000 đồng, triệu = 1.000.000)."""

import datetime
from decimal import Decimal

import pytest

from budgets.models import Disbursement
from monitoring.scope import Scope
from projects.models import Fund, Scheme
from provinces.models import Province, ProvinceMap
from tests.factories import AllocationFactory, ContractFactory, DisbursementFactory

D = datetime.date
TY = Decimal(1_000_000_000)
TRIEU = Decimal(1_000_000)


def old(code: str) -> Province:
    return Province.objects.get(code=code, map_version=ProvinceMap.OLD_63)


def approve(*, year, budget, province="19", status=Scheme.Status.APPROVED, code=None, **scheme):
    extra = {f"scheme__{key}": value for key, value in {"fund": Fund.NATIONAL, **scheme}.items()}
    if code:
        extra["scheme__code"] = code
    return AllocationFactory(
        scheme__plan_year=year,
        scheme__province=old(province),
        scheme__status=status,
        amount=budget,
        **extra,
    )


def pay(contract, amount, on, kind=Disbursement.Kind.PAYMENT):
    return DisbursementFactory(contract=contract, amount=amount, paid_on=on, kind=kind)


def sign(allocation, value, on):
    return ContractFactory(allocation=allocation, value=value, signed_on=on)


@pytest.fixture
def half_by_june(db):
    """2019 and 2020: half of each year's disbursement paid by the end of June."""
    for year in (2019, 2020):
        allocation = approve(year=year, budget=1 * TY, status=Scheme.Status.SETTLED)
        contract = sign(allocation, 1 * TY, D(year, 1, 10))
        pay(contract, TY / 2, D(year, 6, 15), Disbursement.Kind.ADVANCE)
        pay(contract, TY / 2, D(year, 11, 15))


def scope(year, on, **kwargs) -> Scope:
    return Scope(year=year, on=on, fund=Fund.NATIONAL, **kwargs)
