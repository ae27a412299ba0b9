"""The scheme list's own filters, on top of the programme part (year, fund, region, province on
a map, content area, sector, cut-off) that `dashboard.forms.ProgrammeQuery` reads. The GET names
are a contract: the overview's cards and charts link to the list with them."""

import datetime
from dataclasses import dataclass

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from core.text import fold
from dashboard.forms import ProgrammeQuery
from dashboard.selectors import ProgrammeFilter
from organisations.models import Organisation
from projects import selectors
from projects.models import Fund, Scheme
from projects.selectors import Stage
from provinces.models import ProvinceMap

YES, NO = "1", "0"


class MonthField(forms.RegexField):
    """A month written YYYY-MM (what <input type="month"> sends), cleaned to its first day."""

    def __init__(self, **kwargs):
        kwargs.setdefault(
            "error_messages", {"invalid": _("Tháng viết dạng YYYY-MM, ví dụ 2019-06.")}
        )
        super().__init__(r"^\d{4}-(0[1-9]|1[0-2])$", **kwargs)

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return None
        year, month = value.split("-")
        return datetime.date(int(year), int(month), 1)


class MonthFilter(django_filters.Filter):
    field_class = MonthField


def _yes_no(yes, no):
    return [(YES, yes), (NO, no)]


class SchemeFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Tìm kiếm"), method="filter_q")
    kind = django_filters.ChoiceFilter(label=_("Loại đề án"), choices=Scheme.Kind.choices)
    status = django_filters.MultipleChoiceFilter(
        label=_("Trạng thái"), choices=Scheme.Status.choices
    )
    implementing_unit = django_filters.ModelChoiceFilter(
        label=_("Đơn vị thực hiện"), queryset=Organisation.objects.none()
    )
    stage = django_filters.ChoiceFilter(
        label=_("Giai đoạn"), choices=Stage.choices, method="filter_stage"
    )
    contracted = django_filters.ChoiceFilter(
        label=_("Hợp đồng"),
        choices=_yes_no(_("Đã ký hợp đồng"), _("Chưa ký hợp đồng")),
        method="filter_contracted",
    )
    disbursed = django_filters.ChoiceFilter(
        label=_("Giải ngân"),
        choices=_yes_no(_("Đã giải ngân"), _("Chưa giải ngân")),
        method="filter_disbursed",
    )
    behind = django_filters.ChoiceFilter(
        label=_("Tiến độ giải ngân"),
        choices=_yes_no(_("Chậm tiến độ"), _("Không chậm")),
        method="filter_behind",
    )
    paid_month = MonthFilter(label=_("Có chứng từ trong tháng"), method="filter_paid_month")

    class Meta:
        model = Scheme
        fields = ()

    def __init__(
        self,
        data,
        queryset: QuerySet[Scheme],
        *,
        programme: ProgrammeFilter,
        units: QuerySet[Organisation],
        **kwargs,
    ):
        super().__init__(data, queryset, **kwargs)
        self.programme = programme
        self.filters["implementing_unit"].queryset = units

    def filter_queryset(self, queryset):
        """Every list is of one stage: the year's plan unless another stage is asked for."""
        if not self.form.cleaned_data.get("stage"):
            queryset = self.filter_stage(queryset, "stage", Stage.APPROVED)
        return super().filter_queryset(queryset)

    def filter_stage(self, queryset, name, value):
        return queryset.filter(selectors.stage_q(self.programme, value))

    def filter_q(self, queryset, name, value):
        """Every word, without diacritics, in the scheme's code or title or its province's name
        (on the 34-unit map, also the name of the unit it merged into)."""
        on_new_map = self.programme.display_map == ProvinceMap.NEW_34
        for word in fold(value).split():
            match = Q(search_text__icontains=word) | Q(province__search_text__icontains=word)
            if on_new_map:
                match |= Q(province__successor__search_text__icontains=word)
            queryset = queryset.filter(match)
        return queryset

    def filter_contracted(self, queryset, name, value):
        q = selectors.contracted_q(self.programme)
        return queryset.filter(q if value == YES else ~q)

    def filter_disbursed(self, queryset, name, value):
        q = selectors.disbursed_q(self.programme)
        return queryset.filter(q if value == YES else ~q)

    def filter_behind(self, queryset, name, value):
        return queryset.filter(behind=value == YES)

    def filter_paid_month(self, queryset, name, value):
        return queryset.filter(selectors.paid_in_month_q(self.programme, value))


@dataclass(frozen=True)
class ActiveFilter:
    """One filter in force, as the list's chips and the exports' title line state it."""

    params: tuple[str, ...]  # the GET names that removing it drops
    label: str
    value: str
    removable: bool = True


def active_filters(form: ProgrammeQuery, filterset: SchemeFilter) -> list[ActiveFilter]:
    """The filters in force, in the order of the filter form. `form` and `filterset` are valid."""
    programme = filterset.programme
    data = form.cleaned_data
    found = [ActiveFilter(("year",), _("Năm"), str(programme.year), removable=False)]
    if programme.fund:
        found.append(ActiveFilter(("fund",), _("Nguồn"), str(Fund(programme.fund).label)))
    if programme.region:
        found.append(ActiveFilter(("region",), _("Vùng"), programme.region.name))
    if programme.province:
        found.append(ActiveFilter(("province",), _("Tỉnh, thành"), programme.province.name))
    if programme.content_area:
        area = programme.content_area
        found.append(
            ActiveFilter(("content_area",), _("Nội dung"), f"{area.number}. {area.short_name}")
        )
    if programme.sector:
        found.append(ActiveFilter(("sector",), _("Ngành nghề"), programme.sector.short_name))
    if data.get("as_of"):
        found.append(
            ActiveFilter(("as_of",), _("Tính đến ngày"), data["as_of"].strftime("%d/%m/%Y"))
        )
    cleaned = filterset.form.cleaned_data
    for name in ("q", "kind", "status", "implementing_unit", "stage"):
        value = cleaned.get(name)
        if not value:
            continue
        field = filterset.form.fields[name]
        if name == "q":
            text = f"“{value}”"
        elif name == "status":
            labels = dict(Scheme.Status.choices)
            text = ", ".join(str(labels[status]) for status in value)
        elif name == "implementing_unit":
            text = value.name
        else:
            text = str(dict(field.choices)[value])
        found.append(ActiveFilter((name,), str(field.label), text))
    for name in ("contracted", "disbursed", "behind"):
        value = cleaned.get(name)
        if value:
            field = filterset.form.fields[name]
            found.append(ActiveFilter((name,), str(field.label), str(dict(field.choices)[value])))
    if cleaned.get("paid_month"):
        found.append(
            ActiveFilter(
                ("paid_month",),
                str(filterset.form.fields["paid_month"].label),
                cleaned["paid_month"].strftime("%m/%Y"),
            )
        )
    return found
