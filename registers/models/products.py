"""Typical rural industrial products (sản phẩm công nghiệp nông thôn tiêu biểu, TT 26/2014/TT-BCT
as amended by TT 14/2018/TT-BCT): selection rounds per level and year, and the products entered
in them with their certificates. Written only by registers/services/products.py."""

import datetime
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from core.models import FoldedSearchModel, MoneyField, TimeStampedModel
from establishments.models import Establishment
from provinces.models import Province, Region

# A certificate is granted when the jury's average score reaches this (TT 26/2014 art. 9).
PASS_SCORE = Decimal(70)


class ProductLevel(models.TextChoices):
    """The district level was abolished with the district tier on 01/07/2025 and is skippable
    before: a province round needs no lower certificate."""

    PROVINCE = "province", _("Cấp tỉnh")
    REGION = "region", _("Cấp khu vực")
    NATIONAL = "national", _("Cấp quốc gia")


# The level whose valid certificate a product must hold to be entered at a level.
LOWER_LEVEL = {
    ProductLevel.REGION: ProductLevel.PROVINCE,
    ProductLevel.NATIONAL: ProductLevel.REGION,
}


class ProductGroup(models.TextChoices):
    HANDICRAFT = "handicraft", _("Thủ công mỹ nghệ")
    FOOD = "food", _("Chế biến nông, lâm, thủy sản và thực phẩm")
    MACHINERY = "machinery", _("Thiết bị, máy móc, dụng cụ và phụ tùng cơ khí")
    OTHER = "other", _("Nhóm sản phẩm khác")


def certificate_valid_until(issued_on: datetime.date) -> datetime.date:
    """31 December of the third year, the year of issue counted as the first."""
    return datetime.date(issued_on.year + 2, 12, 31)


