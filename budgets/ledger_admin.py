"""Admin for envelopes, contract schedules and amendments, settlement, advance rules and the
closing of a year. Money goes through the services, as in budgets/admin.py; the rows that
record a decision (a transfer, an amendment, a change, a settlement) are never changed or
deleted once written."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from budgets import services
from budgets.admin import MoneyForm
from budgets.models import (
    AdvanceRule,
    AllocationChange,
    ContractAmendment,
    ContractLiquidation,
    ContractTranche,
    Envelope,
    EnvelopeTransfer,
    PeriodLock,
    Settlement,
)
from budgets.selectors import with_approved
from core.admin import FoldedSearchAdminMixin, ServiceWriteAdminMixin, money_column, year_column


class RecordAdmin(ServiceWriteAdminMixin, SimpleHistoryAdmin):
    """A record written once by a service and only read afterwards."""

    def has_change_permission(self, request, obj=None) -> bool:
        return obj is None and super().has_change_permission(request, obj)

    def has_view_permission(self, request, obj=None) -> bool:
        return super().has_view_permission(request, obj) or super().has_change_permission(
            request, obj
        )


def _refusal(error: PermissionDenied) -> ValidationError:
    return ValidationError(str(error) or gettext("Bạn không có quyền làm việc này."))


# Envelopes.


class EnvelopeForm(MoneyForm):
    def clean(self):
        cleaned_data = super().clean()
        if bool(cleaned_data.get("province")) == bool(cleaned_data.get("organisation")):
            raise ValidationError(_("Chọn đúng một tỉnh hoặc một trung tâm vùng."))
        return cleaned_data


@admin.register(Envelope)
class EnvelopeAdmin(ServiceWriteAdminMixin, FoldedSearchAdminMixin, SimpleHistoryAdmin):
    form = EnvelopeForm
    list_display = ("__str__", "plan", "amount_vnd", "approved_vnd", "remaining_vnd")
    list_filter = ("plan__year", "plan__fund")
    list_select_related = ("plan", "province", "organisation")
    search_fields = ("plan__title", "province__search_text", "organisation__search_text")
    autocomplete_fields = ("plan", "province", "organisation")
    add_fields = ("plan", "province", "organisation", "amount")
    change_fields = ("plan", "province", "organisation", "amount", "approved_vnd", "remaining_vnd")
    change_editable = ("amount",)

    amount_vnd = money_column("amount", _("hạn mức"))
    approved_vnd = money_column("approved", _("đã duyệt"))
    remaining_vnd = money_column("remaining", _("còn lại"))

    def get_queryset(self, request):
        queryset = super().get_queryset(request).select_related(*self.list_select_related)
        return with_approved(queryset)

    def write_through_service(self, request, obj, form, change):
        return services.envelope_set(
            plan=obj.plan,
            province=obj.province,
            organisation=obj.organisation,
            amount=obj.amount,
            by=request.user,
        )


class EnvelopeTransferForm(MoneyForm):
    positive_fields = ("amount",)

    def clean(self):
        cleaned_data = super().clean()
        source, target = cleaned_data.get("source"), cleaned_data.get("target")
        if source and target:
            self.instance.plan = source.plan
        return cleaned_data


@admin.register(EnvelopeTransfer)
class EnvelopeTransferAdmin(RecordAdmin):
    form = EnvelopeTransferForm
    list_display = ("decision_number", "decided_on", "source", "target", "amount_vnd", "plan")
    list_filter = ("plan__year", "plan__fund")
    list_select_related = (
        "plan",
        "source__plan",
        "source__province",
        "source__organisation",
        "target__plan",
        "target__province",
        "target__organisation",
    )
    search_fields = ("decision_number", "reason")
    autocomplete_fields = ("source", "target")
    add_fields = ("source", "target", "amount", "decided_on", "decision_number", "reason")
    change_fields = (
        "plan",
        *add_fields,
        "recorded_by",
        "created_at",
    )

    amount_vnd = money_column("amount", _("số tiền"))

    def write_through_service(self, request, obj, form, change):
        return services.envelope_transfer(
            source=obj.source,
            target=obj.target,
            amount=obj.amount,
            decided_on=obj.decided_on,
            decision_number=obj.decision_number,
            reason=obj.reason,
            by=request.user,
        )


# Allocation changes and settlements.


@admin.register(AllocationChange)
class AllocationChangeAdmin(RecordAdmin):
    list_display = (
        "allocation",
        "decided_on",
        "decision_number",
        "before_vnd",
        "after_vnd",
        "recorded_by",
    )
    list_filter = ("allocation__plan__year",)
    list_select_related = ("allocation__scheme", "allocation__plan", "recorded_by")
    search_fields = ("decision_number", "allocation__scheme__search_text")
    change_fields = (
        "allocation",
        "decided_on",
        "decision_number",
        "before_vnd",
        "after_vnd",
        "reason",
        "recorded_by",
        "created_at",
    )

    before_vnd = money_column("amount_before", _("kinh phí trước"))
    after_vnd = money_column("amount_after", _("kinh phí sau"))

    def has_add_permission(self, request) -> bool:
        return False  # written by allocation_set when an amount changes


@admin.register(Settlement)
class SettlementAdmin(RecordAdmin):
    list_display = (
        "allocation",
        "decision_number",
        "settled_on",
        "settled_vnd",
        "returned_vnd",
    )
    list_filter = ("allocation__plan__year", "allocation__plan__fund")
    list_select_related = ("allocation__scheme", "allocation__plan")
    search_fields = ("decision_number", "allocation__scheme__search_text")
    autocomplete_fields = ("allocation",)
    date_hierarchy = "settled_on"
    add_fields = ("allocation", "decision_number", "settled_on")
    change_fields = (
        *add_fields,
        "settled_vnd",
        "returned_vnd",
        "recorded_by",
        "created_at",
    )

    settled_vnd = money_column("settled_amount", _("kinh phí quyết toán"))
    returned_vnd = money_column("returned_amount", _("hoàn trả ngân sách"))

    def write_through_service(self, request, obj, form, change):
        return services.allocation_settle(
            allocation=obj.allocation,
            decision_number=obj.decision_number,
            settled_on=obj.settled_on,
            by=request.user,
        )


# Contracts: schedule, amendments, liquidation.


@admin.register(ContractTranche)
class ContractTrancheAdmin(RecordAdmin):
    list_display = ("contract", "number", "due_on", "amount_vnd")
    list_select_related = ("contract",)
    search_fields = ("contract__number",)
    date_hierarchy = "due_on"
    change_fields = ("contract", "number", "due_on", "amount_vnd")

    amount_vnd = money_column("amount", _("số tiền dự kiến"))

    def has_add_permission(self, request) -> bool:
        return False  # the schedule is set whole by contract_sign / contract_amend


class ContractAmendmentForm(MoneyForm):
    positive_fields = ("value_after",)


@admin.register(ContractAmendment)
class ContractAmendmentAdmin(RecordAdmin):
    form = ContractAmendmentForm
    list_display = ("contract", "number", "signed_on", "before_vnd", "after_vnd", "recorded_by")
    list_select_related = ("contract", "recorded_by")
    search_fields = ("number", "contract__number", "reason")
    autocomplete_fields = ("contract",)
    date_hierarchy = "signed_on"
    add_fields = ("contract", "number", "signed_on", "value_after", "reason")
    change_fields = (
        "contract",
        "number",
        "signed_on",
        "before_vnd",
        "after_vnd",
        "reason",
        "recorded_by",
        "created_at",
    )

    before_vnd = money_column("value_before", _("giá trị trước"))
    after_vnd = money_column("value_after", _("giá trị sau"))

    def write_through_service(self, request, obj, form, change):
        return services.contract_amend(
            contract=obj.contract,
            number=obj.number,
            signed_on=obj.signed_on,
            value=obj.value_after,
            reason=obj.reason,
            by=request.user,
        )


@admin.register(ContractLiquidation)
class ContractLiquidationAdmin(RecordAdmin):
    list_display = ("contract", "number", "signed_on", "final_vnd", "recorded_by")
    list_select_related = ("contract", "recorded_by")
    search_fields = ("number", "contract__number")
    autocomplete_fields = ("contract",)
    date_hierarchy = "signed_on"
    add_fields = ("contract", "number", "signed_on", "final_value", "note")
    change_fields = ("contract", "number", "signed_on", "final_vnd", "note", "recorded_by")

    final_vnd = money_column("final_value", _("giá trị thanh lý"))

    def write_through_service(self, request, obj, form, change):
        return services.contract_liquidate(
            contract=obj.contract,
            number=obj.number,
            signed_on=obj.signed_on,
            final_value=obj.final_value,
            note=obj.note,
            by=request.user,
        )


# Rules and periods.


@admin.register(AdvanceRule)
class AdvanceRuleAdmin(SimpleHistoryAdmin):
    list_display = (
        "valid_from",
        "valid_to",
        "scheme_kind",
        "first_advance_rate",
        "advance_cap_rate",
    )
    list_filter = ("scheme_kind",)
    search_fields = ("legal_basis",)

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # entries were checked against it: end it with "valid to" instead


class PeriodLockForm(forms.ModelForm):
    class Meta:
        model = PeriodLock
        fields = ("year", "fund", "closed_on", "note", "reopen_reason")
        help_texts = {"closed_on": _("Để trống: hôm nay.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "closed_on" in self.fields:
            self.fields["closed_on"].required = False  # year_close() takes today


@admin.register(PeriodLock)
class PeriodLockAdmin(ServiceWriteAdminMixin, SimpleHistoryAdmin):
    """Adding a row closes a year; writing a reason on a closed year's row re-opens it; the
    action closes again a year that was re-opened."""

    form = PeriodLockForm
    list_display = (
        "plain_year",
        "fund",
        "closed_on",
        "closed_by",
        "reopened_on",
        "reopened_by",
        "is_closed",
    )
    list_filter = ("fund", "year")
    list_select_related = ("closed_by", "reopened_by")
    actions = ("close_again",)
    add_fields = ("year", "fund", "closed_on", "note")
    change_fields = (
        "year",
        "fund",
        "closed_on",
        "closed_by",
        "note",
        "reopened_on",
        "reopened_by",
        "reopen_reason",
    )

    plain_year = year_column("year", _("năm"))

    @admin.display(boolean=True, description=_("đang khoá"))
    def is_closed(self, lock: PeriodLock) -> bool:
        return lock.is_closed

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.is_closed:
            return tuple(field for field in self.change_fields if field != "reopen_reason")
        return super().get_readonly_fields(request, obj) if obj is None else self.change_fields

    def write_through_service(self, request, obj, form, change):
        try:
            if not change:
                return services.year_close(
                    year=obj.year,
                    fund=obj.fund,
                    closed_on=obj.closed_on,
                    note=obj.note,
                    by=request.user,
                )
            if "reopen_reason" in form.changed_data:
                return services.year_reopen(
                    year=obj.year, fund=obj.fund, reason=obj.reopen_reason, by=request.user
                )
        except PermissionDenied as denied:
            raise _refusal(denied) from denied
        return None

    @admin.action(description=_("Khoá sổ lại các năm đã mở lại"))
    def close_again(self, request, queryset):
        for lock in queryset.order_by("year", "fund"):
            try:
                services.year_close(year=lock.year, fund=lock.fund, by=request.user)
            except (ValidationError, PermissionDenied) as error:
                text = " ".join(getattr(error, "messages", [str(error)]))
                self.message_user(request, text, messages.ERROR)
            else:
                self.message_user(
                    request,
                    gettext("Đã khoá sổ năm %(year)s.") % {"year": lock.year},
                    messages.SUCCESS,
                )
