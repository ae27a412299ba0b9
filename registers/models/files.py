"""Photos and documents of a typical product's dossier (TT 26/2014: three colour photos, the
product description, quality and food-safety certificates). Stored like a scheme's
attachments: outside the web root, typed by content, served only to those who see the product."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from registers.models.products import TypicalProduct
from submissions.models import Attachment


class ProductFile(models.Model):
    class Kind(models.TextChoices):
        PHOTO = "photo", _("Ảnh sản phẩm")
        DESCRIPTION = "description", _("Bản mô tả sản phẩm")
        QUALITY = "quality", _("Giấy chứng nhận chất lượng, an toàn thực phẩm")
        CERTIFICATE = "certificate", _("Giấy chứng nhận sản phẩm tiêu biểu")
        OTHER = "other", _("Tài liệu khác")

    product = models.ForeignKey(
        TypicalProduct,
        verbose_name=_("sản phẩm"),
        on_delete=models.CASCADE,
        related_name="files",
    )
    kind = models.CharField(_("loại tài liệu"), max_length=12, choices=Kind.choices)
    label = models.CharField(_("mô tả"), max_length=200, blank=True)
    original_name = models.CharField(_("tên tệp gốc"), max_length=255)
    stored_path = models.CharField(_("đường dẫn lưu trữ"), max_length=255, unique=True)
    size = models.PositiveBigIntegerField(_("dung lượng (byte)"))
    content_type = models.CharField(
        _("định dạng (theo nội dung)"), max_length=100, choices=Attachment.FileType.choices
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
        ordering = ["product", "uploaded_at", "pk"]
        verbose_name = _("tệp hồ sơ sản phẩm")
        verbose_name_plural = pgettext_lazy("số nhiều", "tệp hồ sơ sản phẩm")

    def __str__(self) -> str:
        return self.original_name
