from django.http import JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from dashboard.forms import ALL_FUNDS, ProgrammeQuery
from dashboard.selectors import programme_summary


def _rate(value) -> str | None:
    return None if value is None else f"{value:.2f}"


def _error(form: ProgrammeQuery) -> JsonResponse:
    errors = {
        ("params" if field == "__all__" else field): [str(message) for message in messages]
        for field, messages in form.errors.items()
    }
    return JsonResponse(
        {"error": _("Tham số không hợp lệ."), "errors": errors},
        status=400,
        json_dumps_params={"ensure_ascii": False},
    )


@require_GET
def summary(request):
    """Public headline figures of a year's programme: aggregates only, no personal data."""
    form = ProgrammeQuery(request.GET, strict=True)
    if not form.is_valid():
        return _error(form)
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
        "contracted_rate": _rate(figures.contracted_rate),
        "contracted_vnd": int(figures.contracted),
        "disbursed_vnd": int(figures.disbursed),
        "disbursed_rate": _rate(figures.disbursed_rate),
        "schemes_disbursed": figures.schemes_disbursed,
        "denominators": {
            "contracted_rate": "schemes_approved",
            "disbursed_rate": "budget_vnd",
        },
    }
    return JsonResponse(body, json_dumps_params={"ensure_ascii": False})
