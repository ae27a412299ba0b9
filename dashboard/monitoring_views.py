"""The forecast and consistency pages (/giam-sat/…) and the panels the overview and the province
page show from the monitoring app. Every figure is taken on the page's day (the as-of date, or
today in a year still running) and narrowed to the schemes the user may see."""

import dataclasses
import datetime
from decimal import Decimal
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import json_script
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from core.exports import FORMATS, ExportSource, export_response, file_response
from core.money import format_billions, format_rate, format_vnd
from dashboard import monitoring_charts, monitoring_exports, views
from dashboard.cache import memoized
from dashboard.selectors import ProgrammeFilter
from monitoring.consistency import (
    CHECK_CODES,
    CHECKS,
    FACT_LABELS,
    data_quality,
    failing_rows,
    rule_text,
)
from monitoring.curve import curve_from_cumulative
from monitoring.forecast import (
    Forecast,
    GroupForecast,
    SchemeForecast,
    year_end_forecast,
)
from monitoring.scope import Scope
from monitoring.services import reason_text

AT_RISK_ON_PANELS = 5
AT_RISK_ON_PAGE = 20


def scope_of(programme: ProgrammeFilter, on: datetime.date) -> Scope:
    return Scope(
        year=programme.year,
        on=on,
        fund=programme.fund,
        approved_by=programme.cutoff,
        condition=programme.scheme_q(),
        display_map=programme.display_map,
    )


def _forecast(programme, visible, on: datetime.date, **options) -> Forecast:
    return year_end_forecast(scope_of(programme, on), visible, **options)


def _quality(programme, visible, on: datetime.date, with_plans: bool = False):
    return data_quality(scope_of(programme, on), visible, with_plans=with_plans)


def _page_url(name: str, programme: ProgrammeFilter, **extra: str) -> str:
    params = {**views._filter_params(programme), **extra}
    if programme.province is None:
        params["map"] = programme.display_map
    return f"{reverse(name)}?{urlencode(params)}"


# Forecast --------------------------------------------------------------------------------------


def _risk_rows(schemes: list[SchemeForecast]) -> list[dict]:
    return [
        {
            "scheme": scheme,
            "url": reverse("projects:scheme-detail", args=[scheme.scheme_id]),
            "budget": format_billions(scheme.budget),
            "disbursed": format_billions(scheme.disbursed),
            "expected": format_billions(scheme.expected_amount),
            "left": format_billions(scheme.left),
            "reasons": [reason_text(code, amount) for code, amount in scheme.reasons],
        }
        for scheme in schemes
    ]


def _group_row(group: GroupForecast, label: str, url: str) -> dict:
    return {
        "label": label,
        "url": url,
        "budget": group.budget,
        "disbursed": group.disbursed,
        "expected": group.expected_amount,
        "disbursed_rate": group.disbursed_rate,
        "expected_rate": group.expected_rate,
        "left": group.left,
        "schemes": group.schemes,
        "texts": {
            "budget": format_billions(group.budget),
            "disbursed": format_billions(group.disbursed),
            "expected": format_billions(group.expected_amount),
            "left": format_billions(group.left),
            "disbursed_rate": format_rate(group.disbursed_rate),
            "expected_rate": format_rate(group.expected_rate),
        },
    }


def _headline(forecast: Forecast) -> dict:
    total = forecast.total
    return {
        "expected": format_billions(total.expected_amount),
        "budget": format_billions(total.budget),
        "disbursed": format_billions(total.disbursed),
        "left": format_billions(total.left),
        "expected_rate": format_rate(total.expected_rate),
        "disbursed_rate": format_rate(total.disbursed_rate),
        "pace": format_rate(forecast.pace_percent),
        "reached": format_rate(forecast.curve.percent(forecast.month)),
        "month": forecast.month,
        "years": ", ".join(str(year) for year in forecast.curve.years),
        "from_history": forecast.curve.from_history,
        "on": forecast.on,
        "year_end": datetime.date(forecast.year, 12, 31),
        "rate_value": total.expected_rate,
    }


