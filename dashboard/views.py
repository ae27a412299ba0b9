"""The ministry's overview and the province page. Each view authorises (login, and for the
province page the visibility of the province), reads the part of the programme asked for from
the query string, calls the selectors (a fixed number of queries whatever the data size) and
hands the rows to the chart functions, whose figures reach the page as JSON."""

import dataclasses
import datetime
from decimal import Decimal
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import json_script
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from core.money import BILLION, format_billions, format_number, format_rate
from dashboard import charts, monitoring_views, selectors
from dashboard.cache import cached, memoized, scope_key
from dashboard.forms import ALL_FUNDS, ProgrammeQuery
from dashboard.selectors import ProgrammeFilter
from dashboard.tilegrid import tiles
from projects.models import Fund
from projects.permissions import provinces_visible_to, schemes_visible_to
from projects.waiting import longest_waits, waiting_with
from provinces.models import Province, ProvinceMap, Region, map_on
from reference.models import ContentArea
from registers.selectors import province_section

METRICS = ("rate", "budget")
PREVIOUS_YEARS = 3


# Reading the query string ----------------------------------------------------------------------


def _plan_years(_programme, visible):
    return selectors.plan_years(visible)


def _visible(user):
    """The schemes the user may see, or None when that is every scheme (the figures are then
    exactly programme_summary's, as in the public API)."""
    return None if user.sees_everything else schemes_visible_to(user)


def _today() -> datetime.date:
    return timezone.localdate()


def _default_year(years: list[int]) -> int:
    """The current year if it has allocations, else the latest year that has."""
    today = _today().year
    if today in years or not years:
        return today
    return years[-1]


@dataclasses.dataclass(frozen=True)
class Query:
    """What the page was asked to show: the programme, and which of its parts were chosen
    rather than defaulted (the default map follows the year), with the parameters in error."""

    programme: ProgrammeFilter
    year_chosen: bool
    map_chosen: bool
    errors: tuple[str, ...]

    def with_year(self, year: int) -> "Query":
        programme = dataclasses.replace(self.programme, year=year)
        if not self.map_chosen:
            map_version = map_on(datetime.date(year, 12, 31))
            programme = dataclasses.replace(programme, province_map=map_version)
        return dataclasses.replace(self, programme=programme)


def _query(request, default_year: int, *, fields=None, known=None) -> Query:
    return query_of(request.GET, default_year, fields=fields, known=known)


def query_of(given, default_year: int, *, fields=None, known=None) -> Query:
    """Read the programme from a query string (a QueryDict). The fund defaults to the national
    one, the map to the one in force at the year's end. Invalid parameters are reported and left
    out rather than failing the page."""
    params = given.copy()
    if fields is not None:
        params = type(params)(mutable=True)
        for name in fields:
            if name in given:
                params[name] = given[name]
    params.setdefault("fund", Fund.NATIONAL)
    errors: list[str] = []
    form = ProgrammeQuery(params, default_year=default_year, known=known)
    for _attempt in range(3):
        if form.is_valid():
            break
        for field, messages in form.errors.items():
            errors.extend(str(message) for message in messages)
            params.pop(field, None)
            if field in ("map", "province", "__all__"):
                params.pop("province", None)
        form = ProgrammeQuery(params, default_year=default_year, known=known)
    else:  # pragma: no cover - each attempt drops the fields in error
        params = type(params)(mutable=True)
        params["fund"] = Fund.NATIONAL
        form = ProgrammeQuery(params, default_year=default_year, known=known)
        form.is_valid()
    query = Query(
        programme=form.programme(),
        year_chosen=bool(params.get("year")),
        map_chosen=bool(form.cleaned_data.get("map")),
        errors=tuple(dict.fromkeys(errors)),
    )
    return query.with_year(query.programme.year)


# Addresses -------------------------------------------------------------------------------------


def _filter_params(programme: ProgrammeFilter) -> dict[str, str]:
    params = {"year": str(programme.year), "fund": programme.fund or ALL_FUNDS}
    if programme.region is not None:
        params["region"] = programme.region.code
    if programme.content_area is not None:
        params["content_area"] = programme.content_area.code
    if programme.province is not None:
        params["province"] = programme.province.code
        params["map"] = programme.province.map_version
    if programme.sector is not None:
        params["sector"] = programme.sector.code
    if programme.as_of is not None:  # only when asked for: the list then counts to the same day
        params["as_of"] = programme.as_of.strftime("%d/%m/%Y")
    return params


def scheme_list_url(programme: ProgrammeFilter, **extra: str) -> str:
    """The scheme list filtered to the programme, plus `extra` (contracted=1, stage=…)."""
    params = {**_filter_params(programme), **extra}
    return f"{reverse('projects:scheme-list')}?{urlencode(params)}"


