"""Admin for plans and the money chain. Every amount is written by budgets/services.py (see
core.admin.ServiceWriteAdminMixin for how a refusal reaches the form); the lists add their sums
as correlated subqueries in get_queryset, so that a page costs the same number of queries
whatever the number of rows."""

from django import forms
from django.contrib import admin
from django.db.models import DecimalField, F, OuterRef, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from budgets import services
from budgets.models import (
    ZERO,
    Allocation,
    AllocationChange,
    AnnualPlan,
    Contract,
    ContractAmendment,
    ContractTranche,
    Disbursement,
    PlanBatch,
)
from core.admin import (
    AddChangeFieldsAdminMixin,
    FoldedSearchAdminMixin,
    ReadOnlyInline,
    ServiceWriteAdminMixin,
    money_column,
    year_column,
)
from core.forms import VNDateField

_MONEY = DecimalField(max_digits=18, decimal_places=0)


def _summed(rows: QuerySet, group: str, expression) -> Coalesce:
    """SUM(expression) over `rows`, correlated to the outer row by `group`; 0 when none."""
    total = rows.order_by().values(group).annotate(total=Sum(expression)).values("total")
    return Coalesce(Subquery(total), ZERO, output_field=_MONEY)


def _contract_disbursed(contract_path: str = "contract") -> Coalesce:
    ledger = Disbursement.objects.filter(**{contract_path: OuterRef("pk")})
    return _summed(ledger, contract_path, Disbursement.signed_amount())


class MoneyForm(forms.ModelForm):
    """Amounts of the ledger are whole đồng above zero; say so before the database does."""

    positive_fields: tuple[str, ...] = ()

    def clean(self):
        cleaned_data = super().clean()
        for name in self.positive_fields:
            value = cleaned_data.get(name)
            if value is not None and value <= 0:
                self.add_error(name, _("Số tiền phải lớn hơn 0."))
        return cleaned_data


# Annual plans and their batches.


class PlanBatchInline(ReadOnlyInline):
    model = PlanBatch
    fields = ("number", "decision_number", "decision_date", "amount_vnd")

    amount_vnd = money_column("amount", _("kinh phí giao"))

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("plan")  # str(batch) names it


@admin.register(AnnualPlan)
class AnnualPlanAdmin(AddChangeFieldsAdminMixin, FoldedSearchAdminMixin, SimpleHistoryAdmin):
    list_display = (
        "title",
        "plan_year",
        "fund",
        "managing_unit",
        "envelope_vnd",
        "allocated_vnd",
        "remaining_vnd",
    )
    list_filter = ("year", "fund", "managing_unit__kind")
    plan_year = year_column("year", _("năm"))
    list_select_related = ("managing_unit",)
    search_fields = ("title", "managing_unit__search_text")
    autocomplete_fields = ("managing_unit",)
    inlines = (PlanBatchInline,)
    add_fields = ("year", "fund", "managing_unit", "title")
    # Year, fund and unit are what the allocations of the plan were checked against.
    change_fields = (
        "title",
        "year",
        "fund",
        "managing_unit",
        "envelope_vnd",
        "allocated_vnd",
        "remaining_vnd",
        "created_at",
        "updated_at",
    )
    change_editable = ("title",)

    envelope_vnd = money_column("envelope", _("tổng kinh phí giao"))
    allocated_vnd = money_column("allocated", _("đã phân bổ cho đề án"))
    remaining_vnd = money_column("remaining", _("chưa phân bổ"))

    def get_queryset(self, request):
        batches = PlanBatch.objects.filter(plan=OuterRef("pk"))
        allocations = Allocation.objects.filter(plan=OuterRef("pk"))
        return (
            super()
            .get_queryset(request)
            .annotate(
                envelope=_summed(batches, "plan", "amount"),
                allocated=_summed(allocations, "plan", "amount"),
            )
            .annotate(remaining=F("envelope") - F("allocated"))
        )


class PlanBatchForm(MoneyForm):
    positive_fields = ("amount",)