def _region_rows(forecast: Forecast, programme: ProgrammeFilter, english: bool) -> list[dict]:
    rows = []
    for group in forecast.by_region:
        label = (group.fields["name_en"] if english else None) or group.fields["name"]
        url = _page_url(
            "dashboard:forecast",
            dataclasses.replace(programme, province=None),
            region=group.fields["code"],
        )
        rows.append(_group_row(group, label, url))
    return rows


def _province_rows(forecast: Forecast, programme: ProgrammeFilter) -> list[dict]:
    rows = []
    for group in forecast.by_province:
        fields = group.fields
        label = fields["short_name"]
        if fields["map_version"] != programme.display_map:
            label = _("%(name)s (đơn vị mới)") % {"name": label}
        url = views.province_url(fields["map_version"], fields["code"], programme)
        rows.append(_group_row(group, label, url))
    return rows


def _area_rows(forecast: Forecast, programme: ProgrammeFilter, english: bool) -> list[dict]:
    rows = []
    for group in forecast.by_content_area:
        fields = group.fields
        name = (fields["name_en"] if english else None) or fields["short_name"]
        url = views.scheme_list_url(programme, content_area=fields["code"])
        rows.append(_group_row(group, f"{fields['number']}. {name}", url))
    return rows


def forecast_panel(
    programme: ProgrammeFilter,
    visible,
    *,
    monthly: list[dict],
    by: str = "region",
    english: bool = False,
) -> dict:
    """The forecast panel of the overview (by region) or of the province page (by content area).
    `monthly`: the page's monthly_cumulative rows, whose earlier years give the curve."""
    on = views._measured_on(programme)
    # Not cached by itself: the page caches the finished panel, and the forecast holds every
    # scheme's (5 MB pickled at national scale, seconds to write to the cache and read back).
    forecast = _forecast(
        programme,
        visible,
        on=on,
        history=curve_from_cumulative(monthly, programme.year),
        with_content_areas=by != "region",
    )
    rows = (
        _region_rows(forecast, programme, english)
        if by == "region"
        else _area_rows(forecast, programme, english)
    )
    chart = monitoring_charts.forecast_rates(rows)
    return {
        "headline": _headline(forecast),
        "chart": chart,
        "script": json_script(chart, "chart-forecast"),
        "at_risk": _risk_rows(forecast.at_risk(AT_RISK_ON_PANELS)),
        "url": _page_url("dashboard:forecast", programme),
        "by": by,
    }


@login_required
def forecast_detail(request):
    """The forecast of a year: the method, the past years' curve, the expected rate per region,
    province and content area, and the schemes most at risk."""
    page = _ForecastPage.read(request)
    programme, forecast, english = page.programme, page.forecast, page.english
    years, query, visible = page.years, page.query, page.visible
    regions = _region_rows(forecast, programme, english)
    provinces = _province_rows(forecast, programme)
    areas = _area_rows(forecast, programme, english)
    context = {
        "programme": programme,
        "errors": query.errors,
        "headline": _headline(forecast),
        "regions": regions,
        "provinces": provinces,
        "areas": areas,
        "at_risk": _risk_rows(forecast.at_risk(AT_RISK_ON_PAGE)),
        "charts": {
            "regions": monitoring_charts.forecast_rates(regions),
            "provinces": monitoring_charts.forecast_rates(provinces),
            "curve": monitoring_charts.history_curve(
                [forecast.curve.percent(m) for m in range(13)],
                month=forecast.month,
                from_history=forecast.curve.from_history,
            ),
        },
        "filters": _filters(years, programme),
        "scoped": visible is not None,
        "quality_url": _page_url("dashboard:consistency", programme),
        "exports": {
            name: {
                file_format: _export_url("dashboard:forecast-export", request, table, file_format)
                for file_format in FORMATS
            }
            for name, table in FORECAST_TABLES.items()
        },
    }
    return render(request, "dashboard/forecast_detail.html", context)


