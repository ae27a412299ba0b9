from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from core.models import FoldedSearchModel


class ContentAreaList(models.Model):
    """A versioned official list of content areas: the 9 areas of Decree 45/2012 art. 4, the 7
    groups of the 2021–2025 programme (QĐ 1881/QĐ-TTg), and later lists as they are published."""

    code = models.SlugField(_("mã"), max_length=20, unique=True)
    name = models.CharField(_("tên"), max_length=255)
    legal_basis = models.CharField(_("căn cứ pháp lý"), max_length=255)
    valid_from = models.DateField(_("áp dụng từ"))
    valid_to = models.DateField(_("áp dụng đến"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["valid_from"]
        verbose_name = _("danh mục nội dung khuyến công")
        verbose_name_plural = pgettext_lazy("số nhiều", "danh mục nội dung khuyến công")
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=F("valid_from")),
                name="content_area_list_validity_ordered",
                violation_error_message=_("Ngày hết áp dụng phải sau ngày bắt đầu áp dụng."),
            )
        ]

    def __str__(self) -> str:
        return self.name


class ContentArea(FoldedSearchModel):
    """One content area (nội dung khuyến công) of one official list."""

    SEARCH_FIELDS = ("code", "name", "name_en")

    content_list = models.ForeignKey(
        ContentAreaList,
        verbose_name=_("danh mục"),
        on_delete=models.PROTECT,
        related_name="areas",
    )
    code = models.SlugField(_("mã"), max_length=20, unique=True)
    number = models.PositiveSmallIntegerField(_("số thứ tự"))
    name = models.CharField(_("tên"), max_length=255)
    short_name = models.CharField(_("tên ngắn"), max_length=80)
    name_en = models.CharField(_("tên tiếng Anh"), max_length=255)

    history = HistoricalRecords()

    class Meta:
        ordering = ["content_list__valid_from", "number"]
        verbose_name = _("nội dung khuyến công")
        verbose_name_plural = pgettext_lazy("số nhiều", "nội dung khuyến công")
        constraints = [
            models.UniqueConstraint(
                fields=["content_list", "number"], name="content_area_number_per_list"
            )
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.short_name}"


class Sector(FoldedSearchModel):
    """An eligible sector (ngành nghề được hưởng chính sách khuyến công, Decree 45 art. 5, and
    the additions of Decree 235/2025 from 15/10/2025)."""

    SEARCH_FIELDS = ("code", "name", "name_en")

    code = models.SlugField(_("mã"), max_length=20, unique=True)
    letter = models.CharField(_("điểm"), max_length=4)
    name = models.CharField(_("tên"), max_length=255)
    short_name = models.CharField(_("tên ngắn"), max_length=80)
    name_en = models.CharField(_("tên tiếng Anh"), max_length=255)
    legal_basis = models.CharField(_("căn cứ pháp lý"), max_length=255)
    valid_from = models.DateField(_("áp dụng từ"))
    valid_to = models.DateField(_("áp dụng đến"), null=True, blank=True)
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["order"]
        verbose_name = _("ngành nghề")
        verbose_name_plural = pgettext_lazy("số nhiều", "ngành nghề")
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=F("valid_from")),
                name="sector_validity_ordered",
                violation_error_message=_("Ngày hết áp dụng phải sau ngày bắt đầu áp dụng."),
            )
        ]

    def __str__(self) -> str:
        return self.short_name
