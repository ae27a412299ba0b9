"""Typical products: a province registers its candidates, the agency certifies (score ≥ 70),
refuses or withdraws, and certificates lapse after 31 December of their third year."""

import datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from core.money import format_number, format_vnd
from establishments.models import Establishment
from provinces.models import Province, ProvinceMap
from registers.models import ProductLevel, SelectionRound, TypicalProduct
from registers.models.products import LOWER_LEVEL, PASS_SCORE, certificate_valid_until
from registers.permissions import is_agency, is_province_user
from registers.services.common import day, save_as

Status = TypicalProduct.Status


def _score_text(score: Decimal) -> str:
    return format_number(score, 2)


def in_round_province(round_: SelectionRound, province: Province) -> bool:
    """A round held by an old province takes that province's producers; a round of a new unit
    (since 01/07/2025) takes those of every old province merged into it."""
    held_by = round_.province
    if held_by.map_version == ProvinceMap.OLD_63:
        return province.pk == held_by.pk
    return province.successor_id == held_by.pk


def _check_round_fits_producer(round_: SelectionRound, producer: Establishment) -> None:
    province = producer.province
    if round_.level == ProductLevel.PROVINCE and not in_round_province(round_, province):
        raise ValidationError(
            {
                "selection_round": _(
                    "Cơ sở “%(producer)s” ở %(province)s: không dự đợt bình chọn cấp tỉnh của "
                    "%(other)s."
                )
                % {
                    "producer": producer.name,
                    "province": province.name,
                    "other": round_.province.name,
                }
            }
        )
    if round_.level == ProductLevel.REGION and round_.region_id != province.region_id:
        raise ValidationError(
            {
                "selection_round": _(
                    "Cơ sở “%(producer)s” ở %(province)s (%(region)s): không dự đợt bình chọn "
                    "của %(other)s."
                )
                % {
                    "producer": producer.name,
                    "province": province.name,
                    "region": province.region.name,
                    "other": round_.region.name,
                }
            }
        )


def _check_lower_certificate(
    round_: SelectionRound,
    producer: Establishment,
    parent: TypicalProduct | None,
    on: datetime.date,
) -> None:
    """Above the province level, a product enters only with a valid certificate of the level
    just below, held by the same producer (TT 26/2014 art. 4)."""
    lower = LOWER_LEVEL.get(round_.level)
    if lower is None:
        if parent is not None:
            raise ValidationError(
                {"parent": _("Đợt bình chọn cấp tỉnh không cần giấy chứng nhận cấp dưới.")}
            )
        return
    level_label = ProductLevel(round_.level).label.lower()
    lower_label = ProductLevel(lower).label.lower()
    if parent is None:
        raise ValidationError(
            {
                "parent": _(
                    "Để dự bình chọn %(level)s, sản phẩm phải có giấy chứng nhận sản phẩm tiêu "
                    "biểu %(lower)s còn hiệu lực: chọn giấy chứng nhận đó."
                )
                % {"level": level_label, "lower": lower_label}
            }
        )
    if parent.round.level != lower:
        raise ValidationError(
            {
                "parent": _(
                    "Giấy chứng nhận %(number)s là %(actual)s; dự bình chọn %(level)s cần giấy "
                    "chứng nhận %(lower)s."
                )
                % {
                    "number": parent.certificate_number or parent.name,
                    "actual": ProductLevel(parent.round.level).label.lower(),
                    "level": level_label,
                    "lower": lower_label,
                }
            }
        )
    if parent.producer_id != producer.pk:
        raise ValidationError(
            {
                "parent": _(
                    "Giấy chứng nhận %(number)s cấp cho sản phẩm của cơ sở khác (“%(owner)s”)."
                )
                % {"number": parent.certificate_number, "owner": parent.producer.name}
            }
        )
    if not parent.is_valid_on(on):
        if parent.status == Status.CERTIFIED or parent.status == Status.EXPIRED:
            reason = _("hết hiệu lực từ sau ngày %(day)s") % {"day": day(parent.valid_until)}
        else:
            reason = str(Status(parent.status).label).lower()
        raise ValidationError(
            {
                "parent": _(
                    "Giấy chứng nhận %(lower)s của “%(name)s” không còn hiệu lực (%(reason)s): "
                    "sản phẩm không được dự bình chọn %(level)s."
                )
                % {
                    "lower": lower_label,
                    "name": parent.name,
                    "reason": reason,
                    "level": level_label,
                }
            }
        )