@dataclasses.dataclass
class _ForecastPage:
    """What the forecast page and its files read from the request: one place, so that a file
    has exactly the page's rows for the same query string."""

    visible: object
    years: list[int]
    query: object
    programme: ProgrammeFilter
    on: datetime.date
    forecast: Forecast
    english: bool

    @classmethod
    def read(cls, request) -> "_ForecastPage":
        visible = views._visible(request.user)
        years = memoized(views._plan_years, None, visible)
        query = views._query(request, views._default_year(years))
        programme = query.programme
        on = views._measured_on(programme)
        return cls(
            visible=visible,
            years=years,
            query=query,
            programme=programme,
            on=on,
            forecast=memoized(_forecast, programme, visible, on=on),
            english=(get_language() or "vi").startswith("en"),
        )


# The forecast page's tables that have a file: the schemes at risk, by province, by content area.
# (The page's name for each, then the URL's.)
FORECAST_TABLES = {"at_risk": "nguy-co", "provinces": "tinh", "areas": "noi-dung"}


def _export_url(name: str, request, *args) -> str:
    """The file of a table for the page's own query string."""
    query = request.GET.copy()
    query.pop("page", None)
    url = reverse(name, args=args)
    return f"{url}?{query.urlencode()}" if query else url


def _stamped(source, request):
    source.by = request.user.get_full_name() or request.user.username
    source.generated = timezone.localtime()
    return source


@login_required
@require_GET
def forecast_export(request, table, file_format):
    """One of the forecast page's tables as a file, with the rows the page shows."""
    if table not in FORECAST_TABLES.values() or file_format not in FORMATS:
        raise Http404
    page = _ForecastPage.read(request)
    programme, forecast = page.programme, page.forecast
    if table == "nguy-co":
        rows = _risk_rows(forecast.at_risk(AT_RISK_ON_PAGE))
        source = monitoring_exports.risk_source(rows, programme, page.on)
    elif table == "tinh":
        rows = _province_rows(forecast, programme)
        source = monitoring_exports.group_source(rows, programme, page.on, by_province=True)
    else:
        rows = _area_rows(forecast, programme, page.english)
        source = monitoring_exports.group_source(rows, programme, page.on, by_province=False)
    return file_response(_stamped(source, request), file_format)


def _filters(years: list[int], programme: ProgrammeFilter) -> dict:
    from projects.models import Fund
    from provinces.models import Region

    return {
        "years": views._year_choices(years, programme.year),
        "funds": [
            (Fund.NATIONAL, Fund.NATIONAL.label),
            (Fund.LOCAL, Fund.LOCAL.label),
            (views.ALL_FUNDS, _("Cả hai nguồn")),
        ],
        "fund": programme.fund or views.ALL_FUNDS,
        "regions": list(Region.objects.all()),
        "as_of": programme.as_of.strftime("%d/%m/%Y") if programme.as_of else "",
    }


# Consistency -----------------------------------------------------------------------------------


def _check_list(quality, url_of) -> list[dict]:
    return [
        {
            "code": check.code,
            "label": str(check.label),  # not the lazy text: panels are cached (pickled)
            "rule": rule_text(check),
            "count": quality.failing.get(check.code, 0),
            "url": url_of(check.code),
        }
        for check in CHECKS
    ]


def quality_panel(programme: ProgrammeFilter, visible) -> dict:
    """The consistency summary: schemes passing every check, and each check's failing rows."""
    on = views._measured_on(programme)
    quality = memoized(_quality, programme, visible, on=on)
    total = quality.total

    def url(check: str) -> str:
        return _page_url("dashboard:consistency", programme, check=check)

    weakest = sorted(
        (q for q in quality.provinces if q.failing_schemes),
        key=lambda q: (q.score, q.code),
    )[:5]
    return {
        "total": total,
        "score": format_rate(total.score),
        "checks": _check_list(total, url),
        "weakest": [
            {
                "quality": q,
                "score": format_rate(q.score),
                "url": _page_url(
                    "dashboard:consistency",
                    dataclasses.replace(programme, province=None),
                    province=q.code,
                    map=q.map_version,
                ),
            }
            for q in weakest
        ],
        "url": _page_url("dashboard:consistency", programme),
        "on": on,
    }


