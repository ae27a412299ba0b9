"""Industrial clusters (cụm công nghiệp, NĐ 32/2024/NĐ-CP) and the planning dossiers provinces
send the agency for appraisal. The khuyến công support a cluster received is the schemes linked
to it (content area 7 of NĐ 45/2012: cluster planning, infrastructure, pollution treatment)."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from core.models import FoldedSearchModel, MoneyField, TimeStampedModel
from core.money import rate
from projects.models import Scheme
from provinces.models import Province


def _hectares(verbose_name):
    return models.DecimalField(
        verbose_name, max_digits=10, decimal_places=2, default=Decimal(0), help_text=_("ha")
    )


class IndustrialClusterQuerySet(models.QuerySet):
    def for_table(self) -> "IndustrialClusterQuerySet":
        return self.select_related("province__successor", "province__region").annotate(
            scheme_count=models.Count("schemes", distinct=True)
        )


class IndustrialCluster(FoldedSearchModel, TimeStampedModel):
    SEARCH_FIELDS = ("name", "commune", "developer")

    class Wastewater(models.TextChoices):
        NONE = "none", _("Chưa có")
        PLANNED = "planned", _("Đã có dự án, chưa xây dựng")
        BUILDING = "building", _("Đang xây dựng")
        OPERATING = "operating", _("Đã vận hành")
        NOT_REQUIRED = "not_required", _("Không phải xây dựng")

    name = models.CharField(_("tên cụm công nghiệp"), max_length=255)
    province = models.ForeignKey(
        Province,
        verbose_name=_("tỉnh, thành phố"),
        on_delete=models.PROTECT,
        related_name="industrial_clusters",
    )
    commune = models.CharField(_("xã, phường"), max_length=120, blank=True)
    decision_number = models.CharField(_("số quyết định thành lập"), max_length=60, blank=True)
    decision_date = models.DateField(_("ngày quyết định thành lập"), null=True, blank=True)
    planned_area = _hectares(_("diện tích quy hoạch (ha)"))
    leasable_area = _hectares(_("diện tích đất công nghiệp cho thuê (ha)"))
    leased_area = _hectares(_("diện tích đã cho thuê (ha)"))
    developer = models.CharField(_("chủ đầu tư hạ tầng"), max_length=255, blank=True)
    investment = MoneyField(_("vốn đầu tư hạ tầng (đồng)"), default=0)
    firms = models.PositiveIntegerField(_("số dự án, doanh nghiệp"), default=0)
    workers = models.PositiveIntegerField(_("số lao động"), default=0)
    wastewater = models.CharField(
        _("xử lý nước thải tập trung"),
        max_length=14,
        choices=Wastewater.choices,
        default=Wastewater.NONE,
    )
    schemes = models.ManyToManyField(
        Scheme,
        verbose_name=_("đề án khuyến công hỗ trợ"),
        related_name="industrial_clusters",
        blank=True,
    )

    objects = IndustrialClusterQuerySet.as_manager()
    history = HistoricalRecords(m2m_fields=[schemes])

    class Meta:
        ordering = ["province__code", "name"]
        verbose_name = _("cụm công nghiệp")
        verbose_name_plural = pgettext_lazy("số nhiều", "cụm công nghiệp")
        constraints = [
            models.UniqueConstraint(
                fields=["province", "name"],
                name="industrial_cluster_name_per_province",
                violation_error_message=_("Tỉnh này đã có cụm công nghiệp cùng tên."),
            ),
            models.CheckConstraint(
                condition=Q(planned_area__gte=0) & Q(leasable_area__gte=0) & Q(leased_area__gte=0),
                name="industrial_cluster_areas_not_negative",
                violation_error_message=_("Diện tích không được âm."),
            ),
            models.CheckConstraint(
                condition=Q(leasable_area__lte=F("planned_area")),
                name="industrial_cluster_leasable_within_planned",
                violation_error_message=_(
                    "Diện tích đất cho thuê không được lớn hơn diện tích quy hoạch."
                ),
            ),
            models.CheckConstraint(
                condition=Q(leased_area__lte=F("leasable_area")),
                name="industrial_cluster_leased_within_leasable",
                violation_error_message=_(
                    "Diện tích đã cho thuê không được lớn hơn diện tích đất cho thuê."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("registers:cluster-detail", args=[self.pk])

    @property
    def occupancy(self) -> Decimal | None:
        """Leased ÷ land for lease, in per cent; None when there is no land for lease."""
        return rate(self.leased_area, self.leasable_area)


class ClusterPlanDossier(TimeStampedModel):
    """A province's planning dossier for its industrial clusters, sent to the agency for
    appraisal: submitted → received → appraised → agreed, or returned to the province."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Tỉnh đã gửi")
        RECEIVED = "received", _("Cục đã tiếp nhận")
        APPRAISED = "appraised", _("Cục đã thẩm định")
        AGREED = "agreed", _("Cục đã thống nhất")
        RETURNED = "returned", _("Trả lại tỉnh")

    province = models.ForeignKey(
        Province,
        verbose_name=_("tỉnh, thành phố"),
        on_delete=models.PROTECT,
        related_name="cluster_plan_dossiers",
    )
    year = models.PositiveSmallIntegerField(_("năm"))
    title = models.CharField(_("tên hồ sơ"), max_length=255)
    clusters = models.ManyToManyField(
        IndustrialCluster,
        verbose_name=_("cụm công nghiệp trong hồ sơ"),
        related_name="plan_dossiers",
        blank=True,
    )
    status = models.CharField(
        _("trạng thái"), max_length=10, choices=Status.choices, default=Status.SUBMITTED
    )
    submitted_on = models.DateField(_("ngày tỉnh gửi"))
    received_on = models.DateField(_("ngày tiếp nhận"), null=True, blank=True)
    appraised_on = models.DateField(_("ngày thẩm định"), null=True, blank=True)
    decided_on = models.DateField(_("ngày thống nhất / trả lại"), null=True, blank=True)
    agency_opinion = models.TextField(_("ý kiến của Cục"), blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người gửi"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )

    history = HistoricalRecords(m2m_fields=[clusters])

    class Meta:
        ordering = ["-year", "province__code", "pk"]
        verbose_name = _("hồ sơ quy hoạch cụm công nghiệp")
        verbose_name_plural = pgettext_lazy("số nhiều", "hồ sơ quy hoạch cụm công nghiệp")
        constraints = [
            models.CheckConstraint(
                condition=Q(received_on__isnull=True) | Q(received_on__gte=F("submitted_on")),
                name="cluster_dossier_received_after_submitted",
                violation_error_message=_("Ngày tiếp nhận phải sau hoặc trùng ngày tỉnh gửi."),
            ),
            models.CheckConstraint(
                condition=Q(appraised_on__isnull=True) | Q(appraised_on__gte=F("received_on")),
                name="cluster_dossier_appraised_after_received",
                violation_error_message=_("Ngày thẩm định phải sau hoặc trùng ngày tiếp nhận."),
            ),
            models.CheckConstraint(
                condition=~Q(status="agreed")
                | (Q(appraised_on__isnull=False) & Q(decided_on__gte=F("appraised_on"))),
                name="cluster_dossier_agreed_after_appraisal",
                violation_error_message=_(
                    "Chỉ thống nhất hồ sơ đã thẩm định, vào hoặc sau ngày thẩm định."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(status="returned") | ~Q(agency_opinion=""),
                name="cluster_dossier_return_has_reason",
                violation_error_message=_("Trả lại hồ sơ phải nêu lý do."),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("registers:dossier-detail", args=[self.pk])