def overview_url(programme: ProgrammeFilter, map_chosen: bool, **changes) -> str:
    params = _filter_params(programme)
    if map_chosen and "map" not in params:
        params["map"] = programme.display_map
    params.update(changes)
    params = {key: value for key, value in params.items() if value not in (None, "")}
    return f"{reverse('dashboard:overview')}?{urlencode(params)}"


def province_url(map_version: str, code: str, programme: ProgrammeFilter) -> str:
    path = reverse("dashboard:province-detail", args=[map_version, code])
    params = {"year": str(programme.year), "fund": programme.fund or ALL_FUNDS}
    return f"{path}?{urlencode(params)}"


# Figures shared by both pages ------------------------------------------------------------------


def _kpis(programme: ProgrammeFilter, summary, schedule) -> dict:
    """The KPI cards' numbers, written as officials write them, and their links."""
    budget = Decimal(summary.budget)
    return {
        "summary": summary,
        "schedule": schedule,
        "budget": format_billions(budget),
        "disbursed": format_number(Decimal(summary.disbursed) / BILLION, 2),
        "budget_number": format_number(budget / BILLION, 2),
        "contracted_rate": format_rate(summary.contracted_rate),
        "disbursed_rate": format_rate(summary.disbursed_rate),
        "behind_rate": format_rate(schedule.behind_rate),
        "cutoff": _measured_on(programme),
        "links": {
            "all": scheme_list_url(programme),
            "contracted": scheme_list_url(programme, contracted="1"),
            "disbursed": scheme_list_url(programme, disbursed="1"),
            "behind": scheme_list_url(programme, behind="1"),
        },
    }


def _measured_on(programme: ProgrammeFilter) -> datetime.date:
    """The day the page's figures describe: the cutoff, or today in a year still running (as
    the scheme list does: a schedule is not judged against a 31 December still to come)."""
    return min(programme.cutoff, _today())


def _until_month(programme: ProgrammeFilter) -> int:
    """The last month of the year's curve."""
    end = _measured_on(programme)
    if end.year < programme.year:
        return 0
    return end.month if end.year == programme.year else 12


def _monthly_rows(programme: ProgrammeFilter, visible) -> list[dict]:
    return memoized(selectors.monthly_cumulative, programme, visible, previous_years=PREVIOUS_YEARS)


def _monthly_chart(programme: ProgrammeFilter, visible, budget: Decimal, rows=None) -> dict:
    if rows is None:
        rows = _monthly_rows(programme, visible)
    params = _filter_params(programme)
    del params["year"]
    # Each point's year and month are filled in by the chart (str.format); urlencode has
    # escaped any brace a parameter value could hold.
    template = (
        f"{reverse('projects:scheme-list')}?year={{year}}&{urlencode(params)}"
        "&paid_month={year}-{month:02d}"
    )
    return charts.cumulative_by_month(
        rows,
        year=programme.year,
        budget=budget,
        until_month=_until_month(programme),
        url_template=template,
    )


def _label(row: dict, english: bool, field: str = "short_name") -> str:
    return (row.get("name_en") if english else None) or row[field]


def _content_chart(programme, visible, english: bool) -> dict:
    rows = [
        {
            **row,
            "label": f"{row['number']}. {_label(row, english)}",
            "url": scheme_list_url(programme, content_area=row["code"]),
        }
        for row in memoized(selectors.budget_by_content_area, programme, visible)
    ]
    return charts.budget_bars(rows)


def _sector_chart(programme, visible, english: bool) -> dict:
    rows = [
        {
            **row,
            "label": _label(row, english),
            "url": scheme_list_url(programme, sector=row["code"]),
        }
        for row in memoized(selectors.budget_by_sector, programme, visible)
    ]
    return charts.budget_bars(rows, color=charts.BLUE)


def _funnel_chart(programme, kpis) -> dict:
    summary, schedule = kpis["summary"], kpis["schedule"]
    stages = [
        ("approved", _("Được duyệt"), summary.schemes_approved),
        ("contracted", _("Đã ký hợp đồng"), summary.schemes_contracted),
        ("disbursed", _("Có giải ngân"), summary.schemes_disbursed),
        ("accepted", _("Đã nghiệm thu"), schedule.accepted),
        ("settled", _("Đã quyết toán"), schedule.settled),
    ]
    return charts.status_funnel(
        [
            {"label": label, "count": count, "url": scheme_list_url(programme, stage=stage)}
            for stage, label, count in stages
        ]
    )


def _behind_rows(programme, visible) -> list[dict]:
    return [
        {
            "scheme": scheme,
            "url": reverse("projects:scheme-detail", args=[scheme.pk]),
            "contracted": format_billions(scheme.contracted),
            "disbursed": format_billions(scheme.disbursed),
            "lag": format_billions(scheme.lag),
        }
        for scheme in memoized(
            selectors.schemes_most_behind, programme, visible, on=_measured_on(programme)
        )
    ]


