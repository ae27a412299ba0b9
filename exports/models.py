"""A large export built in the background: who asked, for which table and query string, in
which format, and how far the worker has got. The file lives in private media storage (never
served by the web server) until `expires_at`, when a daily job deletes it with its row. No
history table: a job is a transient record of one download, not a business record."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.models import TimeStampedModel


class ExportJobQuerySet(models.QuerySet):
    def expired(self, now):
        return self.filter(expires_at__lte=now)


class ExportJob(TimeStampedModel):
    class Table(models.TextChoices):
        SCHEMES = "schemes", _("Danh sách đề án")
        PRODUCTS = "products", _("Sản phẩm CNNT tiêu biểu")
        CLUSTERS = "clusters", _("Cụm công nghiệp")
        DOSSIERS = "dossiers", _("Hồ sơ quy hoạch cụm công nghiệp")
        EVENTS = "events", _("Hội chợ, hội nghị")
        CONTRACTS = "contracts", _("Sổ giải ngân: hợp đồng")
        PORTAL = "portal", _("Hồ sơ đề án của đơn vị")
        CONSISTENCY = "consistency", _("Kiểm tra nhất quán: dòng không đạt")

    class Format(models.TextChoices):
        CSV = "csv", _("CSV")
        XLSX = "xlsx", _("Excel (XLSX)")

    class Status(models.TextChoices):
        QUEUED = "queued", _("Đang chờ")
        RUNNING = "running", _("Đang tạo tệp")
        DONE = "done", _("Đã xong")
        FAILED = "failed", _("Không tạo được")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="export_jobs",
        verbose_name=_("người yêu cầu"),
    )
    table = models.CharField(_("bảng"), max_length=20, choices=Table.choices)
    query = models.TextField(_("bộ lọc (chuỗi truy vấn)"), blank=True, max_length=2000)
    file_format = models.CharField(_("định dạng"), max_length=4, choices=Format.choices)
    summary = models.TextField(_("bộ lọc và bản đồ (như in trong tệp)"), blank=True)
    map_label = models.CharField(_("bản đồ tỉnh"), max_length=120, blank=True)
    row_count = models.PositiveIntegerField(_("số dòng"), default=0)
    rows_written = models.PositiveIntegerField(_("số dòng đã ghi"), default=0)
    status = models.CharField(
        _("trạng thái"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    error = models.TextField(_("lỗi"), blank=True)
    stored_path = models.CharField(_("đường dẫn lưu"), max_length=255, blank=True)
    filename = models.CharField(_("tên tệp"), max_length=150, blank=True)
    size = models.PositiveBigIntegerField(_("dung lượng (byte)"), null=True, blank=True)
    started_at = models.DateTimeField(_("bắt đầu lúc"), null=True, blank=True)
    finished_at = models.DateTimeField(_("xong lúc"), null=True, blank=True)
    expires_at = models.DateTimeField(_("xóa lúc"))

    objects = ExportJobQuerySet.as_manager()

    class Meta:
        verbose_name = _("tệp xuất dữ liệu")
        verbose_name_plural = _("tệp xuất dữ liệu")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["user", "-created_at"]),
            models.Index(fields=["expires_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="done") | ~Q(stored_path=""),
                name="exportjob_done_has_file",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_table_display()} ({self.get_file_format_display()}) #{self.pk}"

    def get_absolute_url(self) -> str:
        return reverse("exports:job-detail", args=[self.pk])

    @property
    def percent(self) -> int:
        """How far the worker has got, in whole per cent (100 once done)."""
        if self.status == self.Status.DONE:
            return 100
        if not self.row_count:
            return 0
        return min(99, self.rows_written * 100 // self.row_count)
