"""Forms of the registers, in Vietnamese formats: amounts "1.250.000.000", dates "31/12/2019",
scores and areas with a decimal comma ("85,5"). They validate input only; the rules are in the
services."""

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from core.forms import VNDateField, VNDField
from establishments.models import Establishment
from projects.models import Scheme
from provinces.models import Province
from registers.models import (
    IndustrialCluster,
    ProductFile,
    ProductGroup,
    PromotionEvent,
    SelectionRound,
    TypicalProduct,
)
from submissions.models import Attachment

FileType = Attachment.FileType


class DecimalCommaField(forms.DecimalField):
    """A decimal written the Vietnamese way: "85,5" (a dot is accepted too)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("localize", True)
        super().__init__(**kwargs)

    def to_python(self, value):
        if isinstance(value, str):
            value = value.strip().replace(" ", "")
            if value.count(",") == 1 and "." not in value:
                value = value.replace(",", ".")
        return super().to_python(value)

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        attrs.update({"inputmode": "decimal"})
        return attrs


class ProducerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Establishment) -> str:
        return f"{obj.name} – {obj.province.short_name}"


class ParentChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: TypicalProduct) -> str:
        level = obj.round.get_level_display()
        return f"{obj.name} – {level} {obj.round.year} (GCN {obj.certificate_number})"


class ProductRegisterForm(forms.Form):
    selection_round = forms.ModelChoiceField(
        label=_("Đợt bình chọn"), queryset=SelectionRound.objects.none()
    )
    producer = ProducerChoiceField(label=_("Cơ sở sản xuất"), queryset=Establishment.objects.none())
    name = forms.CharField(label=_("Tên sản phẩm, bộ sản phẩm"), max_length=255)
    is_set = forms.BooleanField(label=_("Là bộ sản phẩm"), required=False)
    group = forms.ChoiceField(label=_("Nhóm sản phẩm"), choices=ProductGroup.choices)
    description = forms.CharField(
        label=_("Mô tả sản phẩm"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    parent = ParentChoiceField(
        label=_("Giấy chứng nhận cấp dưới"),
        queryset=TypicalProduct.objects.none(),
        required=False,
        help_text=_("Bắt buộc khi dự bình chọn cấp khu vực hoặc quốc gia."),
    )

    def __init__(
        self,
        *args,
        rounds: QuerySet[SelectionRound],
        producers: QuerySet[Establishment],
        parents: QuerySet[TypicalProduct],
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.fields["selection_round"].queryset = rounds
        self.fields["producer"].queryset = producers
        self.fields["parent"].queryset = parents


class ProductEditForm(forms.Form):
    name = forms.CharField(label=_("Tên sản phẩm, bộ sản phẩm"), max_length=255)
    is_set = forms.BooleanField(label=_("Là bộ sản phẩm"), required=False)
    group = forms.ChoiceField(label=_("Nhóm sản phẩm"), choices=ProductGroup.choices)
    description = forms.CharField(
        label=_("Mô tả sản phẩm"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )


class CertifyForm(forms.Form):
    score = DecimalCommaField(
        label=_("Điểm bình quân"), min_value=0, max_value=100, max_digits=5, decimal_places=2
    )
    decision_number = forms.CharField(label=_("Số quyết định công nhận"), max_length=60)
    decision_date = VNDateField(label=_("Ngày quyết định"))
    certificate_number = forms.CharField(label=_("Số giấy chứng nhận"), max_length=60)
    certificate_date = VNDateField(label=_("Ngày cấp giấy chứng nhận"))
    award_paid = VNDField(label=_("Tiền thưởng đã chi (đồng)"), required=False)


class RejectForm(forms.Form):
    score = DecimalCommaField(
        label=_("Điểm bình quân"), min_value=0, max_value=100, max_digits=5, decimal_places=2
    )
    reason = forms.CharField(
        label=_("Ghi chú của hội đồng"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("Lý do thu hồi"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )


class ProductFileForm(forms.Form):
    kind = forms.ChoiceField(label=_("Loại tài liệu"), choices=ProductFile.Kind.choices)
    label = forms.CharField(label=_("Mô tả"), max_length=200, required=False)
    file = forms.FileField(label=_("Tệp"))


class ProvinceChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Province) -> str:
        return f"{obj.name} ({obj.map_version})"


class ClusterForm(forms.ModelForm):
    province = ProvinceChoiceField(label=_("Tỉnh, thành phố"), queryset=Province.objects.none())
    decision_date = VNDateField(label=_("Ngày quyết định thành lập"), required=False)
    planned_area = DecimalCommaField(
        label=_("Diện tích quy hoạch (ha)"), min_value=0, max_digits=10, decimal_places=2
    )
    leasable_area = DecimalCommaField(
        label=_("Đất công nghiệp cho thuê (ha)"), min_value=0, max_digits=10, decimal_places=2
    )
    leased_area = DecimalCommaField(
        label=_("Đã cho thuê (ha)"), min_value=0, max_digits=10, decimal_places=2
    )
    investment = VNDField(label=_("Vốn đầu tư hạ tầng (đồng)"), required=False)
    schemes = forms.ModelMultipleChoiceField(
        label=_("Đề án khuyến công hỗ trợ"),
        queryset=Scheme.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Đề án có nội dung liên kết, cụm công nghiệp của cùng tỉnh."),
    )

    class Meta:
        model = IndustrialCluster
        fields = (
            "name",
            "province",
            "commune",
            "decision_number",
            "decision_date",
            "planned_area",
            "leasable_area",
            "leased_area",
            "developer",
            "investment",
            "firms",
            "workers",
            "wastewater",
        )

    def __init__(self, *args, provinces: QuerySet[Province], schemes: QuerySet[Scheme], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["province"].queryset = provinces
        self.fields["schemes"].queryset = schemes
        if self.instance.pk:
            self.fields["schemes"].initial = list(self.instance.schemes.all())

    def clean_investment(self):
        return self.cleaned_data.get("investment") or 0


class DossierForm(forms.Form):
    province = ProvinceChoiceField(label=_("Tỉnh, thành phố"), queryset=Province.objects.none())
    year = forms.IntegerField(label=_("Năm"), min_value=2014, max_value=2100)
    title = forms.CharField(label=_("Tên hồ sơ"), max_length=255)
    submitted_on = VNDateField(label=_("Ngày tỉnh gửi"))
    clusters = forms.ModelMultipleChoiceField(
        label=_("Cụm công nghiệp trong hồ sơ"),
        queryset=IndustrialCluster.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(
        self,
        *args,
        provinces: QuerySet[Province],
        clusters: QuerySet[IndustrialCluster],
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.fields["province"].queryset = provinces
        self.fields["clusters"].queryset = clusters


class DossierMoveForm(forms.Form):
    to = forms.CharField(widget=forms.HiddenInput)
    on = VNDateField(label=_("Ngày"))
    opinion = forms.CharField(
        label=_("Ý kiến của Cục"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class EventForm(forms.ModelForm):
    starts_on = VNDateField(label=_("Ngày bắt đầu"))
    ends_on = VNDateField(label=_("Ngày kết thúc"))
    host_province = ProvinceChoiceField(
        label=_("Tỉnh đăng cai"), queryset=Province.objects.none(), required=False
    )
    scheme_code = forms.CharField(
        label=_("Mã đề án cấp kinh phí"),
        max_length=40,
        required=False,
        help_text=_("Mã đề án trong kế hoạch năm diễn ra hội chợ, hội nghị, ví dụ KCQG-2019-001."),
    )

    class Meta:
        model = PromotionEvent
        fields = (
            "kind",
            "name",
            "starts_on",
            "ends_on",
            "place",
            "country",
            "host_province",
            "region",
            "organiser",
            "booths",
            "description",
        )
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, provinces: QuerySet[Province], schemes: QuerySet[Scheme], **kwargs):
        super().__init__(*args, **kwargs)
        self.schemes = schemes
        self.fields["host_province"].queryset = provinces
        self.fields["organiser"].queryset = self.fields["organiser"].queryset.filter(
            kind__in=["agency", "regional_centre", "department", "provincial_centre"]
        )
        if self.instance.pk and self.instance.scheme_id:
            self.fields["scheme_code"].initial = self.instance.scheme.code

    def clean(self):
        cleaned = super().clean()
        code = (cleaned.get("scheme_code") or "").strip()
        starts_on = cleaned.get("starts_on")
        self.instance.scheme = None
        if code and starts_on:
            scheme = self.schemes.filter(code=code, plan_year=starts_on.year).first()
            if scheme is None:
                self.add_error(
                    "scheme_code",
                    _("Không có đề án mã %(code)s trong kế hoạch năm %(year)s mà bạn xem được.")
                    % {"code": code, "year": starts_on.year},
                )
            else:
                self.instance.scheme = scheme
        return cleaned


class ParticipantForm(forms.Form):
    registration_code = forms.CharField(label=_("Mã số thuế / số đăng ký của cơ sở"), max_length=20)
    booths = forms.IntegerField(label=_("Số gian hàng"), min_value=1, initial=1)
    support = VNDField(label=_("Kinh phí hỗ trợ (đồng)"), required=False)

    def __init__(self, *args, establishments: QuerySet[Establishment], **kwargs):
        super().__init__(*args, **kwargs)
        self.establishments = establishments

    def clean_registration_code(self):
        code = self.cleaned_data["registration_code"].strip()
        establishment = self.establishments.filter(registration_code=code).first()
        if establishment is None:
            raise forms.ValidationError(
                _("Không có cơ sở nào mang mã %(code)s trong danh sách cơ sở bạn xem được.")
                % {"code": code}
            )
        self.cleaned_data["establishment"] = establishment
        return code

    def clean_support(self):
        return self.cleaned_data.get("support") or 0
