from django.contrib.auth.decorators import login_required
from django.http import Http404


@login_required
def scheme_list(request):
    raise Http404


@login_required
def scheme_export(request, file_format):
    raise Http404


@login_required
def scheme_detail(request, pk):
    raise Http404
