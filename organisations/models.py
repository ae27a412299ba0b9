from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from core.models import FoldedSearchModel, TimeStampedModel
from provinces.models import Province


class Organisation(FoldedSearchModel, TimeStampedModel):
    """A body of the khuyến công system (the ministry's agency, a regional centre, a provincial
    Sở Công Thương or khuyến công centre) or another unit that implements or coordinates schemes."""

    SEARCH_FIELDS = ("name", "short_name", "former_names")

    class Kind(models.TextChoices):
        AGENCY = "agency", _("Cục quản lý khuyến công (Bộ Công Thương)")
        REGIONAL_CENTRE = "regional_centre", _("Trung tâm khuyến công quốc gia vùng")
        DEPARTMENT = "department", _("Sở Công Thương")
        PROVINCIAL_CENTRE = "provincial_centre", _("Trung tâm khuyến công tỉnh")
        OTHER = "other", _("Đơn vị khác")

    kind = models.CharField(_("loại"), max_length=20, choices=Kind.choices)
    name = models.CharField(_("tên"), max_length=255)
    short_name = models.CharField(_("tên viết tắt"), max_length=60, blank=True)
    former_names = models.TextField(
        _("tên trước đây"), blank=True, help_text=_("Mỗi dòng một tên, kèm thời gian sử dụng.")
    )
    province = models.ForeignKey(
        Province,
        verbose_name=_("tỉnh, thành phố"),
        on_delete=models.PROTECT,
        related_name="organisations",
        null=True,
        blank=True,
    )
    covered_provinces = models.ManyToManyField(
        Province,
        verbose_name=_("tỉnh, thành phố phụ trách"),
        related_name="regional_centres",
        blank=True,
    )
    is_active = models.BooleanField(_("đang hoạt động"), default=True)

    history = HistoricalRecords(m2m_fields=[covered_provinces])

    class Meta:
        ordering = ["kind", "name"]
        verbose_name = _("cơ quan, đơn vị")
        verbose_name_plural = pgettext_lazy("số nhiều", "cơ quan, đơn vị")
        constraints = [
            models.UniqueConstraint(fields=["kind", "name"], name="organisation_unique_name"),
            models.CheckConstraint(
                condition=~Q(kind__in=["department", "provincial_centre"])
                | Q(province__isnull=False),
                name="organisation_provincial_body_has_province",
                violation_error_message=_(
                    "Sở Công Thương và trung tâm khuyến công tỉnh phải gắn với một tỉnh."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.short_name or self.name