@admin.register(PlanBatch)
class PlanBatchAdmin(ServiceWriteAdminMixin, FoldedSearchAdminMixin, SimpleHistoryAdmin):
    form = PlanBatchForm
    list_display = ("plan", "number", "decision_number", "decision_date", "amount_vnd")
    list_filter = ("plan__year", "plan__fund")
    list_select_related = ("plan",)
    date_hierarchy = "decision_date"
    search_fields = ("decision_number", "plan__title", "plan__managing_unit__search_text")
    autocomplete_fields = ("plan",)
    add_fields = ("plan", "number", "decision_number", "decision_date", "amount")
    change_fields = (
        "plan",
        "number",
        "decision_number",
        "decision_date",
        "amount_vnd",
        "created_at",
        "updated_at",
    )
    change_editable = ("number", "decision_number", "decision_date")

    amount_vnd = money_column("amount", _("kinh phí giao"))

    def get_queryset(self, request):
        # str(batch) names its plan: in the autocomplete of allocations too.
        return super().get_queryset(request).select_related(*self.list_select_related)

    def write_through_service(self, request, obj, form, change):
        if change:
            return None  # the amount is read-only once approved
        return services.plan_batch_add(
            plan=obj.plan,
            number=obj.number,
            decision_number=obj.decision_number,
            decision_date=obj.decision_date,
            amount=obj.amount,
            by=request.user,
        )


# Allocations: the support approved for a scheme in a plan.


class ContractInline(ReadOnlyInline):
    model = Contract
    fields = ("number", "kind", "signed_on", "value_vnd", "disbursed_vnd", "contractor")

    value_vnd = money_column("value", _("giá trị"))
    disbursed_vnd = money_column("disbursed", _("đã giải ngân"))

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("contractor")
            .annotate(disbursed=_contract_disbursed())
        )


class AllocationChangeInline(ReadOnlyInline):
    model = AllocationChange
    fields = ("decided_on", "decision_number", "before_vnd", "after_vnd", "reason", "recorded_by")

    before_vnd = money_column("amount_before", _("kinh phí trước"))
    after_vnd = money_column("amount_after", _("kinh phí sau"))

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("recorded_by", "allocation__scheme")


