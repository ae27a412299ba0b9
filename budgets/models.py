from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Case, DecimalField, F, Q, Sum, Value, When
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from core.models import MoneyField, TimeStampedModel
from organisations.models import Organisation
from projects.models import Fund, Scheme

ZERO = Value(Decimal(0), output_field=DecimalField(max_digits=18, decimal_places=0))


def money_sum(expression, **filters) -> Coalesce:
    """SUM(expression) as an exact decimal, 0 when there is nothing to add."""
    total = Sum(expression, filter=Q(**filters)) if filters else Sum(expression)
    return Coalesce(total, ZERO, output_field=DecimalField(max_digits=18, decimal_places=0))


class AnnualPlan(TimeStampedModel):
    """A year's khuyến công plan for one fund and one managing unit (the ministry's agency or a
    regional centre for the national fund, a provincial Sở Công Thương for a local one). Its
    envelope is the sum of the batches (đợt) approved by decision."""

    year = models.PositiveSmallIntegerField(_("năm"))
    fund = models.CharField(_("nguồn kinh phí"), max_length=10, choices=Fund.choices)
    managing_unit = models.ForeignKey(
        Organisation,
        verbose_name=_("đơn vị quản lý"),
        on_delete=models.PROTECT,
        related_name="plans",
    )
    title = models.CharField(_("tên kế hoạch"), max_length=255)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-year", "fund", "managing_unit__name"]
        verbose_name = _("kế hoạch khuyến công năm")
        verbose_name_plural = pgettext_lazy("số nhiều", "kế hoạch khuyến công năm")
        constraints = [
            models.UniqueConstraint(
                fields=["year", "fund", "managing_unit"], name="plan_per_year_fund_unit"
            ),
            models.CheckConstraint(
                condition=Q(year__gte=2012) & Q(year__lte=2100),
                name="plan_year_in_range",
                violation_error_message=_("Năm kế hoạch phải từ 2012 đến 2100."),
            ),
        ]

    def __str__(self) -> str:
        return self.title


