"""Typical products: entering a level needs a valid certificate of the level below; only a score
of 70 or more earns a certificate, valid to 31 December of the third year; certificates lapse
the day after, once, through the beat task."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from provinces.models import Province, Region
from registers.models import ProductLevel, TypicalProduct
from registers.services.products import (
    certificates_expire,
    product_certify,
    product_register,
    product_reject,
    product_withdraw,
)
from registers.tasks import certificates_expire_task
from tests.factories import EstablishmentFactory, SelectionRoundFactory, TypicalProductFactory

D = datetime.date
S = TypicalProduct.Status
pytestmark = pytest.mark.django_db


def old(code: str) -> Province:
    return Province.objects.get(code=code, map_version="63")


@pytest.fixture
def rounds():
    north = Region.objects.get(code="north")
    return {
        "province": SelectionRoundFactory(
            level=ProductLevel.PROVINCE, year=2017, province=old("19")
        ),
        "region": SelectionRoundFactory(level=ProductLevel.REGION, year=2018, region=north),
        "national": SelectionRoundFactory(level=ProductLevel.NATIONAL, year=2019),
    }


@pytest.fixture
def producer():
    return EstablishmentFactory(province=old("19"), name="HTX chè Tân Cương")


def test_national_entry_needs_a_regional_certificate(rounds, producer, thai_nguyen_user):
    with pytest.raises(ValidationError) as refused:
        product_register(
            by=thai_nguyen_user,
            selection_round=rounds["national"],
            producer=producer,
            name="Chè Tân Cương",
            group="food",
            on=D(2019, 6, 1),
        )
    assert refused.value.message_dict["parent"] == [
        "Để dự bình chọn cấp quốc gia, sản phẩm phải có giấy chứng nhận sản phẩm tiêu biểu "
        "cấp khu vực còn hiệu lực: chọn giấy chứng nhận đó."
    ]
    # A province certificate is not the level just below the national one.
    provincial = TypicalProductFactory(round=rounds["province"], producer=producer)
    with pytest.raises(ValidationError, match="cần giấy chứng nhận cấp khu vực"):
        product_register(
            by=thai_nguyen_user,
            selection_round=rounds["national"],
            producer=producer,
            name="Chè Tân Cương",
            group="food",
            parent=provincial,
            on=D(2019, 6, 1),
        )
    assert not TypicalProduct.objects.filter(round=rounds["national"]).exists()


def test_entry_with_a_valid_lower_certificate(rounds, producer, thai_nguyen_user):
    regional = TypicalProductFactory(round=rounds["region"], producer=producer)
    assert regional.valid_until == D(2020, 12, 31)
    product = product_register(
        by=thai_nguyen_user,
        selection_round=rounds["national"],
        producer=producer,
        name="Chè Tân Cương",
        group="food",
        parent=regional,
        on=D(2019, 6, 1),
    )
    assert product.status == S.REGISTERED
    assert product.parent == regional
    assert product.history.first().history_user == thai_nguyen_user


def test_expired_or_withdrawn_lower_certificate_is_refused(rounds, producer, thai_nguyen_user):
    expired = TypicalProductFactory(round=rounds["region"], producer=producer)
    with pytest.raises(ValidationError) as refused:
        product_register(
            by=thai_nguyen_user,
            selection_round=rounds["national"],
            producer=producer,
            name="Chè",
            group="food",
            parent=expired,
            on=D(2021, 3, 1),
        )
    assert "hết hiệu lực từ sau ngày 31/12/2020" in refused.value.message_dict["parent"][0]
    withdrawn = TypicalProductFactory(
        round=rounds["region"], producer=producer, name="Chè khác", status=S.WITHDRAWN
    )
    with pytest.raises(ValidationError, match="bị thu hồi"):
        product_register(
            by=thai_nguyen_user,
            selection_round=rounds["national"],
            producer=producer,
            name="Chè",
            group="food",
            parent=withdrawn,
            on=D(2019, 6, 1),
        )


def test_another_producers_certificate_is_refused(rounds, producer, thai_nguyen_user):
    other = TypicalProductFactory(round=rounds["region"], producer=EstablishmentFactory())
    with pytest.raises(ValidationError, match="cấp cho sản phẩm của cơ sở khác"):
        product_register(
            by=thai_nguyen_user,
            selection_round=rounds["national"],
            producer=producer,
            name="Chè",
            group="food",
            parent=other,
            on=D(2019, 6, 1),
        )


def test_province_user_registers_only_its_own_producers(rounds, ha_noi_user, producer):
    with pytest.raises(ValidationError, match="không thuộc tỉnh của bạn"):
        product_register(
            by=ha_noi_user,
            selection_round=rounds["province"],
            producer=producer,
            name="Chè",
            group="food",
            on=D(2017, 6, 1),
        )


def test_province_round_of_another_province_is_refused(thai_nguyen_user, producer):
    bac_kan = SelectionRoundFactory(level=ProductLevel.PROVINCE, year=2017, province=old("06"))
    with pytest.raises(ValidationError, match="không dự đợt bình chọn cấp tỉnh"):
        product_register(
            by=thai_nguyen_user,
            selection_round=bac_kan,
            producer=producer,
            name="Chè",
            group="food",
            on=D(2017, 6, 1),
        )


def _candidate(rounds, producer):
    return TypicalProductFactory(
        round=rounds["province"],
        producer=producer,
        status=S.REGISTERED,
        score=None,
        decision_number="",
        decision_date=None,
        certificate_number="",
        certificate_date=None,
        valid_until=None,
    )


def test_certificate_needs_seventy_points(rounds, producer, ministry_user):
    candidate = _candidate(rounds, producer)
    with pytest.raises(ValidationError) as refused:
        product_certify(
            product=candidate,
            by=ministry_user,
            score=Decimal("69.99"),
            decision_number="1/QĐ",
            decision_date=D(2017, 11, 1),
            certificate_number="01/GCN",
            certificate_date=D(2017, 11, 1),
        )
    assert refused.value.message_dict["score"] == [
        f"Điểm bình quân 69,99 dưới 70: sản phẩm “{candidate.name}” không đủ điều kiện được cấp "
        "giấy chứng nhận."
    ]
    certified = product_certify(
        product=candidate,
        by=ministry_user,
        score=Decimal(70),
        decision_number="1/QĐ",
        decision_date=D(2017, 11, 1),
        certificate_number="01/GCN",
        certificate_date=D(2017, 11, 3),
        award_paid=Decimal(2_000_000),
    )
    assert certified.status == S.CERTIFIED
    assert certified.valid_until == D(2019, 12, 31)
    assert certified.history.first().history_user == ministry_user


def test_only_the_agency_certifies(rounds, producer, thai_nguyen_user):
    with pytest.raises(PermissionDenied):
        product_certify(
            product=_candidate(rounds, producer),
            by=thai_nguyen_user,
            score=Decimal(90),
            decision_number="1",
            decision_date=D(2017, 11, 1),
            certificate_number="1",
            certificate_date=D(2017, 11, 1),
        )


def test_reject_and_withdraw(rounds, producer, ministry_user):
    candidate = _candidate(rounds, producer)
    with pytest.raises(ValidationError, match="sản phẩm đạt"):
        product_reject(product=candidate, by=ministry_user, score=Decimal(75))
    rejected = product_reject(product=candidate, by=ministry_user, score=Decimal("64.5"))
    assert rejected.status == S.NOT_CERTIFIED
    holder = TypicalProductFactory(round=rounds["region"], producer=producer)
    with pytest.raises(ValidationError):
        product_withdraw(product=holder, by=ministry_user, reason=" ")
    assert product_withdraw(product=holder, by=ministry_user, reason="Khiếu nại được chấp nhận")
    holder.refresh_from_db()
    assert holder.status == S.WITHDRAWN


def test_database_refuses_a_certificate_below_seventy(rounds, producer):
    with pytest.raises(IntegrityError), transaction.atomic():
        TypicalProductFactory(round=rounds["region"], producer=producer, score=Decimal(60))


def test_certificates_expire_the_day_after_their_validity(rounds, producer):
    product = TypicalProductFactory(round=rounds["province"], producer=producer)
    assert product.valid_until == D(2019, 12, 31)
    assert certificates_expire(today=D(2019, 12, 31)) == 0
    assert certificates_expire(today=D(2020, 1, 1)) == 1
    assert certificates_expire(today=D(2020, 1, 1)) == 0  # a second run changes nothing
    product.refresh_from_db()
    assert product.status == S.EXPIRED
    assert product.status_reason == "Hết hiệu lực sau ngày 31/12/2019."


def test_beat_task_marks_past_certificates_expired(rounds, producer):
    TypicalProductFactory(round=rounds["province"], producer=producer)  # valid to 31/12/2019
    assert certificates_expire_task.delay().get() == 1
    assert certificates_expire_task.delay().get() == 0
    assert not TypicalProduct.objects.filter(status=S.CERTIFIED).exists()


def test_beat_schedule_has_the_daily_expiry(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["product-certificates-expire-daily"]
    assert entry["task"] == certificates_expire_task.name == "registers.certificates_expire"
