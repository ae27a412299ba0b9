from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords


class ImportBatchQuerySet(models.QuerySet):
    def for_list(self) -> "ImportBatchQuerySet":
        """What the list of imports shows, without the files themselves."""
        return self.select_related("user", "undone_by").defer("content", "problems")


class ImportBatch(models.Model):
    """One file brought in (or checked, or refused): who, when, which file, how many rows and
    what became of them. The file is kept so that a check run in the background and the
    confirmation that follows read the very bytes the user uploaded."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Đang kiểm tra")
        CHECKED = "checked", _("Đã kiểm tra, chưa nhập")
        IMPORTED = "imported", _("Đã nhập")
        REFUSED = "refused", _("Bị từ chối")
        UNDONE = "undone", _("Đã hoàn tác")

    kind = models.CharField(_("loại dữ liệu"), max_length=32)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người nhập"),
        on_delete=models.PROTECT,
        related_name="import_batches",
    )
    file_name = models.CharField(_("tên tệp"), max_length=255)
    size = models.PositiveIntegerField(_("dung lượng (byte)"))
    sha256 = models.CharField(_("mã băm SHA-256"), max_length=64)
    content = models.BinaryField(_("nội dung tệp"), editable=False)
    created_at = models.DateTimeField(_("thời điểm"), auto_now_add=True)
    status = models.CharField(
        _("kết quả"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    rows_read = models.PositiveIntegerField(_("số dòng đọc được"), default=0)
    created_count = models.PositiveIntegerField(_("thêm mới"), default=0)
    updated_count = models.PositiveIntegerField(_("cập nhật"), default=0)
    unchanged_count = models.PositiveIntegerField(_("không đổi"), default=0)
    problems = models.JSONField(_("các lỗi"), default=list, blank=True)
    imported_at = models.DateTimeField(_("nhập lúc"), null=True, blank=True)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người hoàn tác"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    undone_at = models.DateTimeField(_("hoàn tác lúc"), null=True, blank=True)

    objects = ImportBatchQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["content", "problems"])

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("lần nhập dữ liệu")
        verbose_name_plural = pgettext_lazy("số nhiều", "lần nhập dữ liệu")
        indexes = [models.Index(fields=["user", "created_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="undone", undone_at__isnull=False, undone_by__isnull=False)
                | (~Q(status="undone") & Q(undone_at__isnull=True, undone_by__isnull=True)),
                name="import_undone_with_who_and_when",
                violation_error_message=_("Lần nhập đã hoàn tác phải ghi ai và khi nào."),
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.kind} – {self.file_name}"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("imports:batch-detail", args=[self.pk])


class ImportedRecord(models.Model):
    """One record an import created or changed, with its values before a change, so that the
    whole import can be undone."""

    class Action(models.TextChoices):
        CREATE = "create", _("Thêm mới")
        UPDATE = "update", _("Cập nhật")

    batch = models.ForeignKey(
        ImportBatch, verbose_name=_("lần nhập"), on_delete=models.CASCADE, related_name="records"
    )
    row = models.PositiveIntegerField(_("dòng"))
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.PositiveBigIntegerField()
    action = models.CharField(_("thao tác"), max_length=10, choices=Action.choices)
    previous = models.JSONField(_("giá trị trước khi cập nhật"), default=dict, blank=True)

    class Meta:
        ordering = ["batch", "pk"]
        verbose_name = _("bản ghi đã nhập")
        verbose_name_plural = pgettext_lazy("số nhiều", "bản ghi đã nhập")
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.batch_id}: {self.content_type_id}/{self.object_id} {self.action}"