def _as_of_text(programme: ProgrammeFilter) -> str:
    return programme.as_of.strftime("%d/%m/%Y") if programme.as_of else ""


def _year_choices(years: list[int], year: int) -> list[int]:
    return sorted({*years, year}, reverse=True)


# The overview ----------------------------------------------------------------------------------


def chart_scripts(figures: dict) -> dict:
    """Each figure as the <script type="application/json"> element the page draws it from
    (static/js/charts.js), written once when the figures are built rather than per request."""
    return {name: json_script(figure, f"chart-{name}") for name, figure in figures.items()}


def _overview_figures(
    programme: ProgrammeFilter, visible, trend, *, map_chosen: bool, metric: str, language: str
) -> dict:
    """The overview's figures, charts and panels: everything of the page that depends only on
    the data, the user's scope and the filters (cached as one value by the view)."""
    english = language.startswith("en")
    summary = memoized(selectors.visible_summary, programme, visible)
    schedule = memoized(selectors.schedule_figures, programme, visible, on=_measured_on(programme))
    kpis = _kpis(programme, summary, schedule)

    regions = memoized(selectors.disbursement_by_region, programme, visible)
    region_rows = [
        {
            **row,
            "label": _label(row, english, "name"),
            "url": overview_url(
                dataclasses.replace(programme, province=None),
                map_chosen,
                region=row["code"],
                metric=metric if metric != "rate" else None,
            ),
        }
        for row in regions
    ]
    display_map = programme.display_map
    provinces = memoized(selectors.disbursement_by_province, programme, visible)
    province_rows, merged_new_units = [], False
    for row in provinces:
        label = row["short_name"]
        if row["map_version"] != display_map:
            merged_new_units = True
            label = _("%(name)s (đơn vị mới)") % {"name": label}
        province_rows.append(
            {**row, "label": label, "url": province_url(row["map_version"], row["code"], programme)}
        )
    on_map = {row["code"]: row for row in provinces if row["map_version"] == display_map}
    tile_rows = [
        {**dataclasses.asdict(tile), "url": province_url(display_map, tile.code, programme)}
        for tile in tiles(display_map)
    ]
    trend_rows = [
        {
            "year": figures.year,
            "budget": figures.summary.budget,
            "disbursed": figures.summary.disbursed,
            "url": overview_url(programme, map_chosen, year=str(figures.year)),
        }
        for figures in trend
    ]

    monthly = _monthly_rows(programme, visible)
    chart_figures = {
        "monthly": _monthly_chart(programme, visible, summary.budget, monthly),
        "regions": charts.disbursement_rate(
            region_rows, overall=summary.disbursed_rate, horizontal=True
        ),
        "provinces": charts.disbursement_rate(province_rows, overall=summary.disbursed_rate),
        "map": charts.tile_map(tile_rows, on_map, metric=metric),
        "content": _content_chart(programme, visible, english),
        "sectors": _sector_chart(programme, visible, english),
        "funnel": _funnel_chart(programme, kpis),
        "trend": charts.budget_trend(trend_rows, year=programme.year),
    }
    return {
        "kpis": kpis,
        "charts": chart_figures,
        "scripts": chart_scripts(chart_figures),
        "merged_new_units": merged_new_units,
        "behind": _behind_rows(programme, visible),
        "until_month": _until_month(programme),
        "forecast": monitoring_views.forecast_panel(
            programme, visible, monthly=monthly, english=english
        ),
        "quality": monitoring_views.quality_panel(programme, visible),
    }


