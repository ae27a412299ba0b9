from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from projects.models import Scheme, SchemeStatusChange


class Notification(models.Model):
    """One message in a user's inbox, e-mailed once (emailed_at)."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người nhận"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    scheme = models.ForeignKey(
        Scheme, verbose_name=_("đề án"), on_delete=models.CASCADE, related_name="+", null=True
    )
    status_change = models.ForeignKey(
        SchemeStatusChange,
        verbose_name=_("chuyển trạng thái"),
        on_delete=models.CASCADE,
        related_name="notifications",
        null=True,
        blank=True,
    )
    # What a reminder is about, e.g. "contract-overdue:2026:123"; one per recipient and key.
    reminder_key = models.CharField(_("mã nhắc việc"), max_length=80, blank=True)
    subject = models.CharField(_("tiêu đề"), max_length=255)
    body = models.TextField(_("nội dung"))
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    read_at = models.DateTimeField(_("đã đọc lúc"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("đã gửi thư lúc"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("thông báo")
        verbose_name_plural = pgettext_lazy("số nhiều", "thông báo")
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "status_change"],
                condition=models.Q(status_change__isnull=False),
                name="notification_once_per_change",
            ),
            models.UniqueConstraint(
                fields=["recipient", "reminder_key"],
                condition=~models.Q(reminder_key=""),
                name="notification_once_per_reminder",
            ),
        ]
        indexes = [models.Index(fields=["recipient", "read_at"])]

    def __str__(self) -> str:
        return self.subject
