"""The finance entry forms: an advance, a payment or a refund in a few seconds, and the reversal
of a mistaken entry. They read the input as officials type it (core.forms); whether the money
may be written is for budgets/services.py to decide."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from budgets.models import Disbursement
from core.forms import VNDateField, VNDField


class EntryForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Loại chứng từ"),
        choices=Disbursement.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Chọn loại: tạm ứng, thanh toán hay thu hồi.")},
    )
    amount = VNDField(
        label=_("Số tiền (đồng)"),
        min_value=1,
        error_messages={"required": _("Nhập số tiền, ví dụ 1.250.000.000.")},
    )
    paid_on = VNDateField(
        label=_("Ngày chứng từ"),
        error_messages={"required": _("Nhập ngày chứng từ, ví dụ 31/12/2026.")},
    )
    voucher_number = forms.CharField(
        label=_("Số chứng từ"),
        max_length=60,
        error_messages={"required": _("Nhập số chứng từ (số ủy nhiệm chi, phiếu thu…).")},
    )
    note = forms.CharField(label=_("Ghi chú"), max_length=255, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Payments are most of the ledger: one choice fewer to make for them.
        self.fields["kind"].initial = Disbursement.Kind.PAYMENT
        self.fields["paid_on"].initial = timezone.localdate
        self.fields["voucher_number"].widget.attrs["autocomplete"] = "off"
        self.fields["amount"].widget.attrs.update(placeholder="1.250.000.000", autofocus=True)


class ReverseForm(forms.Form):
    reason = forms.CharField(
        label=_("Lý do đảo"),
        max_length=255,
        widget=forms.TextInput,
        error_messages={"required": _("Ghi lý do đảo chứng từ.")},
    )
    voucher_number = forms.CharField(
        label=_("Số chứng từ đảo"),
        max_length=60,
        error_messages={"required": _("Nhập số chứng từ của bút toán đảo.")},
    )
    paid_on = VNDateField(
        label=_("Ngày bút toán đảo"),
        error_messages={"required": _("Nhập ngày bút toán đảo, ví dụ 31/12/2026.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["paid_on"].initial = timezone.localdate
        self.fields["voucher_number"].widget.attrs["autocomplete"] = "off"
