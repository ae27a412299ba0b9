"""The scheme list, its exports and the scheme page. Each starts from `schemes_visible_to`:
what the user may not see is not listed, not exported, and answers 404."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET
from django_tables2.rows import BoundRows

from core.exports import FORMATS as EXPORT_FORMATS
from core.exports import export_response, refusal
from core.money import format_number
from core.text import fold
from dashboard.cache import cached
from dashboard.forms import ALL_FUNDS
from dashboard.selectors import ProgrammeFilter
from projects import exports
from projects.filters import SchemeFilter, active_filters
from projects.listing import (
    implementing_units,
    list_totals,
    page_keys,
    query_key,
    read_listing,
)
from projects.models import Fund, Scheme
from projects.permissions import provinces_visible_to, schemes_visible_to
from projects.selectors import (
    Stage,
    list_years,
    province_on_map,
    scheme_change_log,
    scheme_get_for_page,
    scheme_money_chain,
    scheme_status_timeline,
)
from projects.tables import STATUS_TONE, SchemeTable
from provinces.models import ProvinceMap, Region
from reference.models import ContentArea, Sector
from submissions.selectors import progress_schedule

PER_PAGE = 50
MONEY_CHAIN = (
    "approved",
    "contracted",
    "advances",
    "payments",
    "refunds",
    "disbursed",
    "remaining",
)
YES_NO_FILTERS = ("contracted", "disbursed", "behind")
# The filters folded under "Lọc thêm": the fold opens when one of them is in force.
MORE_FILTERS = ("kind", "status", "implementing_unit", "paid_month", *YES_NO_FILTERS)


class CountedPaginator(Paginator):
    """A paginator told the row count (taken with the totals), so it does not count again.

    A page of a queryset is read in two queries: the keys of the page's rows, sorted and cut on
    the scheme table alone, then those rows with their joins, money and schedule. PostgreSQL
    would otherwise join, compute and carry every filtered row (15,000 wide rows at national
    scale) through the sort before keeping 50."""

    def __init__(self, object_list, per_page, *, count: int, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.__dict__["count"] = count

    def page(self, number):
        rows = self.object_list
        queryset = getattr(getattr(rows, "data", None), "data", None)
        if not isinstance(queryset, QuerySet):
            return super().page(number)
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = min(bottom + self.per_page, self.count)
        keys, rows.table.rows_key = page_keys(queryset, bottom, top)
        page_rows = PageRows(
            data=queryset.filter(pk__in=keys),
            table=rows.table,
            pinned_data=rows.pinned_data,
            length=len(keys),
        )
        return self._get_page(page_rows, number, self)


class PageRows(BoundRows):
    """A page's rows that know their number from their keys: the page's length is asked for
    by the pager, and must not read the rows when the table's body comes from the cache."""

    def __init__(self, *args, length: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.length = length

    def __len__(self):
        return self.length


def _query_without(request, *names: str) -> str:
    params = request.GET.copy()
    for name in ("page", *names):
        params.pop(name, None)
    return params.urlencode()


def _other_map(map_version: str) -> str:
    return ProvinceMap.OLD_63 if map_version == ProvinceMap.NEW_34 else ProvinceMap.NEW_34


def _map_switch(request, programme: ProgrammeFilter) -> str:
    """The list on the other province map; a chosen old province becomes its new unit, a new
    unit is dropped (it spans several old ones)."""
    params = request.GET.copy()
    params.pop("page", None)
    other = _other_map(programme.display_map)
    params["map"] = other
    if programme.province is not None:
        if other == ProvinceMap.NEW_34 and programme.province.successor_id:
            params["province"] = province_on_map(programme.province, other).code
        else:
            params.pop("province", None)
    return params.urlencode()


def _choice_lists(user, visible, display_map: str, current_year: int) -> dict:
    """The filter form's lists that come from the data (one query each) as plain (value, label)
    pairs, cached under the data version, the user's scope and the map: reference rows and the
    years and implementing units of the schemes the user may see."""
    provinces = provinces_visible_to(user).on_map(display_map)

    def build() -> dict:
        areas: dict = {}
        for area in ContentArea.objects.select_related("content_list"):
            label = f"{area.number}. {area.short_name}"
            group = (area.content_list_id, area.content_list.name)
            areas.setdefault(group, []).append((area.code, label))
        units = implementing_units(visible).values_list("pk", "name")
        return {
            "provinces": [
                (province.code, province.short_name, province.pk)
                for province in sorted(provinces, key=lambda p: fold(p.short_name))
            ],
            "content_lists": [(name, choices) for (_pk, name), choices in areas.items()],
            "years": list_years(visible, current_year),
            "regions": list(Region.objects.values_list("code", "name")),
            "sectors": list(Sector.objects.values_list("code", "short_name")),
            "units": [(str(pk), name) for pk, name in sorted(units, key=lambda u: fold(u[1]))],
        }

    parts = ("scheme-list-choices", query_key(visible.values("pk")), query_key(provinces))
    return cached((*parts, current_year), build)


def _options(choices, chosen) -> SafeString:
    """<option> elements for (value, label) pairs, `chosen` selected: written here rather than
    by a template loop over the 63 provinces and the units, with an {% if %} for each."""
    return SafeString(
        "".join(
            f'<option value="{escape(value)}"{" selected" if value == chosen else ""}>'
            f"{escape(label)}</option>"
            for value, label in choices
        )
    )


def _filter_choices(request, visible, display_map: str, programme) -> dict:
    """What the filter form offers, its lists written as <option> elements."""
    lists = _choice_lists(request.user, visible, display_map, timezone.localdate().year)
    years = lists["years"]
    year = programme.year if programme else None
    if year is not None and year not in years:
        years = sorted([*years, year], reverse=True)
    current = request.GET
    chosen_province = programme.province.pk if programme and programme.province else None
    return {
        "years": years,
        "year_options": _options(((str(y), str(y)) for y in years), str(year)),
        "region_options": _options(lists["regions"], current.get("region")),
        "province_options": _options(
            ((code, name) for code, name, _pk in lists["provinces"]),
            next((code for code, _, pk in lists["provinces"] if pk == chosen_province), None),
        ),
        "area_options": format_html_join(
            "",
            '<optgroup label="{}">{}</optgroup>',
            (
                (name, _options(areas, current.get("content_area")))
                for name, areas in lists["content_lists"]
            ),
        ),
        "sector_options": _options(lists["sectors"], current.get("sector")),
        "unit_options": _options(lists["units"], current.get("implementing_unit")),
        "funds": [(ALL_FUNDS, _("Cả hai nguồn")), *Fund.choices],
        "kinds": Scheme.Kind.choices,
        "statuses": Scheme.Status.choices,
        "stages": Stage.choices,
        "yes_no": [
            {
                "name": name,
                "label": SchemeFilter.base_filters[name].label,
                "options": [
                    (value, text, request.GET.get(name) == value)
                    for value, text in SchemeFilter.base_filters[name].extra["choices"]
                ],
            }
            for name in YES_NO_FILTERS
        ],
        "more_open": any(request.GET.get(name) for name in MORE_FILTERS),
    }


@login_required
@require_GET
def scheme_list(request):
    visible = schemes_visible_to(request.user)
    listing = read_listing(request.GET, visible)
    errors = listing.errors
    programme = listing.programme
    display_map = programme.display_map if programme else ProvinceMap.OLD_63
    context = {
        "errors": errors,
        "current": request.GET,
        "statuses_chosen": request.GET.getlist("status"),
        "programme": programme,
        "display_map": display_map,
        "map_label": ProvinceMap(display_map).label,
        **_filter_choices(request, visible, display_map, programme),
    }
    if errors:
        return render(request, "projects/scheme_list.html", context, status=400)

    rows = listing.filterset.qs
    totals = list_totals(rows)
    table = SchemeTable(
        rows,
        province_map=display_map,
        as_of=programme.cutoff,
        totals=totals,
        order_by=request.GET.get("sort") or None,
    )
    try:
        page = int(request.GET.get("page", 1))
    except ValueError:
        page = 1
    page = min(max(page, 1), max(1, -(-totals.count // PER_PAGE)))
    table.paginate(
        paginator_class=CountedPaginator, per_page=PER_PAGE, page=page, count=totals.count
    )

    query = _query_without(request)
    chips = [
        (chip, _query_without(request, *chip.params))
        for chip in active_filters(listing.form, listing.filterset)
    ]
    other_map = _other_map(display_map)
    context.update(
        table=table,
        totals=totals,
        chips=chips,
        query=query,
        map_switch=_map_switch(request, programme),
        other_map_label=ProvinceMap(other_map).label,
        export_csv=f"{reverse('projects:scheme-export', args=['csv'])}?{query}",
        export_xlsx=f"{reverse('projects:scheme-export', args=['xlsx'])}?{query}",
    )
    return render(request, "projects/scheme_list.html", context)


@login_required
@require_GET
def scheme_export(request, file_format):
    if file_format not in EXPORT_FORMATS:
        raise Http404
    source = exports.scheme_source(request.user, request.GET)
    if source.errors:
        return refusal(source.errors)
    source.by = request.user.get_full_name() or request.user.username
    source.generated = timezone.localtime()
    return export_response(source, file_format, table="schemes", params=request.GET)


@login_required
@require_GET
def scheme_detail(request, pk):
    today = timezone.localdate()
    scheme = scheme_get_for_page(request.user, pk, today)
    money = scheme_money_chain(scheme, today)
    context = {
        "scheme": scheme,
        "money": money,
        # The strip's amounts in đồng, written as officials write them in either language.
        "money_text": {name: format_number(getattr(money, name)) for name in MONEY_CHAIN},
        "timeline": scheme_status_timeline(scheme),
        "changes": scheme_change_log(scheme),
        "new_unit": province_on_map(scheme.province, ProvinceMap.NEW_34),
        "list_query": f"year={scheme.plan_year}&fund={scheme.fund}",
        "status_tone": STATUS_TONE.get(scheme.status, "grey"),
        "margin": settings.BEHIND_SCHEDULE_MARGIN_PERCENT,
        "progress": progress_schedule(scheme, today),
        "progress_day": settings.KC_PROGRESS_REPORT_DAY,
    }
    return render(request, "projects/scheme_detail.html", context)
