import datetime
from decimal import Decimal

import pytest

from accounts.models import Role
from api.services import api_token_create
from provinces.models import Province
from reference.models import ContentArea
from tests.factories import ContractFactory, DisbursementFactory, SchemeFactory, UserFactory

D = datetime.date


def old(code: str) -> Province:
    return Province.objects.get(code=code, map_version="63")


def new(code: str) -> Province:
    return Province.objects.get(code=code, map_version="34")


@pytest.fixture
def world(db):
    """2019, national fund: two Thái Nguyên schemes (one made under the old map in Thái Nguyên
    19, one in Bắc Kạn 06, now merged into new Thái Nguyên 19) and one in Hà Nội, with money."""
    tn = SchemeFactory(
        code="KCQG-2019-001", title="Hỗ trợ máy sấy chè Thái Nguyên", province=old("19")
    )
    bk = SchemeFactory(
        code="KCQG-2019-002",
        title="Đào tạo nghề đan lát Bắc Kạn",
        province=old("06"),
        content_areas=[ContentArea.objects.get(code="nd45-1")],
    )
    hn = SchemeFactory(
        code="KCQG-2019-003", title="Trình diễn kỹ thuật gốm Bát Tràng", province=old("01")
    )
    tn_contract = ContractFactory(
        allocation__scheme=tn, allocation__amount=Decimal(800_000_000), signed_on=D(2019, 3, 1)
    )
    DisbursementFactory(contract=tn_contract, amount=Decimal(300_000_000), paid_on=D(2019, 5, 2))
    ContractFactory(
        allocation__scheme=bk, allocation__amount=Decimal(500_000_000), signed_on=D(2019, 4, 1)
    )
    hn_contract = ContractFactory(
        allocation__scheme=hn, allocation__amount=Decimal(1_200_000_000), signed_on=D(2019, 2, 1)
    )
    DisbursementFactory(contract=hn_contract, amount=Decimal(1_000_000_000), paid_on=D(2019, 6, 1))
    return {"tn": tn, "bk": bk, "hn": hn}


@pytest.fixture
def ministry(db):
    return UserFactory(role=Role.MINISTRY, username="api-bo")


@pytest.fixture
def thai_nguyen(db):
    return UserFactory(role=Role.PROVINCE, username="api-tinh-19", province=new("19"))


def key_for(user, name: str = "test") -> str:
    return api_token_create(user=user, name=name, by=user)[1]


@pytest.fixture
def ministry_key(ministry):
    return key_for(ministry)


@pytest.fixture
def province_key(thai_nguyen):
    return key_for(thai_nguyen)


def bearer(key: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}
