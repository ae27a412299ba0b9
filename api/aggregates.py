"""The programme's aggregate figures by year, region, province and content area, as rows of
plain values: what the API's aggregates/ endpoint and the open-data page (its table, CSV and
JSON) serve. The figures are those of the dashboard's selectors, called the same way."""

from django.db.models import QuerySet
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from accounts.models import User
from api.serializers import rate_text
from core.money import rate
from dashboard import selectors
from dashboard.forms import ALL_FUNDS
from dashboard.selectors import ProgrammeFilter
from projects.models import Scheme
from projects.permissions import schemes_visible_to

GROUPS = {
    "year": gettext_lazy("Theo năm"),
    "region": gettext_lazy("Theo vùng"),
    "province": gettext_lazy("Theo tỉnh, thành phố"),
    "content_area": gettext_lazy("Theo nội dung khuyến công"),
}


def visible_for(user: User | None) -> QuerySet[Scheme] | None:
    """What the figures count, as the dashboard decides it: every scheme (None) for the public
    and for the staff who see everything, else the schemes the user may see."""
    if user is None or user.sees_everything:
        return None
    return schemes_visible_to(user)


def _row(code: str, name: str, budget, disbursed, schemes: int, **extra) -> dict:
    return {
        "code": code,
        "name": name,
        **extra,
        "budget_vnd": int(budget),
        "disbursed_vnd": int(disbursed),
        "disbursed_rate": rate_text(rate(disbursed, budget)),
        "schemes": schemes,
    }


def _english() -> bool:
    return (get_language() or "vi").startswith("en")


def group_rows(group: str, programme: ProgrammeFilter, visible) -> list[dict]:
    """One group's rows (one selector call: 1 query, 4 for the years)."""
    english = _english()
    if group == "year":
        return [
            _row(
                str(figures.year),
                _("Năm %(year)s") % {"year": figures.year},
                figures.summary.budget,
                figures.summary.disbursed,
                figures.summary.schemes_approved,
            )
            for figures in selectors.trend_by_year(programme, visible)
        ]
    if group == "region":
        return [
            _row(
                row["code"],
                (english and row["name_en"]) or row["name"],
                row["budget"],
                row["disbursed"],
                row["schemes"],
            )
            for row in selectors.disbursement_by_region(programme, visible)
        ]
    if group == "province":
        return [
            _row(
                row["code"],
                row["name"],
                row["budget"],
                row["disbursed"],
                row["schemes"],
                map=row["map_version"],
            )
            for row in selectors.disbursement_by_province(programme, visible)
        ]
    if group == "content_area":
        return [
            _row(
                row["code"],
                f"{row['number']}. {(english and row['name_en']) or row['short_name']}",
                row["budget"],
                row["disbursed"],
                row["schemes"],
            )
            for row in selectors.budget_by_content_area(programme, visible)
        ]
    raise ValueError(group)


def aggregates(
    programme: ProgrammeFilter, visible: QuerySet[Scheme] | None, groups=tuple(GROUPS)
) -> dict:
    """The body of aggregates/ and of the open-data JSON: the query, then each group's rows.
    `scope` says whether the figures count every scheme or only those the user may see."""
    return {
        "year": programme.year,
        "fund": programme.fund or ALL_FUNDS,
        "map": programme.display_map,
        "as_of": programme.cutoff.isoformat(),
        "scope": "all" if visible is None else "visible",
        "groups": {group: group_rows(group, programme, visible) for group in groups},
    }
