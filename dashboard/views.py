from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render

from dashboard.selectors import programme_by_year
from projects.models import Fund


@login_required
def overview(request):
    """The ministry's overview (to be replaced by the full dashboard)."""
    years = programme_by_year(Fund.NATIONAL)
    return render(request, "home.html", {"years": years, "latest": years[0] if years else None})


@login_required
def province_detail(request, map_version, code):
    raise Http404
