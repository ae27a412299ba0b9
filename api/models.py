from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from core.models import TimeStampedModel


class ApiTokenQuerySet(models.QuerySet):
    def active(self) -> "ApiTokenQuerySet":
        return self.filter(revoked_at__isnull=True)


class ApiToken(TimeStampedModel):
    """A key with which a program reads the API on a user's behalf, seeing what the user sees.
    Only the SHA-256 of the key is kept: the key itself is shown once, when it is made."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người dùng"),
        on_delete=models.CASCADE,
        related_name="api_tokens",
    )
    name = models.CharField(_("tên khóa"), max_length=100)
    key_hash = models.CharField(_("mã băm SHA-256 của khóa"), max_length=64, unique=True)
    # The key's first characters, enough for a person to tell their keys apart.
    prefix = models.CharField(_("đầu khóa"), max_length=12)
    last_used_at = models.DateTimeField(_("dùng lần cuối lúc"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("thu hồi lúc"), null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["last_used_at"])

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("khóa API")
        verbose_name_plural = pgettext_lazy("số nhiều", "khóa API")
        constraints = [
            models.CheckConstraint(
                condition=~Q(name=""),
                name="api_token_has_name",
                violation_error_message=_("Cần đặt tên cho khóa API."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None
