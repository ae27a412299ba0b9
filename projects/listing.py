"""The scheme list's query string, read once for the list page and for its exports (which may
run later, in a worker, for the user who asked): the programme part (year, fund, place, map,
cut-off) and the list's own filters, over the schemes the user may see."""

from dataclasses import dataclass

from django.core.exceptions import EmptyResultSet
from django.db.models import QuerySet
from django.http import QueryDict
from django.utils import timezone

from dashboard.cache import cached
from dashboard.forms import ProgrammeQuery
from dashboard.selectors import ProgrammeFilter
from organisations.models import Organisation
from projects.filters import SchemeFilter
from projects.selectors import ListTotals, list_programme, scheme_rows, scheme_totals


@dataclass
class Listing:
    """The list's query string, read: the programme part and the list's own filters."""

    form: ProgrammeQuery
    filterset: SchemeFilter | None = None
    programme: ProgrammeFilter | None = None

    @property
    def errors(self) -> list[str]:
        forms = [self.form] if self.filterset is None else [self.form, self.filterset.form]
        messages = []
        for form in forms:
            for name, errors in form.errors.items():
                label = form.fields[name].label if name in form.fields else None
                messages += [f"{label}: {error}" if label else str(error) for error in errors]
        return messages


def implementing_units(visible):
    return Organisation.objects.filter(pk__in=visible.values("implementing_unit"))


def read_listing(params: QueryDict, visible) -> Listing:
    today = timezone.localdate()
    form = ProgrammeQuery(params, default_year=today.year)
    if not form.is_valid():
        return Listing(form=form)
    programme = list_programme(form.programme(), today)
    filterset = SchemeFilter(
        params,
        scheme_rows(visible, programme),
        programme=programme,
        units=implementing_units(visible),
    )
    filterset.is_valid()
    return Listing(form=form, filterset=filterset, programme=programme)


# The list's totals and the keys of its pages are cached like the dashboard's figures: under the
# data version that every committed write of plans, schemes, contracts or the ledger moves on
# (dashboard.cache), and under the SQL of the query with its parameters, which states every
# filter, the sort, the page, the cut-off and the user's scope. At national scale the totals
# (an exact count and sums over the year's 15,000 schemes) and the sort that cuts a page are
# most of the list's database time; a repeated request reads neither.


def query_key(queryset: QuerySet) -> tuple:
    """The SQL of `queryset` with its parameters, compiled but not run, for a cache key."""
    try:
        sql, params = queryset.query.sql_with_params()
    except EmptyResultSet:  # none(): a user who may see nothing
        return ("empty", queryset.model._meta.label)
    return (sql, tuple(repr(param) for param in params))


def list_totals(rows: QuerySet) -> ListTotals:
    """scheme_totals(rows), computed once per data version and filtered set."""
    return cached(
        ("scheme-list-totals", query_key(rows.order_by().values("pk"))),
        lambda: scheme_totals(rows),
    )


def page_keys(queryset: QuerySet, bottom: int, top: int) -> tuple[list, tuple]:
    """The keys of the ordered rows `bottom` to `top`, computed once per data version, and the
    cache key part that names them (for the rows written from them)."""
    keys = queryset.values_list("pk", flat=True)[bottom:top]
    part = ("scheme-list-keys", query_key(keys))
    return cached(part, lambda: list(keys)), part
