"""The "Khóa API" page of a user's account: make a key (shown once), see one's keys and when
each was last used, revoke one."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from api.models import ApiToken
from api.services import api_token_create, api_token_revoke


class TokenForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("Tên khóa"),
        max_length=100,
        help_text=gettext_lazy("Để nhận ra khóa sau này, ví dụ “Báo cáo quý của Sở”."),
    )


@login_required
@require_http_methods(["GET", "POST"])
def token_list(request):
    form = TokenForm(request.POST or None)
    new_key = None
    if request.method == "POST" and form.is_valid():
        try:
            _token, new_key = api_token_create(
                user=request.user, name=form.cleaned_data["name"], by=request.user
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            form = TokenForm()
    context = {
        "form": form,
        "new_key": new_key,
        "tokens": ApiToken.objects.filter(user=request.user),
    }
    # The key is in this answer only: it must not be kept by a cache on the way.
    response = render(request, "api/token_list.html", context)
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def token_revoke(request, pk: int):
    token = get_object_or_404(ApiToken, pk=pk, user=request.user)
    api_token_revoke(token=token, by=request.user)
    messages.success(request, _("Đã thu hồi khóa “%(name)s”.") % {"name": token.name})
    return redirect("tokens:list")