class AllocationForm(MoneyForm):
    """A new allocation takes its plan from the batch chosen; a changed one stays in its plan.
    allocation_set() updates the scheme's allocation in that plan if there is one, so adding a
    second one for the same plan and scheme is refused here rather than merged silently.

    Changing the amount approved is an adjustment decided by someone (điều chỉnh kinh phí): the
    change page asks for the decision's number and date and the reason, and refuses a new amount
    without them, so that the AllocationChange that allocation_set() writes records them."""

    decision_number = forms.CharField(
        label=_("Số quyết định điều chỉnh"),
        max_length=60,
        required=False,
        help_text=_("Bắt buộc khi thay đổi kinh phí được duyệt, ví dụ 1234/QĐ-BCT."),
    )
    decided_on = VNDateField(
        label=_("Ngày quyết định điều chỉnh"),
        required=False,
        help_text=_("Bắt buộc khi thay đổi kinh phí được duyệt (ngày/tháng/năm)."),
    )
    change_reason = forms.CharField(
        label=_("Lý do điều chỉnh"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def clean(self):
        cleaned_data = super().clean()
        amount = cleaned_data.get("amount")
        if self.instance.pk and amount is not None and amount != self.instance.amount:
            if not (cleaned_data.get("decision_number") or "").strip():
                self.add_error(
                    "decision_number",
                    _("Thay đổi kinh phí được duyệt cần số quyết định điều chỉnh."),
                )
            if cleaned_data.get("decided_on") is None and "decided_on" not in self.errors:
                self.add_error(
                    "decided_on", _("Thay đổi kinh phí được duyệt cần ngày quyết định điều chỉnh.")
                )
        batch = cleaned_data.get("batch")
        if batch is None:
            return cleaned_data
        if self.instance.pk:
            if batch.plan_id != self.instance.plan_id:
                self.add_error(
                    "batch",
                    _("Đợt %(batch)s không thuộc kế hoạch %(plan)s.")
                    % {"batch": batch, "plan": self.instance.plan},
                )
            return cleaned_data
        scheme = cleaned_data.get("scheme")
        if scheme and Allocation.objects.filter(plan=batch.plan_id, scheme=scheme).exists():
            self.add_error(
                "scheme",
                _("Đề án %(code)s đã có kinh phí trong kế hoạch %(plan)s: hãy sửa bản ghi đó.")
                % {"code": scheme.code, "plan": batch.plan},
            )
        self.instance.plan = batch.plan
        return cleaned_data


@admin.register(Allocation)
class AllocationAdmin(ServiceWriteAdminMixin, FoldedSearchAdminMixin, SimpleHistoryAdmin):
    form = AllocationForm
    list_display = (
        "scheme_code",
        "scheme_title",
        "plan",
        "batch_number",
        "amount_vnd",
        "contracted_vnd",
        "disbursed_vnd",
    )
    list_display_links = ("scheme_code", "scheme_title")
    list_filter = ("plan__year", "plan__fund", "scheme__status", "scheme__province__region")
    # Also what the change page and the autocomplete need for str(allocation).
    list_select_related = ("scheme", "plan", "batch__plan")
    search_fields = (
        "scheme__search_text",
        "scheme__province__search_text",
        "batch__decision_number",
    )
    autocomplete_fields = ("scheme", "batch")
    inlines = (ContractInline, AllocationChangeInline)
    add_fields = ("scheme", "batch", "amount")
    change_fields = (
        "scheme",
        "plan",
        "batch",
        "amount",
        "decision_number",
        "decided_on",
        "change_reason",
        "contracted_vnd",
        "disbursed_vnd",
        "created_at",
        "updated_at",
    )
    change_editable = ("batch", "amount", "decision_number", "decided_on", "change_reason")

    amount_vnd = money_column("amount", _("kinh phí được duyệt"))
    contracted_vnd = money_column("contracted", _("đã ký hợp đồng"))
    disbursed_vnd = money_column("disbursed", _("đã giải ngân"))

    def get_queryset(self, request):
        contracts = Contract.objects.filter(allocation=OuterRef("pk"))
        return (
            super()
            .get_queryset(request)
            # ChangeList ignores list_select_related once the queryset selects related rows.
            .select_related(*self.list_select_related)
            .annotate(
                contracted=_summed(contracts, "allocation", "value"),
                disbursed=_contract_disbursed("contract__allocation"),
            )
        )

    def write_through_service(self, request, obj, form, change):
        if change and not {"batch", "amount"} & set(form.changed_data):
            return None
        decision = {}
        if change:  # the form asked for them when the amount changes (AllocationForm.clean)
            decision = {
                "decided_on": form.cleaned_data.get("decided_on"),
                "decision_number": (form.cleaned_data.get("decision_number") or "").strip(),
                "reason": (form.cleaned_data.get("change_reason") or "").strip(),
            }
        return services.allocation_set(
            scheme=obj.scheme, batch=obj.batch, amount=obj.amount, by=request.user, **decision
        )

    @admin.display(description=_("mã đề án"), ordering="scheme__code")
    def scheme_code(self, allocation: Allocation) -> str:
        return allocation.scheme.code

    @admin.display(description=_("tên đề án"), ordering="scheme__title")
    def scheme_title(self, allocation: Allocation) -> str:
        return allocation.scheme.title

    @admin.display(description=_("đợt"), ordering="batch__number")
    def batch_number(self, allocation: Allocation) -> int:
        return allocation.batch.number


# Contracts and the disbursement ledger.


class DisbursementInline(ReadOnlyInline):
    model = Disbursement
    fields = ("voucher_number", "kind", "paid_on", "amount_vnd", "recorded_by", "note")

    amount_vnd = money_column("amount", _("số tiền"))

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("recorded_by")


class ContractTrancheInline(ReadOnlyInline):
    model = ContractTranche
    fields = ("number", "due_on", "amount_vnd")

    amount_vnd = money_column("amount", _("số tiền dự kiến"))

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("contract")


class ContractAmendmentInline(ReadOnlyInline):
    model = ContractAmendment
    fields = ("number", "signed_on", "before_vnd", "after_vnd", "reason", "recorded_by")

    before_vnd = money_column("value_before", _("giá trị trước"))
    after_vnd = money_column("value_after", _("giá trị sau"))

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("recorded_by", "contract")


class ContractForm(MoneyForm):
    positive_fields = ("value",)


@admin.register(Contract)
class ContractAdmin(ServiceWriteAdminMixin, FoldedSearchAdminMixin, SimpleHistoryAdmin):
    form = ContractForm
    ordering = ("-signed_on", "-pk")
    list_display = (
        "number",
        "kind",
        "scheme_code",
        "plan_year",
        "signed_on",
        "value_vnd",
        "disbursed_vnd",
        "contractor",
    )
    list_filter = ("kind", "allocation__plan__year", "allocation__plan__fund")
    list_select_related = ("allocation__scheme", "allocation__plan", "contractor")
    date_hierarchy = "signed_on"
    search_fields = ("number", "allocation__scheme__search_text", "contractor__search_text")
    autocomplete_fields = ("allocation", "contractor")
    inlines = (DisbursementInline, ContractTrancheInline, ContractAmendmentInline)
    add_fields = ("allocation", "kind", "number", "signed_on", "value", "contractor")
    # The value and the signing date bound the ledger: fixed once signed.
    change_fields = (
        "allocation",
        "kind",
        "number",
        "signed_on",
        "value_vnd",
        "disbursed_vnd",
        "contractor",
        "created_at",
        "updated_at",
    )
    change_editable = ("kind", "number", "contractor")

    value_vnd = money_column("value", _("giá trị"))
    disbursed_vnd = money_column("disbursed", _("đã giải ngân"))

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            # ChangeList ignores list_select_related once the queryset selects related rows.
            .select_related(*self.list_select_related)
            .annotate(disbursed=_contract_disbursed())
        )

    def write_through_service(self, request, obj, form, change):
        if change:
            return None
        return services.contract_sign(
            allocation=obj.allocation,
            kind=obj.kind,
            number=obj.number,
            signed_on=obj.signed_on,
            value=obj.value,
            contractor=obj.contractor,
            by=request.user,
        )

    @admin.display(description=_("mã đề án"), ordering="allocation__scheme__code")
    def scheme_code(self, contract: Contract) -> str:
        return contract.allocation.scheme.code

    plan_year = year_column("allocation.plan.year", _("năm kế hoạch"))


class DisbursementForm(MoneyForm):
    positive_fields = ("amount",)


@admin.register(Disbursement)
class DisbursementAdmin(ServiceWriteAdminMixin, FoldedSearchAdminMixin, SimpleHistoryAdmin):
    form = DisbursementForm
    ordering = ("-paid_on", "-pk")  # the latest entries first
    list_display = (
        "voucher_number",
        "kind",
        "paid_on",
        "amount_vnd",
        "contract",
        "scheme_code",
        "recorded_by",
    )
    list_filter = (
        "kind",
        "contract__allocation__plan__year",
        "contract__allocation__plan__fund",
    )
    list_select_related = ("contract__allocation__scheme", "recorded_by")
    date_hierarchy = "paid_on"
    search_fields = (
        "voucher_number",
        "contract__number",
        "contract__allocation__scheme__search_text",
    )
    autocomplete_fields = ("contract",)
    add_fields = ("contract", "kind", "paid_on", "amount", "voucher_number", "note")
    # An entry of the ledger is never changed: a mistake is reversed by a counter-entry.
    change_fields = (
        "contract",
        "kind",
        "paid_on",
        "amount_vnd",
        "voucher_number",
        "note",
        "recorded_by",
        "created_at",
    )
    change_editable = ("note",)

    amount_vnd = money_column("amount", _("số tiền"))

    def write_through_service(self, request, obj, form, change):
        if change:
            return None
        return services.disbursement_record(
            contract=obj.contract,
            kind=obj.kind,
            amount=obj.amount,
            paid_on=obj.paid_on,
            voucher_number=obj.voucher_number,
            note=obj.note,
            by=request.user,
        )

    @admin.display(description=_("mã đề án"), ordering="contract__allocation__scheme__code")
    def scheme_code(self, disbursement: Disbursement) -> str:
        return disbursement.contract.allocation.scheme.code


# The approval queue, and the records of envelopes, settlement and closing, live in their own
# modules; importing them registers them.
from budgets import approvals_admin, ledger_admin  # noqa: E402, F401
