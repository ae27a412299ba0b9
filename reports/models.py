import datetime

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from core.models import TimeStampedModel
from projects.models import Fund
from provinces.models import Province, ProvinceMap
from reports.periods import Kind, Period, period_end, period_start

ALL_FUNDS = "all"


class ReportFund(models.TextChoices):
    NATIONAL = Fund.NATIONAL.value, Fund.NATIONAL.label
    LOCAL = Fund.LOCAL.value, Fund.LOCAL.label
    ALL = ALL_FUNDS, _("Cả hai nguồn")


class ReportIssue(TimeStampedModel):
    """One issue of the report on the implementation of the khuyến công plan: the parameters it
    was asked with, and the files a worker made from them. The files depend only on the
    parameters and the records, so issuing the same parameters again gives the same bytes."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Đang chờ")
        RUNNING = "running", _("Đang lập")
        DONE = "done", _("Đã xong")
        FAILED = "failed", _("Lỗi")

    class Trigger(models.TextChoices):
        REQUESTED = "requested", _("Theo yêu cầu")
        MONTHLY = "monthly", _("Hằng tháng")

    kind = models.CharField(_("loại báo cáo"), max_length=8, choices=Kind.choices)
    period = models.CharField(_("kỳ báo cáo"), max_length=4, choices=Period.choices)
    year = models.PositiveSmallIntegerField(_("năm kế hoạch"))
    fund = models.CharField(_("nguồn kinh phí"), max_length=8, choices=ReportFund.choices)
    province_map = models.CharField(_("bản đồ tỉnh"), max_length=2, choices=ProvinceMap.choices)
    as_of = models.DateField(_("số liệu tính đến ngày"))
    # A province user's report covers its own unit (and the old provinces merged into it);
    # empty: the whole programme, for ministry staff.
    province = models.ForeignKey(
        Province,
        verbose_name=_("phạm vi tỉnh"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        limit_choices_to={"map_version": ProvinceMap.NEW_34},
    )
    trigger = models.CharField(
        _("lập theo"), max_length=10, choices=Trigger.choices, default=Trigger.REQUESTED
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người yêu cầu"),
        on_delete=models.PROTECT,
        related_name="report_issues",
        null=True,
        blank=True,
    )
    status = models.CharField(
        _("trạng thái"), max_length=8, choices=Status.choices, default=Status.QUEUED
    )
    progress = models.PositiveSmallIntegerField(_("tiến độ (%)"), default=0)
    error = models.TextField(_("lỗi"), blank=True)
    xlsx_path = models.CharField(_("tệp Excel"), max_length=255, blank=True)
    xlsx_sha256 = models.CharField(_("SHA-256 tệp Excel"), max_length=64, blank=True)
    pdf_path = models.CharField(_("tệp PDF"), max_length=255, blank=True)
    pdf_sha256 = models.CharField(_("SHA-256 tệp PDF"), max_length=64, blank=True)
    started_at = models.DateTimeField(_("bắt đầu lập lúc"), null=True, blank=True)
    finished_at = models.DateTimeField(_("xong lúc"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("báo cáo đã lập")
        verbose_name_plural = pgettext_lazy("số nhiều", "báo cáo đã lập")
        constraints = [
            models.CheckConstraint(
                condition=Q(progress__lte=100), name="report_issue_progress_at_most_100"
            ),
            models.CheckConstraint(
                condition=Q(as_of__year__gte=F("year")),
                name="report_issue_as_of_in_or_after_plan_year",
                violation_error_message=_(
                    "Ngày tính số liệu phải nằm trong hoặc sau năm kế hoạch."
                ),
            ),
            # The beat may fire twice for one month: one monthly issue per day taken.
            models.UniqueConstraint(
                fields=["as_of"],
                condition=Q(trigger="monthly"),
                name="report_issue_one_monthly_per_day",
            ),
        ]
        indexes = [models.Index(fields=["province", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.title} ({self.as_of:%d/%m/%Y})"

    def get_absolute_url(self) -> str:
        return reverse("reports:issue-list") + f"#issue-{self.pk}"

    @property
    def title(self) -> str:
        """Báo cáo quý I năm 2019; Báo cáo 6 tháng đầu năm 2019; Báo cáo năm 2019."""
        return _("Báo cáo %(period)s") % {"period": self.period_label}

    @property
    def period_label(self) -> str:
        if self.period == Period.YEAR:
            return _("năm %(year)s") % {"year": self.year}
        text = str(self.get_period_display())
        text = text[0].lower() + text[1:]
        if text.endswith(" năm"):
            return f"{text} {self.year}"
        return _("%(period)s năm %(year)s") % {"period": text, "year": self.year}

    @property
    def start(self) -> datetime.date:
        return period_start(self.period, self.year)

    @property
    def end(self) -> datetime.date:
        return period_end(self.period, self.year)

    @property
    def fund_or_none(self) -> str | None:
        return None if self.fund == ALL_FUNDS else self.fund

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)

    def file_name(self, extension: str) -> str:
        """bao-cao-khuyen-cong-2019-year-national-63-20191231.xlsx: the parameters, readable."""
        scope = f"-tinh{self.province.code}" if self.province_id else ""
        return (
            f"bao-cao-khuyen-cong-{self.year}-{self.period}-{self.fund}-{self.province_map}"
            f"{scope}-{self.as_of:%Y%m%d}.{extension}"
        )


class ReportDelivery(models.Model):
    """A monthly report e-mailed to one subscriber: written when the message is sent, so that a
    second run of the task sends no second copy."""

    issue = models.ForeignKey(
        ReportIssue, verbose_name=_("báo cáo"), on_delete=models.CASCADE, related_name="deliveries"
    )
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người nhận"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    sent_at = models.DateTimeField(_("gửi lúc"), auto_now_add=True)

    class Meta:
        verbose_name = _("báo cáo đã gửi thư")
        verbose_name_plural = pgettext_lazy("số nhiều", "báo cáo đã gửi thư")
        constraints = [
            models.UniqueConstraint(
                fields=["issue", "recipient"], name="report_delivery_once_per_recipient"
            )
        ]

    def __str__(self) -> str:
        return f"{self.issue} → {self.recipient}"


class ReportSubscription(TimeStampedModel):
    """Whether a ministry user receives the monthly report by e-mail (the user's own choice)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người dùng"),
        on_delete=models.CASCADE,
        related_name="report_subscription",
    )
    monthly = models.BooleanField(_("nhận báo cáo hằng tháng qua thư"), default=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("đăng ký nhận báo cáo")
        verbose_name_plural = pgettext_lazy("số nhiều", "đăng ký nhận báo cáo")

    def __str__(self) -> str:
        return str(self.user)