@login_required
def overview(request):
    """The ministry's overview of a year's programme: KPI cards, charts, a tile-grid map and
    the schemes furthest behind schedule, all scoped to what the user may see."""
    visible = _visible(request.user)
    # The filter lists, read once: the query string's codes are looked up among them.
    regions_list = list(Region.objects.all())
    content_areas = list(
        ContentArea.objects.select_related("content_list").order_by(
            "content_list__valid_from", "number"
        )
    )
    query = _query(
        request,
        _today().year,
        known={"region": regions_list, "content_area": content_areas},
    )
    # The trend covers every year (4 queries): it also tells which years have allocations, for
    # the default year and the year list.
    trend = memoized(selectors.trend_by_year, query.programme, visible)
    years = sorted(figures.year for figures in trend)
    if not query.year_chosen:
        query = query.with_year(_default_year(years))
    programme, map_chosen, errors = query.programme, query.map_chosen, query.errors
    language = get_language() or "vi"
    metric = request.GET.get("metric")
    metric = metric if metric in METRICS else "rate"
    # Every figure and panel of the page, built once per data version, scope, filters, language
    # and day: a repeated request reads them (and their JSON) from the cache and builds nothing.
    figures = cached(
        ("overview", scope_key(visible), programme, map_chosen, metric, language, _today()),
        lambda: _overview_figures(
            programme, visible, trend, map_chosen=map_chosen, metric=metric, language=language
        ),
    )
    display_map = programme.display_map
    other_map = ProvinceMap.NEW_34 if display_map == ProvinceMap.OLD_63 else ProvinceMap.OLD_63
    context = {
        **figures,
        "programme": programme,
        "errors": errors,
        "filters": {
            "years": _year_choices(years, programme.year),
            "funds": [
                (Fund.NATIONAL, Fund.NATIONAL.label),
                (Fund.LOCAL, Fund.LOCAL.label),
                (ALL_FUNDS, _("Cả hai nguồn")),
            ],
            "fund": programme.fund or ALL_FUNDS,
            "regions": regions_list,
            "content_areas": content_areas,
            "map_chosen": map_chosen,
            "metric": metric,
        },
        "map": {
            "current": display_map,
            "label": ProvinceMap(display_map).label,
            "other_label": ProvinceMap(other_map).label,
            "switch_url": overview_url(
                programme, True, map=other_map, metric=metric if metric != "rate" else None
            ),
            "metric_urls": {
                name: overview_url(programme, map_chosen, metric=name) for name in METRICS
            },
        },
        "waits": [
            {"scheme": scheme, "with_whom": waiting_with(scheme.status)}
            for scheme in longest_waits(request.user, limit=10)
        ],
        "scoped": visible is not None,
        "as_of": _as_of_text(programme),
    }
    return render(request, "dashboard/overview.html", context)


# The province page -----------------------------------------------------------------------------


def _province_figures(programme: ProgrammeFilter, visible, *, language: str) -> dict:
    """The province page's figures, charts and panels (cached as one value by the view)."""
    english = language.startswith("en")
    summary = memoized(selectors.visible_summary, programme, visible)
    schedule = memoized(selectors.schedule_figures, programme, visible, on=_measured_on(programme))
    monthly = _monthly_rows(programme, visible)
    chart_figures = {
        "monthly": _monthly_chart(programme, visible, summary.budget, monthly),
        "content": _content_chart(programme, visible, english),
    }
    return {
        "kpis": _kpis(programme, summary, schedule),
        "charts": chart_figures,
        "scripts": chart_scripts(chart_figures),
        "behind": _behind_rows(programme, visible),
        "until_month": _until_month(programme),
        "forecast": monitoring_views.forecast_panel(
            programme, visible, monthly=monthly, by="content_area", english=english
        ),
        "quality": monitoring_views.quality_panel(programme, visible),
    }


@login_required
def province_detail(request, map_version, code):
    """One province on one map: its KPI cards, monthly curve, content areas and the schemes
    furthest behind. On the 34-unit map a new unit takes in the old provinces merged into it.
    404 when the user may not see the province."""
    province = get_object_or_404(
        provinces_visible_to(request.user).select_related("successor"),
        map_version=map_version,
        code=code,
    )
    visible = _visible(request.user)
    years = memoized(_plan_years, None, visible)
    query = _query(request, _default_year(years), fields=("year", "fund", "as_of"))
    errors = query.errors
    programme = dataclasses.replace(query.programme, province=province, province_map=map_version)
    language = get_language() or "vi"
    figures = cached(
        ("province", scope_key(visible), programme, language, _today()),
        lambda: _province_figures(programme, visible, language=language),
    )
    merged: list[Province] = []
    if map_version == ProvinceMap.NEW_34:
        merged = list(
            Province.objects.filter(successor=province, map_version=ProvinceMap.OLD_63).order_by(
                "code"
            )
        )
    context = {
        **figures,
        "province": province,
        "programme": programme,
        "errors": errors,
        "merged": merged,
        "filters": {
            "years": _year_choices(years, programme.year),
            "funds": [
                (Fund.NATIONAL, Fund.NATIONAL.label),
                (Fund.LOCAL, Fund.LOCAL.label),
                (ALL_FUNDS, _("Cả hai nguồn")),
            ],
            "fund": programme.fund or ALL_FUNDS,
        },
        "list_url": scheme_list_url(programme),
        "overview_url": overview_url(
            dataclasses.replace(programme, province=None), True, map=map_version
        ),
        "successor_url": (
            province_url(ProvinceMap.NEW_34, province.successor.code, programme)
            if map_version == ProvinceMap.OLD_63 and province.successor_id
            else None
        ),
        "merged_urls": [
            (unit, province_url(ProvinceMap.OLD_63, unit.code, programme)) for unit in merged
        ],
        "registers": province_section(province, programme.year, today=timezone.localdate()),
        "as_of": _as_of_text(programme),
    }
    return render(request, "dashboard/province_detail.html", context)
