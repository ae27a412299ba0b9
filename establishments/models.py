from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from core.models import FoldedSearchModel, TimeStampedModel
from establishments.validators import validate_registration_number, validate_tax_code
from provinces.models import Province
from reference.models import Sector


class Establishment(FoldedSearchModel, TimeStampedModel):
    """A rural industrial establishment (cơ sở công nghiệp nông thôn) that benefits from schemes."""

    SEARCH_FIELDS = ("name", "registration_code", "commune")

    class LegalForm(models.TextChoices):
        ENTERPRISE = "enterprise", _("Doanh nghiệp nhỏ và vừa")
        COOPERATIVE = "cooperative", _("Hợp tác xã")
        COOPERATIVE_UNION = "cooperative_union", _("Liên hiệp hợp tác xã")
        COOPERATIVE_GROUP = "cooperative_group", _("Tổ hợp tác")
        HOUSEHOLD = "household", _("Hộ kinh doanh")

    class Size(models.TextChoices):
        MICRO = "micro", _("Siêu nhỏ")
        SMALL = "small", _("Nhỏ")
        MEDIUM = "medium", _("Vừa")

    # Enterprises and cooperatives are registered under their tax code; the others may hold a
    # registration number issued locally.
    TAX_CODE_FORMS = frozenset({"enterprise", "cooperative", "cooperative_union"})

    name = models.CharField(_("tên cơ sở"), max_length=255)
    legal_form = models.CharField(_("loại hình"), max_length=20, choices=LegalForm.choices)
    registration_code = models.CharField(
        _("mã số thuế / số đăng ký"),
        max_length=20,
        unique=True,
        validators=[validate_registration_number],
    )
    province = models.ForeignKey(
        Province,
        verbose_name=_("tỉnh, thành phố"),
        on_delete=models.PROTECT,
        related_name="establishments",
    )
    commune = models.CharField(_("xã, phường"), max_length=120, blank=True)
    address = models.CharField(_("địa chỉ"), max_length=255, blank=True)
    sector = models.ForeignKey(
        Sector,
        verbose_name=_("ngành nghề"),
        on_delete=models.PROTECT,
        related_name="establishments",
    )
    size = models.CharField(_("quy mô"), max_length=10, choices=Size.choices)
    workers = models.PositiveIntegerField(_("số lao động"), default=0)
    owned_by_woman = models.BooleanField(_("do phụ nữ làm chủ"), default=False)
    owned_by_ethnic_minority = models.BooleanField(
        _("do người dân tộc thiểu số làm chủ"), default=False
    )
    representative = models.CharField(_("người đại diện"), max_length=120, blank=True)
    phone = models.CharField(_("điện thoại"), max_length=20, blank=True)
    is_public = models.BooleanField(
        _("được công khai tên"),
        default=False,
        help_text=_("Chỉ công bố tên cơ sở trên trang dữ liệu mở khi được đánh dấu."),
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("cơ sở công nghiệp nông thôn")
        verbose_name_plural = pgettext_lazy("số nhiều", "cơ sở công nghiệp nông thôn")
        constraints = [
            models.CheckConstraint(
                condition=~Q(registration_code=""),
                name="establishment_registration_code_set",
                violation_error_message=_("Cần nhập mã số thuế hoặc số đăng ký kinh doanh."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        super().clean()
        if self.legal_form in self.TAX_CODE_FORMS and self.registration_code:
            try:
                validate_tax_code(self.registration_code)
            except ValidationError as error:
                raise ValidationError({"registration_code": error.messages}) from error
