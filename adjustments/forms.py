"""The forms of a request and of a decision: they read what the user typed; the rules (who may,
what the kind needs, the deciding authority) are checked by adjustments/services.py."""

from django import forms
from django.db.models import Q
from django.db.models.fields import BLANK_CHOICE_LABEL
from django.utils.translation import gettext_lazy as _

from accounts.models import Role, User
from adjustments.models import AdjustmentRequest, ContentChange, Kind
from core.forms import VNDateField, VNDField
from organisations.models import Organisation
from projects.models import Scheme


def unit_choices(user: User, scheme: Scheme):
    """The units that may take a scheme over: the active bodies of its province, and the
    regional centre of the user (one query when the select is drawn)."""
    local = Q(province__successor=scheme.province.successor_id)
    if user.role == Role.REGIONAL and user.organisation_id:
        local |= Q(pk=user.organisation_id)
    return Organisation.objects.filter(is_active=True).filter(local).order_by("name")


class RequestForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Loại đề nghị"), choices=[("", BLANK_CHOICE_LABEL), *Kind.choices]
    )
    content_change = forms.ChoiceField(
        label=_("Phạm vi điều chỉnh nội dung"),
        choices=[("", BLANK_CHOICE_LABEL), *ContentChange.choices],
        required=False,
        help_text=_("Chỉ với đề nghị điều chỉnh nội dung."),
    )
    requested_amount = VNDField(
        label=_("Kinh phí hỗ trợ đề nghị sau điều chỉnh (đồng)"),
        required=False,
        help_text=_("Chỉ với đề nghị điều chỉnh kinh phí. Ví dụ: 1.250.000.000"),
    )
    requested_end_date = VNDateField(
        label=_("Ngày kết thúc đề nghị"),
        required=False,
        help_text=_("Chỉ với đề nghị điều chỉnh thời gian. Ví dụ: 31/12/2026"),
    )
    requested_unit = forms.ModelChoiceField(
        label=_("Đơn vị thực hiện mới"),
        queryset=Organisation.objects.none(),
        required=False,
        help_text=_("Chỉ với đề nghị thay đổi đơn vị thực hiện."),
    )
    reason = forms.CharField(
        label=_("Lý do đề nghị"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000
    )

    def __init__(self, *args, user: User, scheme: Scheme, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["requested_unit"].queryset = unit_choices(user, scheme)


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Quyết định"),
        choices=[("approve", _("Chấp thuận")), ("refuse", _("Không chấp thuận"))],
        widget=forms.RadioSelect,
    )
    decision_number = forms.CharField(
        label=_("Số quyết định, văn bản"),
        max_length=60,
        required=False,
        help_text=_("Bắt buộc khi chấp thuận."),
    )
    reason = forms.CharField(
        label=_("Ý kiến, lý do"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text=_("Bắt buộc khi không chấp thuận."),
    )
    expected_status = forms.CharField(
        widget=forms.HiddenInput, initial=AdjustmentRequest.Status.REQUESTED
    )