@transaction.atomic
def product_register(
    *,
    by: User,
    selection_round: SelectionRound,
    producer: Establishment,
    name: str,
    group: str,
    is_set: bool = False,
    description: str = "",
    parent: TypicalProduct | None = None,
    on: datetime.date | None = None,
) -> TypicalProduct:
    """Enter a candidate in a round. A province user enters its own province's producers; the
    agency may enter any."""
    on = on or timezone.localdate()
    if not is_agency(by):
        if not is_province_user(by):
            raise PermissionDenied(_("Chỉ cán bộ tỉnh hoặc Cục đăng ký sản phẩm dự bình chọn."))
        if producer.province.successor_id != by.province_id:
            raise ValidationError(
                {
                    "producer": _("Cơ sở “%(producer)s” ở %(province)s, không thuộc tỉnh của bạn.")
                    % {"producer": producer.name, "province": producer.province.name}
                }
            )
    _check_round_fits_producer(selection_round, producer)
    if parent is not None:
        parent = (
            TypicalProduct.objects.select_for_update().select_related("round").get(pk=parent.pk)
        )
    _check_lower_certificate(selection_round, producer, parent, on)
    product = TypicalProduct(
        round=selection_round,
        producer=producer,
        name=name.strip(),
        group=group,
        is_set=is_set,
        description=description.strip(),
        parent=parent,
        registered_by=by,
    )
    save_as(product, by)
    return product


def _locked(product: TypicalProduct) -> TypicalProduct:
    return (
        TypicalProduct.objects.select_for_update()
        .select_related("round", "producer__province")
        .get(pk=product.pk)
    )


@transaction.atomic
def product_update(
    *,
    product: TypicalProduct,
    by: User,
    name: str,
    group: str,
    is_set: bool,
    description: str,
) -> TypicalProduct:
    """Change a registration while the jury has not decided."""
    product = _locked(product)
    if product.status != Status.REGISTERED:
        raise ValidationError(
            _("Sản phẩm “%(name)s” đã có kết quả bình chọn (%(status)s): không sửa đăng ký nữa.")
            % {"name": product.name, "status": Status(product.status).label}
        )
    if not is_agency(by) and product.producer.province.successor_id != by.province_id:
        raise PermissionDenied(_("Chỉ tỉnh đăng ký sản phẩm mới sửa được đăng ký."))
    product.name, product.group = name.strip(), group
    product.is_set, product.description = is_set, description.strip()
    save_as(product, by, ["name", "group", "is_set", "description", "search_text"])
    return product


def _require_agency(by: User) -> None:
    if not is_agency(by):
        raise PermissionDenied(_("Chỉ Cục (Bộ Công Thương) công nhận hoặc thu hồi sản phẩm."))


@transaction.atomic
def product_certify(
    *,
    product: TypicalProduct,
    by: User,
    score: Decimal,
    decision_number: str,
    decision_date: datetime.date,
    certificate_number: str,
    certificate_date: datetime.date,
    award_paid: Decimal = Decimal(0),
) -> TypicalProduct:
    """Grant the certificate: the jury's average score must be at least 70. It is valid to
    31 December of the third year, the year of issue counted."""
    _require_agency(by)
    product = _locked(product)
    if product.status != Status.REGISTERED:
        raise ValidationError(
            _("Sản phẩm “%(name)s” đã có kết quả bình chọn (%(status)s).")
            % {"name": product.name, "status": Status(product.status).label}
        )
    if score < PASS_SCORE:
        raise ValidationError(
            {
                "score": _(
                    "Điểm bình quân %(score)s dưới %(pass)s: sản phẩm “%(name)s” không đủ điều "
                    "kiện được cấp giấy chứng nhận."
                )
                % {
                    "score": _score_text(score),
                    "pass": format_number(PASS_SCORE),
                    "name": product.name,
                }
            }
        )
    if certificate_date < decision_date:
        raise ValidationError(
            {
                "certificate_date": _(
                    "Ngày cấp giấy chứng nhận %(cert)s trước ngày quyết định %(decision)s."
                )
                % {"cert": day(certificate_date), "decision": day(decision_date)}
            }
        )
    duplicate = (
        TypicalProduct.objects.filter(
            round__level=product.round.level, certificate_number=certificate_number.strip()
        )
        .exclude(pk=product.pk)
        .first()
    )
    if duplicate is not None:
        raise ValidationError(
            {
                "certificate_number": _("Số giấy chứng nhận %(number)s đã cấp cho “%(name)s”.")
                % {"number": certificate_number, "name": duplicate.name}
            }
        )
    product.score = score
    product.decision_number = decision_number.strip()
    product.decision_date = decision_date
    product.certificate_number = certificate_number.strip()
    product.certificate_date = certificate_date
    product.valid_until = certificate_valid_until(certificate_date)
    product.award_paid = award_paid
    product.status = Status.CERTIFIED
    product.status_reason = ""
    save_as(product, by)
    return product


