"""Schemes as the API writes them: amounts in đồng as integers, rates as strings with two
decimals (never floats), dates in ISO 8601, the province on both maps."""

from core.money import rate
from projects.models import Scheme
from provinces.models import Province, ProvinceMap


def rate_text(value) -> str | None:
    """A rate (Decimal, per cent) as the API writes it: "96.61", or None without denominator."""
    return None if value is None else f"{value:.2f}"


def province_codes(province: Province) -> dict:
    """The province a scheme was made under, and its unit on each map (an old province's code
    on the 34-unit map is that of the unit it merged into; a scheme made under the 34-unit map
    has no old province)."""
    new = province if province.map_version == ProvinceMap.NEW_34 else province.successor
    return {
        "name": province.name,
        "map": province.map_version,
        "code_63": province.code if province.map_version == ProvinceMap.OLD_63 else None,
        "code_34": new.code if new else None,
    }


def scheme_item(scheme: Scheme, url: str) -> dict:
    """One row of schemes/: a scheme from projects.selectors.scheme_rows (money annotated)."""
    return {
        "code": scheme.code,
        "year": scheme.plan_year,
        "title": scheme.title,
        "fund": scheme.fund,
        "kind": scheme.kind,
        "status": scheme.status,
        "status_label": str(scheme.get_status_display()),
        "province": province_codes(scheme.province),
        "region": scheme.province.region.code if scheme.province.region_id else None,
        "sector": scheme.sector.code,
        "content_areas": [area.code for area in scheme.content_areas.all()],
        "approved_vnd": int(scheme.approved),
        "contracted_vnd": int(scheme.contracted),
        "disbursed_vnd": int(scheme.disbursed),
        "disbursed_rate": rate_text(rate(scheme.disbursed, scheme.approved)),
        "url": url,
    }


def scheme_detail(scheme: Scheme, money, timeline, url: str) -> dict:
    """detail/: a scheme from projects.selectors.scheme_get_for_page, its money chain and its
    status steps. No beneficiary is named: the API serves figures, not personal data."""
    return {
        **scheme_item(scheme, url),
        "implementing_unit": scheme.implementing_unit.name,
        "content_areas": [
            {"code": area.code, "number": area.number, "name": area.name}
            for area in sorted(scheme.content_areas.all(), key=lambda area: area.number)
        ],
        "start_date": scheme.start_date.isoformat(),
        "end_date": scheme.end_date.isoformat(),
        "support_requested_vnd": int(scheme.support_requested),
        "counterpart_funding_vnd": int(scheme.counterpart_funding),
        "money": {
            "as_of": money.as_of.isoformat(),
            "approved_vnd": int(money.approved),
            "contracted_vnd": int(money.contracted),
            "advances_vnd": int(money.advances),
            "payments_vnd": int(money.payments),
            "refunds_vnd": int(money.refunds),
            "disbursed_vnd": int(money.disbursed),
            "remaining_vnd": int(money.remaining),
            "contracted_rate": rate_text(money.contracted_rate),
            "disbursed_rate": rate_text(money.disbursed_rate),
            "behind_schedule": money.behind,
        },
        "status_history": [
            {
                "at": step.when.isoformat(),
                "from": step.old,
                "to": step.new,
                "reason": step.reason,
                "decision_number": step.decision_number,
            }
            for step in timeline
        ],
    }
