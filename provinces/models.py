import datetime

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from core.models import FoldedSearchModel

# Resolution 202/2025/QH15: the 34 provincial units took office on this day.
REFORM_DATE = datetime.date(2025, 7, 1)


class ProvinceMap(models.TextChoices):
    OLD_63 = "63", _("63 tỉnh, thành (trước 01/07/2025)")
    NEW_34 = "34", _("34 tỉnh, thành (từ 01/07/2025)")


def map_on(day: datetime.date) -> str:
    """Which province map was in force on a given day."""
    return ProvinceMap.NEW_34 if day >= REFORM_DATE else ProvinceMap.OLD_63


class Region(models.Model):
    """A khuyến công region (TT 26/2014 art. 3): North, Centre & Highlands, South."""

    code = models.SlugField(_("mã"), max_length=16, unique=True)
    name = models.CharField(_("tên"), max_length=100)
    name_en = models.CharField(_("tên tiếng Anh"), max_length=100)
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)

    class Meta:
        ordering = ["order"]
        verbose_name = _("vùng")
        verbose_name_plural = pgettext_lazy("số nhiều", "vùng")

    def __str__(self) -> str:
        return self.name


class ProvinceQuerySet(models.QuerySet):
    def on_map(self, map_version: str) -> "ProvinceQuerySet":
        return self.filter(map_version=map_version)

    def valid_on(self, day: datetime.date) -> "ProvinceQuerySet":
        return self.filter(Q(valid_from__lte=day) | Q(valid_from__isnull=True)).filter(
            Q(valid_to__gte=day) | Q(valid_to__isnull=True)
        )


class Province(FoldedSearchModel):
    """A provincial unit of one map. The 63 pre-reform units and the 34 units since 01/07/2025
    are separate rows: seven GSO codes mean a different province on each map, and a record keeps
    the unit it was made under. `successor` leads an old unit to the new one it merged into;
    a new unit is its own successor, so "province__successor" groups any record on the 34-unit map.
    """

    SEARCH_FIELDS = ("name", "code")

    class Kind(models.TextChoices):
        PROVINCE = "province", _("Tỉnh")
        CITY = "city", _("Thành phố trực thuộc trung ương")

    code = models.CharField(_("mã GSO"), max_length=2)
    map_version = models.CharField(_("bản đồ"), max_length=2, choices=ProvinceMap.choices)
    name = models.CharField(_("tên"), max_length=100)
    short_name = models.CharField(_("tên ngắn"), max_length=60)
    kind = models.CharField(_("loại"), max_length=16, choices=Kind.choices)
    valid_from = models.DateField(_("hiệu lực từ"), null=True, blank=True)
    valid_to = models.DateField(_("hiệu lực đến"), null=True, blank=True)
    successor = models.ForeignKey(
        "self",
        verbose_name=_("đơn vị mới"),
        on_delete=models.PROTECT,
        related_name="merged_units",
        null=True,
        blank=True,
    )
    region = models.ForeignKey(
        Region, verbose_name=_("vùng khuyến công"), on_delete=models.PROTECT, related_name="+"
    )
    spans_regions = models.BooleanField(
        _("thuộc nhiều vùng"),
        default=False,
        help_text=_("Đơn vị mới gồm các tỉnh cũ thuộc nhiều vùng khuyến công (Lâm Đồng, 68)."),
    )

    objects = ProvinceQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["map_version", "code"]
        verbose_name = _("tỉnh, thành phố")
        verbose_name_plural = pgettext_lazy("số nhiều", "tỉnh, thành phố")
        constraints = [
            models.UniqueConstraint(fields=["map_version", "code"], name="province_code_per_map"),
            models.CheckConstraint(
                condition=Q(code__regex=r"^[0-9]{2}$"),
                name="province_code_two_digits",
                violation_error_message=_("Mã tỉnh là mã GSO gồm 2 chữ số."),
            ),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True)
                | Q(valid_from__isnull=True)
                | Q(valid_to__gte=F("valid_from")),
                name="province_validity_ordered",
                violation_error_message=_("Ngày hết hiệu lực phải sau ngày bắt đầu hiệu lực."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.code}, {self.map_version})"

    @property
    def label(self) -> str:
        return self.name