@transaction.atomic
def product_reject(
    *, product: TypicalProduct, by: User, score: Decimal, reason: str = ""
) -> TypicalProduct:
    """Record that the product was not certified (score below 70)."""
    _require_agency(by)
    product = _locked(product)
    if product.status != Status.REGISTERED:
        raise ValidationError(
            _("Sản phẩm “%(name)s” đã có kết quả bình chọn (%(status)s).")
            % {"name": product.name, "status": Status(product.status).label}
        )
    if score >= PASS_SCORE:
        raise ValidationError(
            {
                "score": _(
                    "Điểm bình quân %(score)s từ %(pass)s trở lên: sản phẩm đạt, hãy cấp giấy "
                    "chứng nhận."
                )
                % {"score": _score_text(score), "pass": format_number(PASS_SCORE)}
            }
        )
    product.score = score
    product.status = Status.NOT_CERTIFIED
    product.status_reason = reason.strip()
    save_as(product, by)
    return product


@transaction.atomic
def product_withdraw(*, product: TypicalProduct, by: User, reason: str) -> TypicalProduct:
    """Withdraw a certificate (a complaint upheld, quality not kept): a reason is required."""
    _require_agency(by)
    product = _locked(product)
    if product.status != Status.CERTIFIED:
        raise ValidationError(
            _("Chỉ thu hồi giấy chứng nhận còn hiệu lực; “%(name)s” đang ở trạng thái %(status)s.")
            % {"name": product.name, "status": Status(product.status).label}
        )
    if not reason.strip():
        raise ValidationError({"reason": _("Nêu lý do thu hồi giấy chứng nhận.")})
    product.status = Status.WITHDRAWN
    product.status_reason = reason.strip()
    save_as(product, by, ["status", "status_reason"])
    return product


@transaction.atomic
def product_award_record(*, product: TypicalProduct, by: User, amount: Decimal) -> TypicalProduct:
    """Record the cash award paid to the holder of a certificate."""
    _require_agency(by)
    product = _locked(product)
    if product.status not in (Status.CERTIFIED, Status.EXPIRED):
        raise ValidationError(
            _("Chỉ chi thưởng cho sản phẩm đã được công nhận; “%(name)s”: %(status)s.")
            % {"name": product.name, "status": Status(product.status).label}
        )
    if amount < 0:
        raise ValidationError(
            {
                "award_paid": _("Tiền thưởng không được âm: %(amount)s.")
                % {"amount": format_vnd(amount)}
            }
        )
    product.award_paid = amount
    save_as(product, by, ["award_paid"])
    return product


@transaction.atomic
def certificates_expire(*, today: datetime.date) -> int:
    """Mark expired every certificate whose validity ended before `today`; returns how many.
    Running it again the same day changes nothing."""
    due = TypicalProduct.objects.select_for_update().filter(
        status=Status.CERTIFIED, valid_until__lt=today
    )
    count = 0
    for product in due:
        product.status = Status.EXPIRED
        product.status_reason = _("Hết hiệu lực sau ngày %(day)s.") % {
            "day": day(product.valid_until)
        }
        save_as(product, None, ["status", "status_reason"])
        count += 1
    return count
