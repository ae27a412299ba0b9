from django.shortcuts import render

from dashboard.selectors import programme_by_year
from projects.models import Fund


def home(request):
    """Landing page: the national programme's headline figures year by year for signed-in
    users, a sign-in invitation for everyone else."""
    years = programme_by_year(Fund.NATIONAL) if request.user.is_authenticated else []
    return render(request, "home.html", {"years": years, "latest": years[0] if years else None})
