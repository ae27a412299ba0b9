"""What a province puts into a scheme's dossier besides the scheme itself: its cost estimate line
by line, the files attached to it, and the reviewers' comments. Written only by
submissions/services.py."""

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from core.models import MoneyField, TimeStampedModel
from projects.models import Scheme


class CostLine(models.Model):
    """One line of a scheme's cost estimate: what the khuyến công fund is asked to pay and what
    the beneficiaries put in. The scheme's support_requested and counterpart_funding are the
    sums of its lines (kept so by submissions.services)."""

    scheme = models.ForeignKey(
        Scheme, verbose_name=_("đề án"), on_delete=models.CASCADE, related_name="cost_lines"
    )
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)
    item = models.CharField(_("nội dung chi"), max_length=300)
    support_amount = MoneyField(_("kinh phí khuyến công hỗ trợ"), default=0)
    counterpart_amount = MoneyField(_("vốn đối ứng"), default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["scheme", "order", "pk"]
        verbose_name = _("dòng dự toán kinh phí")
        verbose_name_plural = pgettext_lazy("số nhiều", "dòng dự toán kinh phí")
        constraints = [
            models.CheckConstraint(
                condition=Q(support_amount__gte=0),
                name="cost_line_support_not_negative",
                violation_error_message=_("Kinh phí hỗ trợ không được âm."),
            ),
            models.CheckConstraint(
                condition=Q(counterpart_amount__gte=0),
                name="cost_line_counterpart_not_negative",
                violation_error_message=_("Vốn đối ứng không được âm."),
            ),
        ]

    def __str__(self) -> str:
        return self.item

    @property
    def total(self):
        return self.support_amount + self.counterpart_amount


class Attachment(models.Model):
    """A file of a scheme's dossier. The file lives under MEDIA_ROOT/attachments/, outside the
    web root, and is served only by a view that checks the scheme is visible to the user. Its
    type is the one its content shows, whatever its name says."""

    class Kind(models.TextChoices):
        PROPOSAL = "proposal", _("Thuyết minh đề án")
        ESTIMATE = "estimate", _("Dự toán kinh phí")
        BENEFICIARY = "beneficiary", _("Hồ sơ cơ sở thụ hưởng")
        COMMITMENT = "commitment", _("Cam kết vốn đối ứng")
        OTHER = "other", _("Tài liệu khác")

    class FileType(models.TextChoices):
        PDF = "application/pdf", _("PDF")
        DOCX = (
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            _("Word (DOCX)"),
        )
        XLSX = (
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            _("Excel (XLSX)"),
        )
        PNG = "image/png", _("Ảnh PNG")
        JPEG = "image/jpeg", _("Ảnh JPEG")

    scheme = models.ForeignKey(
        Scheme, verbose_name=_("đề án"), on_delete=models.CASCADE, related_name="attachments"
    )
    kind = models.CharField(_("loại tài liệu"), max_length=16, choices=Kind.choices)
    label = models.CharField(_("mô tả"), max_length=200, blank=True)
    original_name = models.CharField(_("tên tệp gốc"), max_length=255)
    stored_path = models.CharField(
        _("đường dẫn lưu trữ"),
        max_length=255,
        unique=True,
        help_text=_("Tương đối với thư mục lưu tệp tải lên (MEDIA_ROOT), không phục vụ trực tiếp."),
    )
    size = models.PositiveBigIntegerField(_("dung lượng (byte)"))
    content_type = models.CharField(
        _("định dạng (theo nội dung)"), max_length=100, choices=FileType.choices
    )
    sha256 = models.CharField(_("mã băm SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người tải lên"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("tải lên lúc"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["scheme", "uploaded_at", "pk"]
        verbose_name = _("tệp hồ sơ")
        verbose_name_plural = pgettext_lazy("số nhiều", "tệp hồ sơ")

    def __str__(self) -> str:
        return self.original_name


class Comment(models.Model):
    """A reviewer's comment on a scheme (or the province's answer): seen by everyone who sees
    the scheme, the province included. Never edited once written."""

    scheme = models.ForeignKey(
        Scheme, verbose_name=_("đề án"), on_delete=models.CASCADE, related_name="comments"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người viết"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    text = models.TextField(_("nội dung ý kiến"), max_length=4000)
    created_at = models.DateTimeField(_("thời điểm"), auto_now_add=True)

    class Meta:
        ordering = ["scheme", "created_at", "pk"]
        verbose_name = _("ý kiến")
        verbose_name_plural = pgettext_lazy("số nhiều", "ý kiến")
        constraints = [
            models.CheckConstraint(
                condition=~Q(text=""),
                name="comment_not_empty",
                violation_error_message=_("Ý kiến không được để trống."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.scheme.code}: {self.text[:60]}"


class ProgressReport(TimeStampedModel):
    """The implementing unit's monthly progress report on a scheme under way (TT 36/2013: every
    month, by the 25th — settings.KC_PROGRESS_REPORT_DAY), entered in the portal by the unit that
    prepares the scheme. One per scheme and month; `due_on` is the deadline in force when it was
    recorded, so that a later change of the setting does not make an old report late. Written
    only by submissions.services.progress_report_submit (corrections in the admin keep history)."""

    scheme = models.ForeignKey(
        Scheme, verbose_name=_("đề án"), on_delete=models.CASCADE, related_name="progress_reports"
    )
    period_year = models.PositiveSmallIntegerField(_("năm của kỳ báo cáo"))
    period_month = models.PositiveSmallIntegerField(_("tháng của kỳ báo cáo"))
    due_on = models.DateField(_("hạn gửi"))
    submitted_on = models.DateField(_("ngày gửi"))
    work_done = models.TextField(_("khối lượng công việc đã thực hiện"), max_length=4000)
    percent_complete = models.PositiveSmallIntegerField(
        _("tỷ lệ hoàn thành (%)"), validators=[MaxValueValidator(100)]
    )
    amount_spent = MoneyField(_("kinh phí đã chi lũy kế"))
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người báo cáo"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["scheme", "period_year", "period_month"]
        verbose_name = _("báo cáo tiến độ")
        verbose_name_plural = pgettext_lazy("số nhiều", "báo cáo tiến độ")
        constraints = [
            models.UniqueConstraint(
                fields=["scheme", "period_year", "period_month"],
                name="progress_report_one_per_month",
                violation_error_message=_("Đề án đã có báo cáo tiến độ của tháng này."),
            ),
            models.CheckConstraint(
                condition=Q(period_month__gte=1) & Q(period_month__lte=12),
                name="progress_report_month_valid",
                violation_error_message=_("Tháng báo cáo phải từ 1 đến 12."),
            ),
            models.CheckConstraint(
                condition=Q(period_year__gte=2012) & Q(period_year__lte=2100),
                name="progress_report_year_in_range",
                violation_error_message=_("Năm báo cáo phải từ 2012 đến 2100."),
            ),
            models.CheckConstraint(
                condition=Q(percent_complete__lte=100),
                name="progress_report_percent_at_most_100",
                violation_error_message=_("Tỷ lệ hoàn thành không được vượt quá 100%%."),
            ),
            models.CheckConstraint(
                condition=Q(amount_spent__gte=0),
                name="progress_report_spent_not_negative",
                violation_error_message=_("Kinh phí đã chi không được âm."),
            ),
            models.CheckConstraint(
                condition=~Q(work_done=""),
                name="progress_report_work_done_given",
                violation_error_message=_("Cần ghi khối lượng công việc đã thực hiện."),
            ),
        ]
        indexes = [models.Index(fields=["scheme", "submitted_on"])]

    def __str__(self) -> str:
        return f"{self.scheme.code}: {self.period_month:02d}/{self.period_year}"

    @property
    def period_label(self) -> str:
        return f"{self.period_month:02d}/{self.period_year}"

    @property
    def on_time(self) -> bool:
        return self.submitted_on <= self.due_on
