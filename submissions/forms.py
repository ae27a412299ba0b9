"""The portal's forms: a scheme's facts, its estimate line by line, new beneficiaries, a file and
a comment. They check what the user typed; what depends on the database (the lists in force for
the plan year, the province) is checked again by submissions/services.py."""

from django import forms
from django.core.exceptions import ValidationError
from django.db.models.fields import BLANK_CHOICE_LABEL
from django.forms import formset_factory
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Role, User
from core.forms import VNDateField, VNDField
from establishments.models import Establishment
from establishments.validators import validate_registration_number, validate_tax_code
from projects.models import Fund, Scheme
from reference.models import Sector
from submissions import selectors
from submissions.models import Attachment, CostLine
from submissions.services import CostLineInput

# A new draft's plan year: this year and the next two (and, when editing, the scheme's own).
PLAN_YEARS_AHEAD = 2


class ContentAreaChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.number}. {obj.name}"


class SchemeForm(forms.Form):
    """A scheme's facts. The province is the user's own unit (a regional centre chooses one
    of those it covers); the implementing unit defaults to the province's khuyến công centre."""

    expected_status = forms.CharField(widget=forms.HiddenInput, required=False)
    title = forms.CharField(
        label=_("Tên đề án"),
        max_length=500,
        widget=forms.TextInput(attrs={"class": "wide"}),
    )
    province = forms.ModelChoiceField(label=_("Tỉnh, thành phố"), queryset=None, required=False)
    plan_year = forms.TypedChoiceField(label=_("Năm kế hoạch"), coerce=int)
    # No default: the fund and the kind of a scheme are chosen, never assumed.
    fund = forms.ChoiceField(
        label=_("Nguồn kinh phí"), choices=[("", BLANK_CHOICE_LABEL), *Fund.choices]
    )
    kind = forms.ChoiceField(
        label=_("Loại đề án"), choices=[("", BLANK_CHOICE_LABEL), *Scheme.Kind.choices]
    )
    content_areas = ContentAreaChoiceField(
        label=_("Nội dung khuyến công"),
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Chỉ chọn nội dung của danh mục áp dụng cho năm kế hoạch: 7 nhóm nội dung của "
            "Chương trình 2021–2025 cho các năm 2021–2025, 9 nội dung của Nghị định 45/2012 "
            "cho các năm khác. Đề án điểm cần ít nhất hai nội dung."
        ),
    )
    sector = forms.ModelChoiceField(
        label=_("Ngành nghề"),
        queryset=None,
        help_text=_("Ngành nghề được hỗ trợ vào ngày 01/01 của năm kế hoạch."),
    )
    implementing_unit = forms.ModelChoiceField(label=_("Đơn vị thực hiện"), queryset=None)
    coordinating_units = forms.ModelMultipleChoiceField(
        label=_("Đơn vị phối hợp"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    beneficiaries = forms.ModelMultipleChoiceField(
        label=_("Cơ sở thụ hưởng đã có trong danh sách"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Cơ sở chưa có trong danh sách: thêm ở mục “Cơ sở thụ hưởng mới” bên dưới."),
    )
    start_date = VNDateField(label=_("Ngày bắt đầu"))
    end_date = VNDateField(label=_("Ngày kết thúc"))
    description = forms.CharField(
        label=_("Mục tiêu, nội dung chính"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
    )

    def __init__(self, *args, user: User, scheme: Scheme | None = None, **kwargs):
        self.user, self.scheme = user, scheme
        today = timezone.localdate()
        years = set(range(today.year, today.year + PLAN_YEARS_AHEAD + 1))
        if scheme is not None:
            years.add(scheme.plan_year)
            kwargs.setdefault("initial", {}).update(self._initial_from(scheme))
        self.years = sorted(years)
        super().__init__(*args, **kwargs)
        provinces = selectors.draft_provinces(user)
        own_province = scheme.province if scheme is not None else provinces.first()
        fields = self.fields
        fields["plan_year"].choices = [(year, str(year)) for year in self.years]
        if scheme is None:
            fields["plan_year"].initial = today.year + 1
        fields["content_areas"].queryset = selectors.content_areas_for_years(self.years)
        fields["sector"].queryset = selectors.sectors_for_years(self.years)
        if user.role == Role.REGIONAL:
            fields["fund"].choices = [(Fund.NATIONAL, Fund.NATIONAL.label)]
            if scheme is None:
                fields["province"].queryset = provinces
                fields["province"].required = True
            else:
                del fields["province"]
        else:
            del fields["province"]
        fields["implementing_unit"].queryset = selectors.implementing_units(user, own_province)
        if scheme is None and own_province is not None:
            fields["implementing_unit"].initial = selectors.default_implementing_unit(
                user, own_province
            )
        fields["coordinating_units"].queryset = selectors.coordinating_units(user, provinces)
        fields["beneficiaries"].queryset = selectors.beneficiary_choices(user)
        if scheme is None:
            del fields["expected_status"]

    @staticmethod
    def _initial_from(scheme: Scheme) -> dict:
        return {
            "expected_status": scheme.status,
            "title": scheme.title,
            "plan_year": scheme.plan_year,
            "fund": scheme.fund,
            "kind": scheme.kind,
            "content_areas": list(scheme.content_areas.all()),
            "sector": scheme.sector_id,
            "implementing_unit": scheme.implementing_unit_id,
            "coordinating_units": list(scheme.coordinating_units.all()),
            "beneficiaries": list(scheme.beneficiaries.all()),
            "start_date": scheme.start_date,
            "end_date": scheme.end_date,
            "description": scheme.description,
        }

    def content_area_groups(self) -> list[tuple]:
        """The content areas offered, grouped by their list, for the template."""
        areas = {area.pk: area for area in self.fields["content_areas"].queryset}
        groups: dict = {}
        for widget in self["content_areas"]:
            area = areas[widget.data["value"].value]
            groups.setdefault(area.content_list, []).append(widget)
        return list(groups.items())

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start_date"), cleaned.get("end_date")
        if start and end and end < start:
            self.add_error(
                "end_date",
                _("Ngày kết thúc (%(end)s) phải sau hoặc trùng ngày bắt đầu (%(start)s).")
                % {"end": end.strftime("%d/%m/%Y"), "start": start.strftime("%d/%m/%Y")},
            )
        year = cleaned.get("plan_year")
        areas = cleaned.get("content_areas")
        if year and areas:
            in_force = selectors.content_list_for_year(year)
            in_force_pk = in_force.pk if in_force is not None else None
            wrong = [area for area in areas if area.content_list_id != in_force_pk]
            if wrong:
                self.add_error(
                    "content_areas",
                    _("Năm %(year)s áp dụng danh mục “%(list)s”: bỏ chọn %(areas)s.")
                    % {
                        "year": year,
                        "list": in_force or "—",
                        "areas": ", ".join(f"“{area.short_name}”" for area in wrong),
                    },
                )
        if cleaned.get("kind") == Scheme.Kind.PILOT and areas is not None and len(areas) < 2:
            self.add_error(
                "content_areas", _("Đề án điểm phải có ít nhất hai nội dung khuyến công.")
            )
        sector = cleaned.get("sector")
        if year and sector:
            valid = selectors.sectors_valid_on(selectors.first_day(year))
            if not valid.filter(pk=sector.pk).exists():
                self.add_error(
                    "sector",
                    _(
                        "Ngành nghề “%(sector)s” chưa (hoặc không còn) được hỗ trợ vào ngày "
                        "01/01/%(year)s."
                    )
                    % {"sector": sector, "year": year},
                )
        return cleaned


class CostLineForm(forms.Form):
    id = forms.IntegerField(widget=forms.HiddenInput, required=False)
    item = forms.CharField(
        label=_("Nội dung chi"), max_length=CostLine._meta.get_field("item").max_length
    )
    support_amount = VNDField(label=_("Kinh phí khuyến công hỗ trợ (đồng)"))
    counterpart_amount = VNDField(label=_("Vốn đối ứng (đồng)"), required=False)

    def clean(self):
        cleaned = super().clean()
        support, counterpart = cleaned.get("support_amount"), cleaned.get("counterpart_amount")
        if support is not None and support == 0 and not counterpart:
            self.add_error(
                "support_amount", _("Cần ghi kinh phí hỗ trợ hoặc vốn đối ứng của dòng này.")
            )
        return cleaned


class BaseCostLineFormSet(forms.BaseFormSet):
    def lines(self) -> list[CostLineInput]:
        """The lines filled in, in order; blank and deleted rows left out."""
        lines = []
        for form in self.forms:
            data = form.cleaned_data
            if not data or (self.can_delete and self._should_delete_form(form)):
                continue
            lines.append(
                CostLineInput(
                    id=data.get("id"),
                    item=data["item"],
                    support_amount=data["support_amount"],
                    counterpart_amount=data.get("counterpart_amount") or 0,
                )
            )
        return lines


CostLineFormSet = formset_factory(
    CostLineForm, formset=BaseCostLineFormSet, extra=0, can_delete=True, max_num=200
)


class NewEstablishmentForm(forms.Form):
    """A beneficiary not yet listed, registered with the scheme in the scheme's province."""

    name = forms.CharField(label=_("Tên cơ sở"), max_length=255)
    # A blank first choice: an untouched row is left out rather than read as half filled in.
    legal_form = forms.ChoiceField(
        label=_("Loại hình"), choices=[("", BLANK_CHOICE_LABEL), *Establishment.LegalForm.choices]
    )
    registration_code = forms.CharField(
        label=_("Mã số thuế / số đăng ký"),
        max_length=20,
        help_text=_("Doanh nghiệp, hợp tác xã: mã số thuế 10 chữ số."),
    )
    commune = forms.CharField(label=_("Xã, phường"), max_length=120, required=False)
    sector = forms.ModelChoiceField(label=_("Ngành nghề"), queryset=Sector.objects.all())
    size = forms.ChoiceField(
        label=_("Quy mô"), choices=[("", BLANK_CHOICE_LABEL), *Establishment.Size.choices]
    )

    def clean_registration_code(self) -> str:
        code = self.cleaned_data["registration_code"].strip().upper()
        validate_registration_number(code)
        existing = Establishment.objects.filter(registration_code=code).first()
        if existing is not None:
            raise ValidationError(
                _(
                    "Đã có cơ sở “%(name)s” với mã %(code)s: chọn cơ sở đó trong danh sách "
                    "cơ sở thụ hưởng."
                ),
                code="exists",
                params={"name": existing.name, "code": code},
            )
        return code

    def clean(self):
        cleaned = super().clean()
        code, form = cleaned.get("registration_code"), cleaned.get("legal_form")
        if code and form in Establishment.TAX_CODE_FORMS:
            try:
                validate_tax_code(code)
            except ValidationError as error:
                self.add_error("registration_code", error)
        return cleaned


class BaseNewEstablishmentFormSet(forms.BaseFormSet):
    def rows(self) -> list[dict]:
        return [form.cleaned_data for form in self.forms if form.cleaned_data]

    def clean(self):
        codes = [
            form.cleaned_data.get("registration_code")
            for form in self.forms
            if form.cleaned_data.get("registration_code")
        ]
        if len(codes) != len(set(codes)):
            raise ValidationError(_("Hai cơ sở mới trùng mã số thuế / số đăng ký."))


NewEstablishmentFormSet = formset_factory(
    NewEstablishmentForm, formset=BaseNewEstablishmentFormSet, extra=1, max_num=50
)


class AttachmentForm(forms.Form):
    kind = forms.ChoiceField(label=_("Loại tài liệu"), choices=Attachment.Kind.choices)
    label = forms.CharField(label=_("Mô tả"), max_length=200, required=False)
    file = forms.FileField(
        label=_("Tệp"),
        help_text=_("PDF, Word (DOCX), Excel (XLSX), ảnh PNG hoặc JPEG; tối đa %(limit)s."),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.docx,.xlsx,.png,.jpg,.jpeg"}),
    )

    def __init__(self, *args, limit_text: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = self.fields["file"].help_text % {"limit": limit_text}


class CommentForm(forms.Form):
    text = forms.CharField(
        label=_("Viết ý kiến"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class TransitionForm(forms.Form):
    to = forms.ChoiceField(choices=Scheme.Status.choices)
    expected_status = forms.ChoiceField(choices=Scheme.Status.choices)
    reason = forms.CharField(required=False, max_length=2000)


class ProgressReportForm(forms.Form):
    """A month's progress report: the months offered are those not yet reported, from the
    scheme's start to this month (submissions.services.report_periods_open)."""

    period = forms.ChoiceField(label=_("Tháng báo cáo"))
    submitted_on = VNDateField(
        label=_("Ngày gửi báo cáo"),
        help_text=_("Ngày đơn vị thực hiện gửi báo cáo; hạn là ngày %(day)s của tháng báo cáo."),
    )
    work_done = forms.CharField(
        label=_("Khối lượng công việc đã thực hiện"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    percent_complete = forms.IntegerField(
        label=_("Tỷ lệ hoàn thành (%)"),
        min_value=0,
        max_value=100,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    amount_spent = VNDField(label=_("Kinh phí đã chi lũy kế (đồng)"))

    def __init__(self, *args, periods: list, deadline_day: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.periods = {period.key: period for period in periods}
        self.fields["period"].choices = [
            (period.key, _("Tháng %(period)s") % {"period": period.label}) for period in periods
        ]
        self.fields["submitted_on"].help_text = self.fields["submitted_on"].help_text % {
            "day": deadline_day
        }
        if not self.is_bound:
            self.fields["submitted_on"].initial = timezone.localdate()

    def clean_period(self):
        return self.periods[self.cleaned_data["period"]]
