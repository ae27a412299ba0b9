"""The read-only API (/api/v1/). Every view is wrapped by api.http.endpoint (method, key or
session, rate limit, JSON errors) and reads through the same selectors as the pages, scoped by
projects.permissions.schemes_visible_to."""

from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from api import schema, serializers
from api.aggregates import GROUPS, aggregates, visible_for
from api.http import bad_request, endpoint, error_response, form_errors, json_response
from api.pagination import Page
from api.serializers import rate_text
from dashboard.forms import ALL_FUNDS, ProgrammeQuery
from dashboard.selectors import programme_summary
from organisations.models import Organisation
from projects.filters import SchemeFilter
from projects.permissions import schemes_visible_to
from projects.selectors import (
    list_programme,
    scheme_get_for_page,
    scheme_money_chain,
    scheme_rows,
    scheme_status_timeline,
    scheme_totals,
)


@endpoint(public=True)
def summary(request):
    """Public headline figures of a year's programme: aggregates only, no personal data."""
    form = ProgrammeQuery(request.GET, strict=True)
    if not form.is_valid():
        return bad_request(form_errors(form))
    programme = form.programme()
    figures = programme_summary(programme)
    body = {
        "year": programme.year,
        "fund": programme.fund or ALL_FUNDS,
        "as_of": programme.cutoff.isoformat(),
        "region": programme.region.code if programme.region else None,
        "province": programme.province.code if programme.province else None,
        "map": programme.province_map,
        "content_area": programme.content_area.code if programme.content_area else None,
        "sector": programme.sector.code if programme.sector else None,
        "budget_vnd": int(figures.budget),
        "schemes_approved": figures.schemes_approved,
        "schemes_contracted": figures.schemes_contracted,
        "contracted_rate": rate_text(figures.contracted_rate),
        "contracted_vnd": int(figures.contracted),
        "disbursed_vnd": int(figures.disbursed),
        "disbursed_rate": rate_text(figures.disbursed_rate),
        "schemes_disbursed": figures.schemes_disbursed,
        "denominators": {
            "contracted_rate": "schemes_approved",
            "disbursed_rate": "budget_vnd",
        },
    }
    return json_response(body)


# The list's parameters: the programme part, the list page's own filters, and the paging.
SCHEME_LIST_PARAMS = {
    *ProgrammeQuery.base_fields,
    *SchemeFilter.base_filters,
    "page",
    "page_size",
}


def _unknown(params, allowed) -> dict[str, list[str]]:
    unknown = sorted(set(params) - set(allowed))
    if not unknown:
        return {}
    return {
        "params": [_("Tham số không được hỗ trợ: '%(name)s'.") % {"name": name} for name in unknown]
    }


def _detail_url(request, scheme) -> str:
    return request.build_absolute_uri(
        reverse("api:scheme-detail", args=[scheme.code, scheme.plan_year])
    )


@endpoint()
def schemes(request):
    """The scheme list with the list page's filters (the year's plan by default), paginated."""
    errors = _unknown(request.GET, SCHEME_LIST_PARAMS)
    if errors:
        return bad_request(errors)
    today = timezone.localdate()
    form = ProgrammeQuery(request.GET, default_year=today.year)
    page = Page.read(request)
    if not form.is_valid():
        return bad_request({**form_errors(form), **page.errors})
    visible = schemes_visible_to(request.user)
    programme = list_programme(form.programme(), today)
    filterset = SchemeFilter(
        request.GET,
        scheme_rows(visible, programme),
        programme=programme,
        units=Organisation.objects.filter(pk__in=visible.values("implementing_unit")),
    )
    if not filterset.is_valid() or page.errors:
        return bad_request({**form_errors(filterset.form), **page.errors})
    rows = filterset.qs.order_by("code", "pk")
    totals = scheme_totals(rows)
    if not page.exists(totals.count):
        return error_response(
            404,
            _("Không có trang %(page)s: danh sách có %(count)s đề án, %(size)s đề án mỗi trang.")
            % {"page": page.number, "count": totals.count, "size": page.size},
        )
    body = {
        **page.links(request, totals.count),
        "totals": {
            "approved_vnd": int(totals.approved),
            "contracted_vnd": int(totals.contracted),
            "disbursed_vnd": int(totals.disbursed),
            "disbursed_rate": rate_text(totals.disbursed_rate),
        },
        "year": programme.year,
        "fund": programme.fund or ALL_FUNDS,
        "as_of": programme.cutoff.isoformat(),
        "results": [
            serializers.scheme_item(scheme, _detail_url(request, scheme))
            for scheme in page.slice(rows)
        ],
    }
    return json_response(body)


@endpoint()
def scheme_detail(request, code: str, year: int):
    """One scheme: its facts, money chain as of today and status history. 404 when the user
    may not see it."""
    pk = (
        schemes_visible_to(request.user)
        .filter(code=code, plan_year=year)
        .values_list("pk", flat=True)
        .first()
    )
    if pk is None:
        return error_response(
            404,
            _("Không tìm thấy đề án %(code)s năm %(year)s (hoặc bạn không có quyền xem).")
            % {"code": code, "year": year},
        )
    today = timezone.localdate()
    scheme = scheme_get_for_page(request.user, pk, today)
    body = serializers.scheme_detail(
        scheme,
        scheme_money_chain(scheme, today),
        scheme_status_timeline(scheme),
        _detail_url(request, scheme),
    )
    return json_response(body)


AGGREGATE_PARAMS = {*ProgrammeQuery.base_fields, "by"}


@endpoint()
def aggregates_view(request):
    """Budget, disbursement and schemes by year, region, province (on the map asked for, or
    the one in force at the year's end) and content area, as the dashboard counts them for the
    user: a province user gets the figures of its own schemes only."""
    params = request.GET.copy()
    by = params.pop("by", [None])[-1]
    if by is not None and by not in GROUPS:
        return bad_request(
            {
                "by": [
                    _("'%(value)s' không hợp lệ. Giá trị hợp lệ: %(choices)s.")
                    % {"value": by, "choices": ", ".join(GROUPS)}
                ]
            }
        )
    form = ProgrammeQuery(params, strict=True)
    if not form.is_valid():
        return bad_request(form_errors(form))
    groups = (by,) if by else tuple(GROUPS)
    return json_response(aggregates(form.programme(), visible_for(request.user), groups))


@endpoint(public=True)
def schema_view(request):
    """The OpenAPI 3.1 description of this API."""
    return json_response(schema.openapi(request.build_absolute_uri("/api/v1/")))


@require_GET
def docs(request):
    """The schema, written out for people (rendered here: no script from outside)."""
    document = schema.openapi(request.build_absolute_uri("/api/v1/"))
    return render(request, "api/docs.html", {"doc": schema.readable(document)})
