from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from budgets.models import Allocation
from core.models import MoneyField, TimeStampedModel
from core.money import format_vnd
from organisations.models import Organisation
from projects.models import Scheme


class Kind(models.TextChoices):
    AMOUNT = "amount", _("Điều chỉnh kinh phí hỗ trợ")
    SCHEDULE = "schedule", _("Điều chỉnh thời gian thực hiện")
    CONTENT = "content", _("Điều chỉnh nội dung")
    UNIT = "unit", _("Thay đổi đơn vị thực hiện")
    STOP = "stop", _("Ngừng triển khai")


class ContentChange(models.TextChoices):
    """What a content adjustment touches: the rules give it to different authorities."""

    AREA = "area", _("Nội dung khuyến công của đề án")
    PLACE = "place", _("Địa điểm, cơ sở thụ hưởng, đơn vị phối hợp")
    OTHER = "other", _("Nội dung khác, không tăng kinh phí")


class Authority(models.TextChoices):
    MINISTER = "minister", _("Bộ trưởng Bộ Công Thương (Cục trình)")
    AGENCY = "agency", _("Cục (cơ quan quản lý khuyến công)")
    DEPARTMENT = "department", _("Sở Công Thương")


class Basis(models.TextChoices):
    """The rule of TT 36/2013/TT-BCT Art. 11 that names the deciding authority."""

    STOP = "stop", _("TT 36/2013/TT-BCT, Điều 11: ngừng triển khai đề án do Bộ trưởng quyết định.")
    RAISE = (
        "raise",
        _("TT 36/2013/TT-BCT, Điều 11: tăng tổng kinh phí hỗ trợ do Bộ trưởng quyết định."),
    )
    NO_RAISE = (
        "no_raise",
        _(
            "TT 36/2013/TT-BCT, Điều 11: điều chỉnh không làm tăng kinh phí hỗ trợ "
            "do Cục quyết định."
        ),
    )
    NEXT_YEAR = (
        "next_year",
        _(
            "TT 36/2013/TT-BCT, Điều 11: kéo dài thời gian thực hiện sang năm sau "
            "do Bộ trưởng quyết định."
        ),
    )
    WITHIN_YEAR = (
        "within_year",
        _(
            "TT 36/2013/TT-BCT, Điều 11: điều chỉnh thời gian trong năm ngân sách "
            "do Cục quyết định."
        ),
    )
    AREA = (
        "area",
        _("TT 36/2013/TT-BCT, Điều 11: thay đổi nội dung khuyến công do Bộ trưởng quyết định."),
    )
    GROUP_PLACE = (
        "group_place",
        _(
            "TT 36/2013/TT-BCT, Điều 11: đề án nhóm – thay đổi địa điểm, cơ sở thụ hưởng, "
            "đơn vị phối hợp do Sở Công Thương quyết định, gửi Cục để biết."
        ),
    )
    PLACE = (
        "place",
        _(
            "TT 36/2013/TT-BCT, Điều 11: thay đổi địa điểm, cơ sở thụ hưởng, đơn vị phối hợp "
            "do Cục quyết định."
        ),
    )
    UNIT = (
        "unit",
        _(
            "TT 36/2013/TT-BCT, Điều 11: thay đổi đơn vị thực hiện là sửa đổi hợp đồng hoặc "
            "quyết định giao nhiệm vụ, do Cục quyết định."
        ),
    )


class AdjustmentRequestQuerySet(models.QuerySet):
    def open(self) -> "AdjustmentRequestQuerySet":
        return self.filter(status=AdjustmentRequest.Status.REQUESTED)

    def for_list(self) -> "AdjustmentRequestQuerySet":
        return self.select_related(
            "scheme", "requested_by", "decided_by", "current_unit", "requested_unit"
        ).order_by("-created_at", "-pk")


