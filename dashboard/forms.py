"""The part of the programme a page, an export or the API is about (year, fund, region,
province on one of the two maps, content area, sector, cut-off date), read from the query
string and validated like any other user input."""

from django import forms
from django.utils.translation import gettext_lazy as _

from dashboard.selectors import ProgrammeFilter
from projects.models import Fund
from provinces.models import Province, ProvinceMap, Region
from reference.models import ContentArea, Sector

ALL_FUNDS = "all"


class CodeChoiceField(forms.ModelChoiceField):
    """A reference row chosen by its code, with the codes listed in the error."""

    def __init__(self, queryset, **kwargs):
        super().__init__(queryset, to_field_name="code", required=False, **kwargs)

    # The rows of the queryset when the page already read them (its filter lists): a code is
    # then looked up among them instead of by one more query.
    rows: list | None = None

    def validate(self, value):
        super().validate(value)

    def to_python(self, value):
        if self.rows is not None and value not in self.empty_values:
            for row in self.rows:
                if row.code == value:
                    return row
            raise forms.ValidationError(
                _("'%(value)s' không có trong danh mục. Giá trị hợp lệ: %(codes)s."),
                code="invalid_choice",
                params={"value": value, "codes": ", ".join(row.code for row in self.rows)},
            )
        try:
            return super().to_python(value)
        except forms.ValidationError as error:
            codes = ", ".join(self.queryset.values_list("code", flat=True))
            raise forms.ValidationError(
                _("'%(value)s' không có trong danh mục. Giá trị hợp lệ: %(codes)s."),
                code="invalid_choice",
                params={"value": value, "codes": codes},
            ) from error


class ProgrammeQuery(forms.Form):
    year = forms.IntegerField(label=_("năm"), min_value=2012, max_value=2100, required=False)
    fund = forms.ChoiceField(
        label=_("nguồn kinh phí"),
        choices=[(ALL_FUNDS, _("Cả hai nguồn")), *Fund.choices],
        required=False,
    )
    region = CodeChoiceField(Region.objects.all(), label=_("vùng"))
    province = forms.RegexField(
        label=_("tỉnh"),
        regex=r"^[0-9]{1,2}$",
        required=False,
        error_messages={"invalid": _("Mã tỉnh là mã GSO gồm 2 chữ số, ví dụ 19.")},
    )
    map = forms.ChoiceField(label=_("bản đồ tỉnh"), choices=ProvinceMap.choices, required=False)
    content_area = CodeChoiceField(ContentArea.objects.all(), label=_("nội dung"))
    sector = CodeChoiceField(Sector.objects.all(), label=_("ngành nghề"))
    as_of = forms.DateField(
        label=_("tính đến ngày"),
        required=False,
        input_formats=["%d/%m/%Y", "%Y-%m-%d"],
        error_messages={"invalid": _("Ngày viết dạng dd/mm/yyyy, ví dụ 31/12/2019.")},
    )

    def __init__(
        self,
        params,
        *,
        strict: bool = False,
        default_year: int | None = None,
        known: dict[str, list] | None = None,
        **kwargs,
    ):
        """`strict` (the API): the year is required and an unknown parameter is an error.
        Otherwise (pages) the year defaults to `default_year` and other parameters, which belong
        to the page (sorting, paging, list filters), are left alone. `known`: reference rows the
        page has read already, by field name ("region", "content_area", "sector")."""
        self.strict = strict
        self.default_year = default_year
        self.unknown = sorted(set(params) - set(self.base_fields)) if strict else []
        super().__init__(params, **kwargs)
        self.fields["year"].required = strict
        for name, rows in (known or {}).items():
            self.fields[name].rows = rows

    def clean_year(self):
        return self.cleaned_data.get("year") or self.default_year

    def clean(self):
        cleaned = super().clean()
        for name in self.unknown:
            self.add_error(None, _("Tham số không được hỗ trợ: '%(name)s'.") % {"name": name})
        if cleaned.get("year") is None and not self.errors:
            self.add_error("year", _("Cần chọn năm kế hoạch."))
        code, map_version = cleaned.get("province"), cleaned.get("map")
        if code and not map_version:
            self.add_error(
                "map",
                _(
                    "Cần chọn bản đồ tỉnh (map=63: trước 01/07/2025, map=34: từ 01/07/2025) vì "
                    "một số mã tỉnh có nghĩa khác nhau trên hai bản đồ."
                ),
            )
        elif code:
            province = Province.objects.filter(code=code.zfill(2), map_version=map_version).first()
            if province is None:
                self.add_error(
                    "province",
                    _("Không có tỉnh mã %(code)s trên bản đồ %(map)s tỉnh.")
                    % {"code": code, "map": map_version},
                )
            cleaned["province_obj"] = province
        return cleaned

    def programme(self) -> ProgrammeFilter:
        data = self.cleaned_data
        fund = data.get("fund") or ALL_FUNDS
        return ProgrammeFilter(
            year=data["year"],
            fund=None if fund == ALL_FUNDS else fund,
            region=data.get("region"),
            province=data.get("province_obj"),
            province_map=data.get("map") or None,
            content_area=data.get("content_area"),
            sector=data.get("sector"),
            as_of=data.get("as_of"),
        )
