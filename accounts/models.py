from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from organisations.models import Organisation
from provinces.models import Province


class Role(models.TextChoices):
    PROVINCE = "province", _("Cán bộ tỉnh (Sở Công Thương, Trung tâm khuyến công)")
    REGIONAL = "regional", _("Cán bộ Trung tâm khuyến công vùng")
    MINISTRY = "ministry", _("Cán bộ Bộ Công Thương")
    APPROVER = "approver", _("Lãnh đạo phê duyệt")
    ADMIN = "admin", _("Quản trị hệ thống")


class User(AbstractUser):
    """A person using the system. A province user is bound to one post-2025 unit and sees the
    records of the old provinces merged into it; regional-centre staff are bound to their centre."""

    role = models.CharField(
        _("vai trò"), max_length=16, choices=Role.choices, default=Role.MINISTRY
    )
    province = models.ForeignKey(
        Province,
        verbose_name=_("tỉnh, thành phố"),
        on_delete=models.PROTECT,
        related_name="users",
        null=True,
        blank=True,
        limit_choices_to={"map_version": "34"},
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("cơ quan"),
        on_delete=models.PROTECT,
        related_name="users",
        null=True,
        blank=True,
    )

    class Meta:
        verbose_name = _("người dùng")
        verbose_name_plural = pgettext_lazy("số nhiều", "người dùng")
        constraints = [
            models.CheckConstraint(
                condition=~Q(role="province") | Q(province__isnull=False),
                name="province_user_has_province",
                violation_error_message=_("Cán bộ tỉnh phải gắn với một tỉnh, thành phố."),
            ),
            models.CheckConstraint(
                condition=~Q(role="regional") | Q(organisation__isnull=False),
                name="regional_user_has_centre",
                violation_error_message=_(
                    "Cán bộ trung tâm vùng phải gắn với trung tâm khuyến công vùng."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    def get_full_name(self) -> str:
        # Vietnamese order: family and middle names (last_name) before the given name.
        return f"{self.last_name} {self.first_name}".strip()

    @property
    def sees_everything(self) -> bool:
        return self.is_superuser or self.role in {Role.MINISTRY, Role.APPROVER, Role.ADMIN}