class AdjustmentRequest(TimeStampedModel):
    """A written request of the unit that prepares a scheme to change or stop it after it was
    approved (TT 36/2013 Art. 11), with the values before and after, the authority that decides
    it under the rules and that authority's decision."""

    Kind = Kind
    ContentChange = ContentChange
    Authority = Authority
    Basis = Basis

    class Status(models.TextChoices):
        REQUESTED = "requested", _("Chờ quyết định")
        APPROVED = "approved", _("Đã chấp thuận")
        REFUSED = "refused", _("Không được chấp thuận")
        WITHDRAWN = "withdrawn", _("Đã rút lại")

    scheme = models.ForeignKey(
        Scheme,
        verbose_name=_("đề án"),
        on_delete=models.PROTECT,
        related_name="adjustment_requests",
    )
    kind = models.CharField(_("loại đề nghị"), max_length=10, choices=Kind.choices)
    content_change = models.CharField(
        _("phạm vi điều chỉnh nội dung"),
        max_length=10,
        choices=ContentChange.choices,
        blank=True,
    )
    reason = models.TextField(_("lý do đề nghị"))
    # Before (at the time of the request) and after (what is asked for).
    scheme_status = models.CharField(
        _("trạng thái đề án khi đề nghị"), max_length=16, choices=Scheme.Status.choices
    )
    allocation = models.ForeignKey(
        Allocation,
        verbose_name=_("kinh phí được điều chỉnh"),
        on_delete=models.PROTECT,
        related_name="adjustment_requests",
        null=True,
        blank=True,
    )
    current_amount = MoneyField(_("kinh phí được duyệt trước điều chỉnh"), null=True, blank=True)
    requested_amount = MoneyField(_("kinh phí đề nghị sau điều chỉnh"), null=True, blank=True)
    current_end_date = models.DateField(_("ngày kết thúc trước điều chỉnh"))
    requested_end_date = models.DateField(
        _("ngày kết thúc đề nghị sau điều chỉnh"), null=True, blank=True
    )
    current_unit = models.ForeignKey(
        Organisation,
        verbose_name=_("đơn vị thực hiện trước điều chỉnh"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    requested_unit = models.ForeignKey(
        Organisation,
        verbose_name=_("đơn vị thực hiện đề nghị"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    authority = models.CharField(_("cấp quyết định"), max_length=12, choices=Authority.choices)
    basis = models.CharField(
        _("căn cứ xác định cấp quyết định"), max_length=12, choices=Basis.choices
    )
    status = models.CharField(
        _("tình trạng"), max_length=10, choices=Status.choices, default=Status.REQUESTED
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người đề nghị"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người quyết định"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    decided_on = models.DateField(_("ngày quyết định"), null=True, blank=True)
    decision_number = models.CharField(_("số quyết định, văn bản"), max_length=60, blank=True)
    decision_reason = models.TextField(_("ý kiến, lý do quyết định"), blank=True)

    objects = AdjustmentRequestQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("đề nghị điều chỉnh")
        verbose_name_plural = pgettext_lazy("số nhiều", "đề nghị điều chỉnh")
        constraints = [
            models.UniqueConstraint(
                fields=["scheme"],
                condition=Q(status="requested"),
                name="adjustment_one_open_per_scheme",
                violation_error_message=_(
                    "Đề án đang có một đề nghị điều chỉnh chờ quyết định: chỉ gửi đề nghị mới "
                    "khi đề nghị trước đã được quyết định hoặc rút lại."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(kind="amount")
                | (Q(requested_amount__isnull=False) & Q(allocation__isnull=False)),
                name="adjustment_amount_has_amounts",
                violation_error_message=_("Đề nghị điều chỉnh kinh phí cần số kinh phí mới."),
            ),
            models.CheckConstraint(
                condition=~Q(kind="schedule") | Q(requested_end_date__isnull=False),
                name="adjustment_schedule_has_date",
                violation_error_message=_("Đề nghị điều chỉnh thời gian cần ngày kết thúc mới."),
            ),
            models.CheckConstraint(
                condition=~Q(kind="unit") | Q(requested_unit__isnull=False),
                name="adjustment_unit_has_unit",
                violation_error_message=_("Đề nghị thay đổi đơn vị thực hiện cần đơn vị mới."),
            ),
            models.CheckConstraint(
                condition=~Q(kind="content") | ~Q(content_change=""),
                name="adjustment_content_has_scope",
                violation_error_message=_(
                    "Đề nghị điều chỉnh nội dung cần nêu phạm vi điều chỉnh."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(reason=""),
                name="adjustment_reason_given",
                violation_error_message=_("Cần ghi rõ lý do đề nghị."),
            ),
            models.CheckConstraint(
                condition=Q(status__in=["requested", "withdrawn"])
                | (Q(decided_by__isnull=False) & Q(decided_on__isnull=False)),
                name="adjustment_decision_recorded",
                violation_error_message=_("Quyết định cần ghi người và ngày quyết định."),
            ),
            models.CheckConstraint(
                condition=~Q(status="refused") | ~Q(decision_reason=""),
                name="adjustment_refusal_has_reason",
                violation_error_message=_("Không chấp thuận đề nghị cần ghi rõ lý do."),
            ),
        ]
        indexes = [models.Index(fields=["status", "authority"])]

    def __str__(self) -> str:
        return f"{self.scheme.code}: {self.get_kind_display()}"

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.REQUESTED

    def changes(self) -> list[tuple[str, str, str]]:
        """What the request changes, as (what, before, after) written for people: amounts in
        đồng, dates dd/mm/YYYY (current_unit and requested_unit should be selected)."""
        if self.kind == Kind.AMOUNT:
            return [
                (
                    str(_("Kinh phí hỗ trợ được duyệt")),
                    format_vnd(self.current_amount or 0),
                    format_vnd(self.requested_amount or 0),
                )
            ]
        if self.kind == Kind.SCHEDULE:
            return [
                (
                    str(_("Ngày kết thúc")),
                    self.current_end_date.strftime("%d/%m/%Y"),
                    self.requested_end_date.strftime("%d/%m/%Y")
                    if self.requested_end_date
                    else "—",
                )
            ]
        if self.kind == Kind.UNIT:
            return [
                (
                    str(_("Đơn vị thực hiện")),
                    self.current_unit.name,
                    self.requested_unit.name if self.requested_unit else "—",
                )
            ]
        if self.kind == Kind.STOP:
            return [
                (
                    str(_("Trạng thái")),
                    Scheme.Status(self.scheme_status).label,
                    Scheme.Status.STOPPED.label,
                )
            ]
        return [
            (
                self.get_content_change_display(),
                str(_("như hồ sơ hiện nay")),
                str(_("như nêu trong lý do đề nghị")),
            )
        ]