class PlanBatch(TimeStampedModel):
    """A batch (đợt) of a plan, approved by one decision that adds to the envelope."""

    plan = models.ForeignKey(
        AnnualPlan, verbose_name=_("kế hoạch"), on_delete=models.PROTECT, related_name="batches"
    )
    number = models.PositiveSmallIntegerField(_("đợt"))
    decision_number = models.CharField(_("số quyết định"), max_length=60)
    decision_date = models.DateField(_("ngày quyết định"))
    amount = MoneyField(_("kinh phí giao"))

    history = HistoricalRecords()

    class Meta:
        ordering = ["plan", "number"]
        verbose_name = _("đợt giao kế hoạch")
        verbose_name_plural = pgettext_lazy("số nhiều", "đợt giao kế hoạch")
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="batch_number_per_plan"),
            models.CheckConstraint(
                condition=Q(amount__gt=0),
                name="batch_amount_positive",
                violation_error_message=_("Kinh phí giao của một đợt phải lớn hơn 0."),
            ),
            models.CheckConstraint(
                condition=Q(number__gte=1),
                name="batch_number_from_one",
                violation_error_message=_("Số đợt bắt đầu từ 1."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.plan} – đợt {self.number} ({self.decision_number})"


class Allocation(TimeStampedModel):
    """The support approved for a scheme in an annual plan (kinh phí hỗ trợ được phê duyệt)."""

    plan = models.ForeignKey(
        AnnualPlan, verbose_name=_("kế hoạch"), on_delete=models.PROTECT, related_name="allocations"
    )
    batch = models.ForeignKey(
        PlanBatch, verbose_name=_("đợt"), on_delete=models.PROTECT, related_name="allocations"
    )
    scheme = models.ForeignKey(
        Scheme, verbose_name=_("đề án"), on_delete=models.PROTECT, related_name="allocations"
    )
    amount = MoneyField(_("kinh phí hỗ trợ được duyệt"))

    history = HistoricalRecords()

    class Meta:
        ordering = ["plan", "scheme__code"]
        verbose_name = _("kinh phí đề án được duyệt")
        verbose_name_plural = pgettext_lazy("số nhiều", "kinh phí đề án được duyệt")
        constraints = [
            models.UniqueConstraint(fields=["plan", "scheme"], name="allocation_once_per_plan"),
            models.CheckConstraint(
                condition=Q(amount__gte=0),
                name="allocation_not_negative",
                violation_error_message=_("Kinh phí được duyệt không được âm."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.scheme.code} / {self.plan.year}"


class Contract(TimeStampedModel):
    """A contract signed with the implementing unit, or a task assigned to a budget unit of the
    ministry (giao nhiệm vụ), for part or all of an allocation."""

    class Kind(models.TextChoices):
        CONTRACT = "contract", _("Hợp đồng")
        TASK = "task", _("Giao nhiệm vụ")

    allocation = models.ForeignKey(
        Allocation,
        verbose_name=_("kinh phí được duyệt"),
        on_delete=models.PROTECT,
        related_name="contracts",
    )
    kind = models.CharField(_("hình thức"), max_length=10, choices=Kind.choices)
    number = models.CharField(_("số hợp đồng / quyết định"), max_length=60)
    signed_on = models.DateField(_("ngày ký"))
    value = MoneyField(_("giá trị"))
    contractor = models.ForeignKey(
        Organisation,
        verbose_name=_("bên nhận"),
        on_delete=models.PROTECT,
        related_name="contracts",
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["signed_on", "number"]
        verbose_name = _("hợp đồng / giao nhiệm vụ")
        verbose_name_plural = pgettext_lazy("số nhiều", "hợp đồng / giao nhiệm vụ")
        constraints = [
            models.UniqueConstraint(
                fields=["allocation", "number"], name="contract_number_per_allocation"
            ),
            models.CheckConstraint(
                condition=Q(value__gt=0),
                name="contract_value_positive",
                violation_error_message=_("Giá trị hợp đồng phải lớn hơn 0."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.number}"


class Disbursement(TimeStampedModel):
    """One entry of the disbursement ledger: an advance, a payment, or a refund of unused
    money. Amounts are positive; a refund counts against the total."""

    class Kind(models.TextChoices):
        ADVANCE = "advance", _("Tạm ứng")
        PAYMENT = "payment", _("Thanh toán")
        REFUND = "refund", _("Thu hồi, hoàn trả")

    contract = models.ForeignKey(
        Contract,
        verbose_name=_("hợp đồng / giao nhiệm vụ"),
        on_delete=models.PROTECT,
        related_name="disbursements",
    )
    kind = models.CharField(_("loại"), max_length=10, choices=Kind.choices)
    paid_on = models.DateField(_("ngày chứng từ"))
    amount = MoneyField(_("số tiền"))
    voucher_number = models.CharField(_("số chứng từ"), max_length=60)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người ghi"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    note = models.CharField(_("ghi chú"), max_length=255, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["paid_on", "pk"]
        verbose_name = _("giải ngân")
        verbose_name_plural = pgettext_lazy("số nhiều", "giải ngân")
        constraints = [
            models.UniqueConstraint(
                fields=["contract", "voucher_number"], name="disbursement_voucher_per_contract"
            ),
            models.CheckConstraint(
                condition=Q(amount__gt=0),
                name="disbursement_amount_positive",
                violation_error_message=_("Số tiền giải ngân phải lớn hơn 0."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.voucher_number}"

    @staticmethod
    def signed_amount(prefix: str = "") -> Case:
        """The entry's effect on the amount disbursed: + for advances and payments, − for
        refunds. `prefix` reaches the ledger from a related model ("contracts__disbursements__")."""
        return Case(
            When(**{f"{prefix}kind": Disbursement.Kind.REFUND}, then=-F(f"{prefix}amount")),
            default=F(f"{prefix}amount"),
            output_field=DecimalField(max_digits=18, decimal_places=0),
        )


class SchemeAwaitingApproval(Scheme):
    """The approval queue of the admin panel: schemes registered with the agency or appraised
    by it, waiting for the approver's decision. A proxy: the same rows as Scheme."""

    class Meta:
        proxy = True
        verbose_name = _("đề án chờ phê duyệt")
        verbose_name_plural = pgettext_lazy("số nhiều", "đề án chờ phê duyệt")


from budgets.summary import AllocationMoney  # noqa: E402, F401  (the summary table)
