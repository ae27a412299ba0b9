"""The public open-data page (/du-lieu-mo/): the programme's aggregate figures by year, region,
province (on either map) and content area, with CSV and JSON downloads of exactly the rows the
page shows. Figures only: no person and no beneficiary is named. They count every scheme, as the
public summary API does (api.aggregates with visible=None)."""

import csv
import datetime
import io
import json
from decimal import Decimal
from urllib.parse import urlencode

from django.http import HttpResponse, JsonResponse, QueryDict
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from api.aggregates import GROUPS, aggregates
from core.exports import neutralise
from core.money import format_number, format_rate
from dashboard import selectors
from dashboard.forms import ALL_FUNDS, ProgrammeQuery
from projects.models import Fund
from provinces.models import ProvinceMap

PARAMS = ("year", "fund", "map")


def _default_year() -> int:
    """The current year if it has allocations, else the latest year that has (as the
    dashboard chooses)."""
    years = selectors.plan_years(None)
    today = timezone.localdate().year
    return today if today in years or not years else years[-1]


def _read(request):
    """(form, body): the query (year, fund — national by default, as on the overview — and
    map) and, when it is valid, the figures."""
    params = QueryDict(mutable=True)
    for name in PARAMS:
        if name in request.GET:
            params[name] = request.GET[name]
    params.setdefault("fund", Fund.NATIONAL)
    form = ProgrammeQuery(params, default_year=_default_year())
    if not form.is_valid():
        return form, None
    return form, aggregates(form.programme(), None)


def _decimal(text: str | None) -> Decimal | None:
    return None if text is None else Decimal(text)


def _query_string(body: dict, **changes) -> str:
    return urlencode({"year": body["year"], "fund": body["fund"], "map": body["map"], **changes})


def _errors(form) -> list[str]:
    return [str(message) for messages in form.errors.values() for message in messages]


def _filename(body: dict) -> str:
    return f"khuyen-cong-{body['year']}-{body['fund']}-ban-do-{body['map']}"


def _headers() -> list[str]:
    return [
        _("Nhóm"),
        _("Mã"),
        _("Tên"),
        _("Bản đồ tỉnh"),
        _("Kinh phí được duyệt (đồng)"),
        _("Đã giải ngân (đồng)"),
        _("Tỷ lệ giải ngân (%)"),
        _("Số đề án"),
    ]


def table_rows(body: dict) -> list[list]:
    """Every row of the page's tables, in the page's order, as the CSV writes it."""
    rows = []
    for group, label in GROUPS.items():
        for row in body["groups"][group]:
            rows.append(
                [
                    str(label),
                    row["code"],
                    row["name"],
                    row.get("map", ""),
                    row["budget_vnd"],
                    row["disbursed_vnd"],
                    row["disbursed_rate"] or "",
                    row["schemes"],
                ]
            )
    return rows


@require_GET
def open_data(request):
    form, body = _read(request)
    if body is None:
        return render(request, "api/open_data.html", {"errors": _errors(form)}, status=400)
    other = ProvinceMap.OLD_63 if body["map"] == ProvinceMap.NEW_34 else ProvinceMap.NEW_34
    tables = [
        {
            "group": group,
            "label": label,
            "rows": [
                {
                    **row,
                    "budget": format_number(row["budget_vnd"]),
                    "disbursed": format_number(row["disbursed_vnd"]),
                    "rate": format_rate(_decimal(row["disbursed_rate"])),
                }
                for row in body["groups"][group]
            ],
        }
        for group, label in GROUPS.items()
    ]
    context = {
        "body": body,
        "as_of": datetime.date.fromisoformat(body["as_of"]).strftime("%d/%m/%Y"),
        "tables": tables,
        "years": sorted({*selectors.plan_years(None), body["year"]}, reverse=True),
        "funds": [
            (Fund.NATIONAL, Fund.NATIONAL.label),
            (Fund.LOCAL, Fund.LOCAL.label),
            (ALL_FUNDS, _("Cả hai nguồn")),
        ],
        "map_label": ProvinceMap(body["map"]).label,
        "other_map_label": ProvinceMap(other).label,
        "switch_query": _query_string(body, map=other),
        "csv_url": f"{reverse('opendata:csv')}?{_query_string(body)}",
        "json_url": f"{reverse('opendata:json')}?{_query_string(body)}",
        "api_url": f"{reverse('api:summary')}?{urlencode({'year': body['year']})}",
    }
    return render(request, "api/open_data.html", context)


def _refusal(form) -> HttpResponse:
    return JsonResponse(
        {"error": _("Tham số không hợp lệ."), "errors": {"params": _errors(form)}},
        status=400,
        json_dumps_params={"ensure_ascii": False},
    )


@require_GET
def open_data_csv(request):
    form, body = _read(request)
    if body is None:
        return _refusal(form)
    buffer = io.StringIO()
    buffer.write("\ufeff")  # so that Excel reads the diacritics
    writer = csv.writer(buffer)
    writer.writerow(_headers())
    for row in table_rows(body):
        writer.writerow([neutralise(value) for value in row])
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_filename(body)}.csv"'
    return response


@require_GET
def open_data_json(request):
    form, body = _read(request)
    if body is None:
        return _refusal(form)
    response = HttpResponse(
        json.dumps(body, ensure_ascii=False, indent=1), content_type="application/json"
    )
    response["Content-Disposition"] = f'attachment; filename="{_filename(body)}.json"'
    return response
