from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Case, DecimalField, F, Q, Sum, Value, When
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.history import HistoricalRecords
from core.models import MoneyField, TimeStampedModel
from organisations.models import Organisation
from projects.models import Fund, Scheme
from provinces.models import Province

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
    money. Amounts are positive; a refund counts against the total. A counter-entry
    (`reverses`) has the kind of the entry it cancels and the opposite, negative, amount."""

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
    # A mistaken entry is never deleted: a counter-entry of the same kind and the opposite
    # amount cancels it, so every sum of the ledger nets out as it is.
    reverses = models.OneToOneField(
        "self",
        verbose_name=_("đảo bút toán"),
        on_delete=models.PROTECT,
        related_name="reversed_by",
        null=True,
        blank=True,
    )

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
                condition=Q(amount__gt=0) | Q(amount__lt=0, reverses__isnull=False),
                name="disbursement_amount_positive",
                violation_error_message=_(
                    "Số tiền giải ngân phải lớn hơn 0; chỉ bút toán đảo mới mang số âm."
                ),
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


# Envelopes: how a plan's money is divided between regional centres and provinces.


class Envelope(TimeStampedModel):
    """The part of a plan set aside for one regional centre (the schemes it implements) or one
    province (the schemes located there). A scheme counts in its centre's envelope if the plan
    sets one, otherwise in its province's; a scheme in neither is bound by the plan alone."""

    plan = models.ForeignKey(
        AnnualPlan, verbose_name=_("kế hoạch"), on_delete=models.PROTECT, related_name="envelopes"
    )
    province = models.ForeignKey(
        Province,
        verbose_name=_("tỉnh, thành phố"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("trung tâm khuyến công vùng"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        limit_choices_to={"kind": Organisation.Kind.REGIONAL_CENTRE},
    )
    amount = MoneyField(_("kinh phí phân bổ"))

    history = HistoricalRecords()

    class Meta:
        ordering = ["plan", "organisation__name", "province__code"]
        verbose_name = _("hạn mức phân bổ")
        verbose_name_plural = pgettext_lazy("số nhiều", "hạn mức phân bổ")
        constraints = [
            models.CheckConstraint(
                condition=Q(province__isnull=True, organisation__isnull=False)
                | Q(province__isnull=False, organisation__isnull=True),
                name="envelope_for_province_or_centre",
                violation_error_message=_(
                    "Hạn mức phân bổ dành cho đúng một tỉnh hoặc một trung tâm vùng."
                ),
            ),
            models.UniqueConstraint(
                fields=["plan", "province"],
                condition=Q(province__isnull=False),
                name="envelope_once_per_province",
                violation_error_message=_("Kế hoạch đã có hạn mức cho tỉnh này."),
            ),
            models.UniqueConstraint(
                fields=["plan", "organisation"],
                condition=Q(organisation__isnull=False),
                name="envelope_once_per_centre",
                violation_error_message=_("Kế hoạch đã có hạn mức cho trung tâm này."),
            ),
            models.CheckConstraint(
                condition=Q(amount__gte=0),
                name="envelope_not_negative",
                violation_error_message=_("Hạn mức phân bổ không được âm."),
            ),
        ]

    def __str__(self) -> str:
        holder = self.organisation if self.organisation_id else self.province.name
        return f"{holder} – {self.plan.year}"


class EnvelopeTransfer(TimeStampedModel):
    """A mid-year re-allocation (điều chỉnh phân bổ) from one envelope of a plan to another."""

    plan = models.ForeignKey(
        AnnualPlan,
        verbose_name=_("kế hoạch"),
        on_delete=models.PROTECT,
        related_name="envelope_transfers",
    )
    source = models.ForeignKey(
        Envelope,
        verbose_name=_("chuyển từ"),
        on_delete=models.PROTECT,
        related_name="transfers_out",
    )
    target = models.ForeignKey(
        Envelope,
        verbose_name=_("chuyển đến"),
        on_delete=models.PROTECT,
        related_name="transfers_in",
    )
    amount = MoneyField(_("số tiền điều chỉnh"))
    decided_on = models.DateField(_("ngày quyết định"))
    decision_number = models.CharField(_("số quyết định"), max_length=60)
    reason = models.TextField(_("lý do"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người ghi"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["plan", "decided_on", "pk"]
        verbose_name = _("điều chỉnh hạn mức phân bổ")
        verbose_name_plural = pgettext_lazy("số nhiều", "điều chỉnh hạn mức phân bổ")
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gt=0),
                name="envelope_transfer_positive",
                violation_error_message=_("Số tiền điều chỉnh phải lớn hơn 0."),
            ),
            models.CheckConstraint(
                condition=~Q(source=F("target")),
                name="envelope_transfer_two_envelopes",
                violation_error_message=_("Hạn mức chuyển đi và nhận về phải khác nhau."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.decision_number}: {self.source} → {self.target}"


class AllocationChange(TimeStampedModel):
    """A change of the support approved for a scheme (điều chỉnh kinh phí), with its decision."""

    allocation = models.ForeignKey(
        Allocation,
        verbose_name=_("kinh phí được duyệt"),
        on_delete=models.PROTECT,
        related_name="changes",
    )
    decided_on = models.DateField(_("ngày quyết định"))
    decision_number = models.CharField(_("số quyết định"), max_length=60, blank=True)
    amount_before = MoneyField(_("kinh phí trước"))
    amount_after = MoneyField(_("kinh phí sau"))
    reason = models.TextField(_("lý do"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người ghi"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["allocation", "decided_on", "pk"]
        verbose_name = _("điều chỉnh kinh phí được duyệt")
        verbose_name_plural = pgettext_lazy("số nhiều", "điều chỉnh kinh phí được duyệt")
        constraints = [
            models.CheckConstraint(
                condition=~Q(amount_before=F("amount_after")),
                name="allocation_change_changes",
                violation_error_message=_("Kinh phí sau điều chỉnh phải khác kinh phí trước."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.allocation} ({self.decided_on:%d/%m/%Y})"


# Contracts: the planned payments, the amendments and the liquidation.


class ContractTranche(TimeStampedModel):
    """One planned payment (đợt thanh toán) of a contract's schedule."""

    contract = models.ForeignKey(
        Contract,
        verbose_name=_("hợp đồng / giao nhiệm vụ"),
        on_delete=models.CASCADE,
        related_name="tranches",
    )
    number = models.PositiveSmallIntegerField(_("đợt"))
    due_on = models.DateField(_("ngày dự kiến"))
    amount = MoneyField(_("số tiền dự kiến"))

    history = HistoricalRecords()

    class Meta:
        ordering = ["contract", "number"]
        verbose_name = _("đợt thanh toán dự kiến")
        verbose_name_plural = pgettext_lazy("số nhiều", "đợt thanh toán dự kiến")
        constraints = [
            models.UniqueConstraint(fields=["contract", "number"], name="tranche_number_unique"),
            models.CheckConstraint(
                condition=Q(amount__gt=0),
                name="tranche_amount_positive",
                violation_error_message=_("Số tiền của một đợt thanh toán phải lớn hơn 0."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.contract} – đợt {self.number}"


class ContractAmendment(TimeStampedModel):
    """An amendment (phụ lục hợp đồng, quyết định điều chỉnh) that changes a contract's value."""

    contract = models.ForeignKey(
        Contract,
        verbose_name=_("hợp đồng / giao nhiệm vụ"),
        on_delete=models.PROTECT,
        related_name="amendments",
    )
    number = models.CharField(_("số phụ lục / quyết định"), max_length=60)
    signed_on = models.DateField(_("ngày ký"))
    value_before = MoneyField(_("giá trị trước"))
    value_after = MoneyField(_("giá trị sau"))
    reason = models.TextField(_("lý do"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người ghi"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["contract", "signed_on", "pk"]
        verbose_name = _("điều chỉnh hợp đồng")
        verbose_name_plural = pgettext_lazy("số nhiều", "điều chỉnh hợp đồng")
        constraints = [
            models.UniqueConstraint(
                fields=["contract", "number"],
                name="amendment_number_per_contract",
                violation_error_message=_("Hợp đồng đã có phụ lục số này."),
            ),
            models.CheckConstraint(
                condition=Q(value_after__gt=0),
                name="amendment_value_positive",
                violation_error_message=_("Giá trị hợp đồng sau điều chỉnh phải lớn hơn 0."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.contract} – {self.number}"


class ContractLiquidation(TimeStampedModel):
    """The liquidation (thanh lý) of a contract: the value finally accepted, after which the
    ledger may only bring the net paid to that value."""

    contract = models.OneToOneField(
        Contract,
        verbose_name=_("hợp đồng / giao nhiệm vụ"),
        on_delete=models.PROTECT,
        related_name="liquidation",
    )
    number = models.CharField(_("số biên bản thanh lý"), max_length=60)
    signed_on = models.DateField(_("ngày thanh lý"))
    final_value = MoneyField(_("giá trị quyết toán hợp đồng"))
    note = models.TextField(_("ghi chú"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người ghi"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["signed_on", "pk"]
        verbose_name = _("thanh lý hợp đồng")
        verbose_name_plural = pgettext_lazy("số nhiều", "thanh lý hợp đồng")
        constraints = [
            models.CheckConstraint(
                condition=Q(final_value__gte=0),
                name="liquidation_value_not_negative",
                violation_error_message=_("Giá trị thanh lý không được âm."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.contract} – {self.number}"


class Settlement(TimeStampedModel):
    """The settlement (quyết toán) of a scheme's support in one plan: what was finally spent
    (the net disbursed on the settlement date) and what goes back to the budget."""

    allocation = models.OneToOneField(
        Allocation,
        verbose_name=_("kinh phí được duyệt"),
        on_delete=models.PROTECT,
        related_name="settlement",
    )
    decision_number = models.CharField(_("số quyết định quyết toán"), max_length=60)
    settled_on = models.DateField(_("ngày quyết toán"))
    settled_amount = MoneyField(_("kinh phí quyết toán"))
    returned_amount = MoneyField(_("kinh phí hoàn trả ngân sách"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người ghi"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["settled_on", "pk"]
        verbose_name = _("quyết toán đề án")
        verbose_name_plural = pgettext_lazy("số nhiều", "quyết toán đề án")
        constraints = [
            models.CheckConstraint(
                condition=Q(settled_amount__gte=0) & Q(returned_amount__gte=0),
                name="settlement_amounts_not_negative",
                violation_error_message=_("Số quyết toán và số hoàn trả không được âm."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.allocation} – {self.decision_number}"


# Rules and periods.


class AdvanceRule(TimeStampedModel):
    """The advance rates in force over a period, for one kind of scheme or for all: the first
    advance and the ceiling of advances outstanding, in per cent of the contract value. Data,
    not constants: the rates come from circulars that change."""

    valid_from = models.DateField(_("hiệu lực từ"))
    valid_to = models.DateField(_("hiệu lực đến"), null=True, blank=True)
    scheme_kind = models.CharField(
        _("loại đề án"),
        max_length=10,
        choices=Scheme.Kind.choices,
        blank=True,
        help_text=_("Để trống: áp dụng cho mọi loại đề án."),
    )
    first_advance_rate = models.DecimalField(
        _("tạm ứng lần đầu tối đa (%)"), max_digits=5, decimal_places=2
    )
    advance_cap_rate = models.DecimalField(
        _("tổng tạm ứng tối đa (%)"), max_digits=5, decimal_places=2
    )
    legal_basis = models.TextField(_("căn cứ pháp lý"))

    history = HistoricalRecords()

    class Meta:
        ordering = ["valid_from", "scheme_kind"]
        verbose_name = _("quy định tạm ứng")
        verbose_name_plural = pgettext_lazy("số nhiều", "quy định tạm ứng")
        constraints = [
            models.CheckConstraint(
                condition=Q(first_advance_rate__gte=0, first_advance_rate__lte=100)
                & Q(advance_cap_rate__gte=0, advance_cap_rate__lte=100),
                name="advance_rates_are_percentages",
                violation_error_message=_("Tỷ lệ tạm ứng phải từ 0 đến 100%."),
            ),
            models.CheckConstraint(
                condition=Q(first_advance_rate__lte=F("advance_cap_rate")),
                name="advance_first_within_cap",
                violation_error_message=_(
                    "Tỷ lệ tạm ứng lần đầu không được lớn hơn tỷ lệ tạm ứng tối đa."
                ),
            ),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=F("valid_from")),
                name="advance_rule_validity_ordered",
                violation_error_message=_("Ngày hết hiệu lực phải sau ngày bắt đầu hiệu lực."),
            ),
        ]

    def __str__(self) -> str:
        kind = self.get_scheme_kind_display() if self.scheme_kind else _("mọi loại đề án")
        return f"{kind}, từ {self.valid_from:%d/%m/%Y}"

    def clean(self) -> None:
        super().clean()
        if self.valid_to is not None and self.valid_to < self.valid_from:
            return  # the constraint says so
        overlapping = AdvanceRule.objects.filter(scheme_kind=self.scheme_kind).exclude(pk=self.pk)
        overlapping = overlapping.filter(
            Q(valid_to__isnull=True) | Q(valid_to__gte=self.valid_from)
        )
        if self.valid_to is not None:
            overlapping = overlapping.filter(valid_from__lte=self.valid_to)
        clash = overlapping.first()
        if clash is not None:
            raise ValidationError(
                _("Thời gian hiệu lực trùng với quy định %(rule)s.") % {"rule": clash}
            )


class PeriodLock(TimeStampedModel):
    """The closing of a year's books (khoá sổ) for one fund, and its re-opening if any. A year
    is closed while it has a row not re-opened; closing it again adds a new row, so every
    closing and re-opening stays on record."""

    year = models.PositiveSmallIntegerField(_("năm"))
    fund = models.CharField(_("nguồn kinh phí"), max_length=10, choices=Fund.choices)
    closed_on = models.DateField(_("ngày khoá sổ"))
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người khoá sổ"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    note = models.TextField(_("ghi chú"), blank=True)
    reopened_on = models.DateField(_("ngày mở lại"), null=True, blank=True)
    reopened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người mở lại"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    reopen_reason = models.TextField(_("lý do mở lại"), blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-year", "fund", "-closed_on", "-pk"]
        verbose_name = _("khoá sổ năm")
        verbose_name_plural = pgettext_lazy("số nhiều", "khoá sổ năm")
        constraints = [
            models.UniqueConstraint(
                fields=["year", "fund"],
                condition=Q(reopened_on__isnull=True),
                name="period_closed_once",
                violation_error_message=_("Năm này đã khoá sổ."),
            ),
            models.CheckConstraint(
                condition=Q(reopened_on__isnull=True, reopened_by__isnull=True, reopen_reason="")
                | (Q(reopened_on__isnull=False, reopened_by__isnull=False) & ~Q(reopen_reason="")),
                name="period_reopened_with_reason",
                violation_error_message=_("Mở lại sổ phải ghi ngày, người mở và lý do."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year} – {self.get_fund_display()}"

    @property
    def is_closed(self) -> bool:
        return self.reopened_on is None


class SchemeAwaitingApproval(Scheme):
    """The approval queue of the admin panel: schemes registered with the agency or appraised
    by it, waiting for the approver's decision. A proxy: the same rows as Scheme."""

    class Meta:
        proxy = True
        verbose_name = _("đề án chờ phê duyệt")
        verbose_name_plural = pgettext_lazy("số nhiều", "đề án chờ phê duyệt")


from budgets.rollup import YearRollup  # noqa: E402, F401  (the per-year rollup)
from budgets.summary import AllocationMoney  # noqa: E402, F401  (the summary table)
