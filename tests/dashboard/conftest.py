"""A small 2019 programme whose every figure is known by hand (tỷ = 1.000.000.000 đồng).

- A: old 19 Thái Nguyên (new 19), north, 1,0 tỷ; contract 15/03, 1,0; paid 0,3 (25/03) + 0,5
  (10/06) = 0,8 by 31/12, and 0,1 more on 10/01/2020; settled.
- B: old 06 Bắc Kạn (new 19), north, 2,0 tỷ; contract 01/04, 2,0; paid 2,0 (01/05) − 0,2 refund
  (01/12) = 1,8; accepted.
- C: old 79 TP HCM (new 79), south, 1,5 tỷ; contract 01/02, 1,5; nothing paid; contracted.
- D: old 01 Hà Nội (new 01), north, 0,5 tỷ; no contract; approved.

National 2019: budget 5,0 tỷ, 4 schemes, 3 contracted (75,00%), 2,6 tỷ disbursed (52,00%) by 2
schemes; A (lag 0,2 of 1,0) and C (lag 1,5 of 1,5) are behind schedule on 31/12/2019, B (0,2 of
2,0) is not. Content areas: A nd45-3, B nd45-1, C nd45-1 + nd45-3, D nd45-5. Sectors: A a, B dd,
C a, D d. Besides: F, a local-fund scheme of old 19 (0,7 tỷ, not contracted), and G, a 2018
national scheme of old 19 (1,0 tỷ, contract 01/03/2018, 0,4 paid on 20/05/2018)."""

import datetime
from decimal import Decimal

import pytest

from budgets.models import Disbursement
from projects.models import Fund, Scheme
from provinces.models import Province, ProvinceMap
from reference.models import ContentArea, Sector
from tests.factories import AllocationFactory, ContractFactory, DisbursementFactory

D = datetime.date
TY = Decimal(1_000_000_000)


def old(code: str) -> Province:
    return Province.objects.get(code=code, map_version=ProvinceMap.OLD_63)


def new(code: str) -> Province:
    return Province.objects.get(code=code, map_version=ProvinceMap.NEW_34)


def make_scheme(
    *,
    province,
    budget,
    areas=("nd45-3",),
    sector="a",
    status=Scheme.Status.APPROVED,
    year=2019,
    fund=Fund.NATIONAL,
    code=None,
):
    extra = {"scheme__code": code} if code else {}
    allocation = AllocationFactory(
        scheme__plan_year=year,
        scheme__fund=fund,
        scheme__province=province,
        scheme__sector=Sector.objects.get(code=sector),
        scheme__content_areas=list(ContentArea.objects.filter(code__in=areas)),
        scheme__status=status,
        amount=budget,
        **extra,
    )
    return allocation


@pytest.fixture
def programme(db):
    a = make_scheme(province=old("19"), budget=1 * TY, status=Scheme.Status.SETTLED, code="A")
    contract = ContractFactory(allocation=a, signed_on=D(2019, 3, 15), value=1 * TY)
    DisbursementFactory(contract=contract, amount=TY * Decimal("0.3"), paid_on=D(2019, 3, 25))
    DisbursementFactory(
        contract=contract,
        kind=Disbursement.Kind.PAYMENT,
        amount=TY * Decimal("0.5"),
        paid_on=D(2019, 6, 10),
    )
    DisbursementFactory(
        contract=contract,
        kind=Disbursement.Kind.PAYMENT,
        amount=TY * Decimal("0.1"),
        paid_on=D(2020, 1, 10),
    )

    b = make_scheme(
        province=old("06"),
        budget=2 * TY,
        areas=("nd45-1",),
        sector="dd",
        status=Scheme.Status.ACCEPTED,
        code="B",
    )
    contract = ContractFactory(allocation=b, signed_on=D(2019, 4, 1), value=2 * TY)
    DisbursementFactory(contract=contract, amount=2 * TY, paid_on=D(2019, 5, 1))
    DisbursementFactory(
        contract=contract,
        kind=Disbursement.Kind.REFUND,
        amount=TY * Decimal("0.2"),
        paid_on=D(2019, 12, 1),
    )

    c = make_scheme(
        province=old("79"),
        budget=TY * Decimal("1.5"),
        areas=("nd45-1", "nd45-3"),
        status=Scheme.Status.CONTRACTED,
        code="C",
    )
    ContractFactory(allocation=c, signed_on=D(2019, 2, 1), value=TY * Decimal("1.5"))

    make_scheme(
        province=old("01"), budget=TY * Decimal("0.5"), areas=("nd45-5",), sector="d", code="D"
    )
    make_scheme(province=old("19"), budget=TY * Decimal("0.7"), fund=Fund.LOCAL, code="F")

    g = make_scheme(province=old("19"), budget=1 * TY, year=2018, code="G")
    contract = ContractFactory(allocation=g, signed_on=D(2018, 3, 1), value=1 * TY)
    DisbursementFactory(contract=contract, amount=TY * Decimal("0.4"), paid_on=D(2018, 5, 20))
    return {"A": a.scheme, "B": b.scheme, "C": c.scheme}
