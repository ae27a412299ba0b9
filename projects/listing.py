"""The scheme list's query string, read once for the list page and for its exports (which may
run later, in a worker, for the user who asked): the programme part (year, fund, place, map,
cut-off) and the list's own filters, over the schemes the user may see."""

from dataclasses import dataclass

from django.http import QueryDict
from django.utils import timezone

from dashboard.forms import ProgrammeQuery
from dashboard.selectors import ProgrammeFilter
from organisations.models import Organisation
from projects.filters import SchemeFilter
from projects.selectors import list_programme, scheme_rows


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