@login_required
def consistency_detail(request):
    """The consistency checks of a year per province (score and failing counts, each linking to
    its rows), the plans' envelopes for staff who see every scheme, and, with ?check=, the
    failing rows of one check."""
    visible = views._visible(request.user)
    years = memoized(views._plan_years, None, visible)
    query = views._query(request, views._default_year(years))
    programme = query.programme
    on = views._measured_on(programme)
    quality = memoized(_quality, programme, visible, on=on, with_plans=visible is None)
    check = request.GET.get("check")
    check = check if check in CHECK_CODES else None
    base = dataclasses.replace(programme, province=None)
    province_rows = []
    for unit in quality.provinces:

        def url(code: str, unit=unit) -> str:
            return _page_url(
                "dashboard:consistency", base, province=unit.code, map=unit.map_version, check=code
            )

        province_rows.append(
            {
                "quality": unit,
                "score": format_rate(unit.score),
                "checks": _check_list(unit, url),
                "url": _page_url(
                    "dashboard:consistency", base, province=unit.code, map=unit.map_version
                ),
            }
        )
    rows = _failing_page_rows(programme, visible, on, check) if check else []
    context = {
        "programme": programme,
        "errors": query.errors,
        "quality": quality,
        "score": format_rate(quality.total.score),
        "checks": _check_list(
            quality.total,
            lambda code: _page_url("dashboard:consistency", programme, check=code),
        ),
        "provinces": province_rows,
        "plans": [
            {
                "plan": plan,
                "envelope": format_billions(plan.envelope),
                "approved": format_billions(plan.approved),
            }
            for plan in quality.plans
        ],
        "check": next((c for c in CHECKS if c.code == check), None),
        "check_rule": rule_text(next(c for c in CHECKS if c.code == check)) if check else "",
        "rows": rows,
        "filters": _filters(years, programme),
        "scoped": visible is not None,
        "on": on,
        "forecast_url": _page_url("dashboard:forecast", programme),
        "all_url": _page_url("dashboard:consistency", programme),
        "exports": {
            file_format: _export_url("dashboard:consistency-export", request, file_format)
            for file_format in FORMATS
        },
    }
    return render(request, "dashboard/consistency_detail.html", context)


def _failing_page_rows(programme, visible, on: datetime.date, check: str) -> list[dict]:
    """The rows failing `check` as the page lists them, facts in the page's formats."""
    return [
        {
            **row,
            "url": reverse("projects:scheme-detail", args=[row["scheme_id"]]),
            "facts": [(FACT_LABELS[name], _fact(value)) for name, value in row["facts"]],
        }
        for row in memoized(_failing, programme, visible, on=on, check=check)
    ]


def consistency_source(user, params) -> ExportSource:
    """The rows failing the check that `params` names (?check=), for `user` and the page's query
    string: the consistency page's file, written at once or by a worker (exports.registry)."""
    check = next((c for c in CHECKS if c.code == params.get("check")), None)
    if check is None:
        raise ValidationError(
            _("Không có phép kiểm tra “%(check)s”.") % {"check": params.get("check", "")}
        )
    visible = views._visible(user)
    years = memoized(views._plan_years, None, visible)
    programme = views.query_of(params, views._default_year(years)).programme
    on = views._measured_on(programme)
    rows = _failing_page_rows(programme, visible, on, check.code)
    return monitoring_exports.failing_source(rows, check, rule_text(check), programme, on)


@login_required
@require_GET
def consistency_export(request, file_format):
    """The rows failing the check the page shows (?check=), as a file; many rows are written by
    a worker."""
    if file_format not in FORMATS or request.GET.get("check") not in {c.code for c in CHECKS}:
        raise Http404
    source = _stamped(consistency_source(request.user, request.GET), request)
    return export_response(source, file_format, table="consistency", params=request.GET)


def _failing(programme, visible, on: datetime.date, check: str) -> list[dict]:
    return failing_rows(scope_of(programme, on), visible, check)


def _fact(value) -> str:
    if value is None:
        return "—"
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, Decimal):
        return format_vnd(value)
    return str(value)
