"""Fairs and conferences: national and regional fairs of rural industrial products, fairs
abroad, and the regional khuyến công conferences, with the scheme that funds each and the
establishments it supported."""

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from core.models import FoldedSearchModel, MoneyField, TimeStampedModel
from establishments.models import Establishment
from organisations.models import Organisation
from projects.models import Scheme
from provinces.models import Province, Region


class PromotionEventQuerySet(models.QuerySet):
    def for_table(self) -> "PromotionEventQuerySet":
        return self.select_related(
            "host_province__successor", "region", "organiser", "scheme"
        ).annotate(participant_count=models.Count("participants", distinct=True))

    def in_year(self, year: int) -> "PromotionEventQuerySet":
        return self.filter(starts_on__year__lte=year, ends_on__year__gte=year)


class PromotionEvent(FoldedSearchModel, TimeStampedModel):
    SEARCH_FIELDS = ("name", "place")

    class Kind(models.TextChoices):
        NATIONAL_FAIR = "national_fair", _("Hội chợ quốc gia")
        REGIONAL_FAIR = "regional_fair", _("Hội chợ khu vực")
        FAIR_ABROAD = "fair_abroad", _("Hội chợ ở nước ngoài")
        CONFERENCE = "conference", _("Hội nghị")

    kind = models.CharField(_("loại"), max_length=14, choices=Kind.choices)
    name = models.CharField(_("tên"), max_length=255)
    starts_on = models.DateField(_("ngày bắt đầu"))
    ends_on = models.DateField(_("ngày kết thúc"))
    place = models.CharField(_("địa điểm"), max_length=255)
    country = models.CharField(
        _("quốc gia"), max_length=80, blank=True, help_text=_("Với hội chợ ở nước ngoài.")
    )
    host_province = models.ForeignKey(
        Province,
        verbose_name=_("tỉnh đăng cai"),
        on_delete=models.PROTECT,
        related_name="hosted_events",
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
    organiser = models.ForeignKey(
        Organisation,
        verbose_name=_("đơn vị tổ chức"),
        on_delete=models.PROTECT,
        related_name="organised_events",
        null=True,
        blank=True,
    )
    scheme = models.ForeignKey(
        Scheme,
        verbose_name=_("đề án cấp kinh phí"),
        on_delete=models.PROTECT,
        related_name="events",
        null=True,
        blank=True,
    )
    booths = models.PositiveIntegerField(_("tổng số gian hàng"), default=0)
    description = models.TextField(_("nội dung chính"), blank=True)

    objects = PromotionEventQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["starts_on", "pk"]
        verbose_name = _("hội chợ, hội nghị")
        verbose_name_plural = pgettext_lazy("số nhiều", "hội chợ, hội nghị")
        indexes = [models.Index(fields=["starts_on", "ends_on"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")),
                name="promotion_event_dates_ordered",
                violation_error_message=_("Ngày kết thúc phải sau hoặc trùng ngày bắt đầu."),
            ),
            models.CheckConstraint(
                condition=Q(kind="fair_abroad") | Q(host_province__isnull=False),
                name="promotion_event_domestic_has_host",
                violation_error_message=_("Hội chợ, hội nghị trong nước phải có tỉnh đăng cai."),
            ),
            models.CheckConstraint(
                condition=~Q(kind="fair_abroad") | ~Q(country=""),
                name="promotion_event_abroad_has_country",
                violation_error_message=_("Hội chợ ở nước ngoài phải ghi quốc gia."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("registers:event-detail", args=[self.pk])


class EventParticipant(TimeStampedModel):
    """An establishment at a fair: its booths and the support it received for them."""

    event = models.ForeignKey(
        PromotionEvent,
        verbose_name=_("hội chợ, hội nghị"),
        on_delete=models.CASCADE,
        related_name="participants",
    )
    establishment = models.ForeignKey(
        Establishment,
        verbose_name=_("cơ sở tham gia"),
        on_delete=models.PROTECT,
        related_name="event_participations",
    )
    booths = models.PositiveSmallIntegerField(_("số gian hàng"), default=1)
    support = MoneyField(_("kinh phí hỗ trợ"), default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["event", "establishment__name"]
        verbose_name = _("cơ sở tham gia hội chợ")
        verbose_name_plural = pgettext_lazy("số nhiều", "cơ sở tham gia hội chợ")
        constraints = [
            models.UniqueConstraint(
                fields=["event", "establishment"],
                name="event_participant_once",
                violation_error_message=_("Cơ sở này đã có trong danh sách tham gia."),
            ),
            models.CheckConstraint(
                condition=Q(support__gte=0),
                name="event_participant_support_not_negative",
                violation_error_message=_("Kinh phí hỗ trợ không được âm."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.event} – {self.establishment}"