class SelectionRound(TimeStampedModel):
    """One round of selection: a level, a year and, below the national level, the province or
    region that holds it."""

    level = models.CharField(_("cấp bình chọn"), max_length=10, choices=ProductLevel.choices)
    year = models.PositiveSmallIntegerField(_("năm"))
    province = models.ForeignKey(
        Province,
        verbose_name=_("tỉnh, thành phố"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    region = models.ForeignKey(
        Region,
        verbose_name=_("khu vực"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    title = models.CharField(_("tên đợt"), max_length=255)
    decision_number = models.CharField(_("số quyết định công nhận"), max_length=60, blank=True)
    decision_date = models.DateField(_("ngày quyết định"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-year", "level", "pk"]
        verbose_name = _("đợt bình chọn sản phẩm")
        verbose_name_plural = pgettext_lazy("số nhiều", "đợt bình chọn sản phẩm")
        constraints = [
            models.CheckConstraint(
                condition=(Q(level="province") & Q(province__isnull=False) & Q(region__isnull=True))
                | (Q(level="region") & Q(region__isnull=False) & Q(province__isnull=True))
                | (Q(level="national") & Q(region__isnull=True) & Q(province__isnull=True)),
                name="selection_round_holder_matches_level",
                violation_error_message=_(
                    "Đợt cấp tỉnh gắn với một tỉnh, đợt cấp khu vực gắn với một khu vực, đợt "
                    "cấp quốc gia không gắn với tỉnh hay khu vực nào."
                ),
            ),
            models.CheckConstraint(
                condition=Q(year__gte=2014) & Q(year__lte=2100),
                name="selection_round_year_in_range",
                violation_error_message=_("Năm bình chọn phải từ 2014 đến 2100."),
            ),
            models.UniqueConstraint(
                fields=["level", "year"],
                condition=Q(level="national"),
                name="selection_round_one_national_per_year",
                violation_error_message=_("Năm này đã có đợt bình chọn cấp quốc gia."),
            ),
            models.UniqueConstraint(
                fields=["level", "year", "region"],
                condition=Q(level="region"),
                name="selection_round_one_per_region_year",
                violation_error_message=_("Khu vực này đã có đợt bình chọn trong năm."),
            ),
            models.UniqueConstraint(
                fields=["level", "year", "province"],
                condition=Q(level="province"),
                name="selection_round_one_per_province_year",
                violation_error_message=_("Tỉnh này đã có đợt bình chọn trong năm."),
            ),
        ]

    def __str__(self) -> str:
        return self.title


class TypicalProductQuerySet(models.QuerySet):
    def for_table(self) -> "TypicalProductQuerySet":
        return self.select_related(
            "round__province",
            "round__region",
            "producer__province__successor",
            "producer__province__region",
        )

    def certified(self) -> "TypicalProductQuerySet":
        """Products that were granted a certificate, valid or since expired (not withdrawn)."""
        return self.filter(
            status__in=[TypicalProduct.Status.CERTIFIED, TypicalProduct.Status.EXPIRED]
        )

    def valid_on(self, day: datetime.date) -> "TypicalProductQuerySet":
        return self.filter(
            status=TypicalProduct.Status.CERTIFIED,
            certificate_date__lte=day,
            valid_until__gte=day,
        )


class TypicalProduct(FoldedSearchModel, TimeStampedModel):
    """A product (or a product set) entered in a selection round, and its certificate if the
    jury's average score reached 70."""

    SEARCH_FIELDS = ("name", "certificate_number")

    class Status(models.TextChoices):
        REGISTERED = "registered", _("Đã đăng ký dự bình chọn")
        NOT_CERTIFIED = "not_certified", _("Không đạt")
        CERTIFIED = "certified", _("Còn hiệu lực")
        EXPIRED = "expired", _("Hết hiệu lực")
        WITHDRAWN = "withdrawn", _("Bị thu hồi")

    round = models.ForeignKey(
        SelectionRound,
        verbose_name=_("đợt bình chọn"),
        on_delete=models.PROTECT,
        related_name="products",
    )
    name = models.CharField(_("tên sản phẩm, bộ sản phẩm"), max_length=255)
    is_set = models.BooleanField(_("là bộ sản phẩm"), default=False)
    group = models.CharField(_("nhóm sản phẩm"), max_length=12, choices=ProductGroup.choices)
    producer = models.ForeignKey(
        Establishment,
        verbose_name=_("cơ sở sản xuất"),
        on_delete=models.PROTECT,
        related_name="typical_products",
    )
    description = models.TextField(_("mô tả sản phẩm"), blank=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("giấy chứng nhận cấp dưới"),
        on_delete=models.PROTECT,
        related_name="entries_above",
        null=True,
        blank=True,
    )
    status = models.CharField(
        _("trạng thái"), max_length=14, choices=Status.choices, default=Status.REGISTERED
    )
    score = models.DecimalField(
        _("điểm bình quân"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    decision_number = models.CharField(_("số quyết định công nhận"), max_length=60, blank=True)
    decision_date = models.DateField(_("ngày quyết định"), null=True, blank=True)
    certificate_number = models.CharField(_("số giấy chứng nhận"), max_length=60, blank=True)
    certificate_date = models.DateField(_("ngày cấp giấy chứng nhận"), null=True, blank=True)
    valid_until = models.DateField(_("hiệu lực đến"), null=True, blank=True)
    award_paid = MoneyField(_("tiền thưởng đã chi"), default=0)
    status_reason = models.TextField(_("lý do"), blank=True)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người đăng ký"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )

    objects = TypicalProductQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-round__year", "name", "pk"]
        verbose_name = _("sản phẩm công nghiệp nông thôn tiêu biểu")
        verbose_name_plural = pgettext_lazy("số nhiều", "sản phẩm công nghiệp nông thôn tiêu biểu")
        indexes = [models.Index(fields=["status", "valid_until"])]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "producer", "name"],
                name="typical_product_once_per_round",
                violation_error_message=_(
                    "Cơ sở này đã đăng ký sản phẩm cùng tên trong đợt bình chọn này."
                ),
            ),
            models.CheckConstraint(
                condition=Q(score__isnull=True) | (Q(score__gte=0) & Q(score__lte=100)),
                name="typical_product_score_0_100",
                violation_error_message=_("Điểm bình quân từ 0 đến 100."),
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["certified", "expired", "withdrawn"])
                | (
                    Q(score__gte=PASS_SCORE)
                    & ~Q(certificate_number="")
                    & Q(certificate_date__isnull=False)
                    & Q(valid_until__isnull=False)
                ),
                name="typical_product_certificate_complete",
                violation_error_message=_(
                    "Sản phẩm được công nhận phải có điểm từ 70 trở lên, số và ngày cấp giấy "
                    "chứng nhận, ngày hết hiệu lực."
                ),
            ),
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=F("certificate_date")),
                name="typical_product_validity_ordered",
                violation_error_message=_("Ngày hết hiệu lực phải sau ngày cấp giấy chứng nhận."),
            ),
            models.CheckConstraint(
                condition=Q(award_paid__gte=0),
                name="typical_product_award_not_negative",
                violation_error_message=_("Tiền thưởng không được âm."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("registers:product-detail", args=[self.pk])

    @property
    def level(self) -> str:
        return self.round.level

    def is_valid_on(self, day: datetime.date) -> bool:
        return (
            self.status == self.Status.CERTIFIED
            and self.certificate_date is not None
            and self.certificate_date <= day <= self.valid_until
        )
