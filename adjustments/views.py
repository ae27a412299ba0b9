"""The portal's side of adjustments (/ho-so/<pk>/dieu-chinh/): the unit that prepares a scheme
files and withdraws its requests; the Sở records the decisions the rules give it. Each view
finds the scheme through projects.permissions.schemes_visible_to (404 for what the user may not
see), reads its form, calls adjustments/services.py and renders or redirects."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from adjustments import services
from adjustments.forms import DecisionForm, RequestForm
from adjustments.models import AdjustmentRequest
from adjustments.selectors import panel_for
from projects.permissions import schemes_visible_to


def _scheme(user, pk: int):
    return get_object_or_404(
        schemes_visible_to(user).select_related("province", "implementing_unit"), pk=pk
    )


def _back(scheme) -> str:
    return reverse("submissions:scheme-detail", args=[scheme.pk]) + "#adjustments"


def _refusal_text(error: Exception) -> str:
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    return str(error) or _("Bạn không có quyền thực hiện thao tác này.")


@login_required
@require_http_methods(["GET", "POST"])
def request_page(request, pk):
    scheme = _scheme(request.user, pk)
    form = None
    if request.method == "POST":
        form = RequestForm(request.POST, user=request.user, scheme=scheme)
        if form.is_valid():
            try:
                filed = services.adjustment_request(
                    scheme=scheme, by=request.user, **form.cleaned_data
                )
            except ValidationError as error:
                if hasattr(error, "error_dict"):
                    for name, errors in error.error_dict.items():
                        form.add_error(name if name in form.fields else None, errors)
                else:
                    form.add_error(None, error.messages)
            else:
                messages.success(
                    request,
                    _("Đã gửi đề nghị “%(kind)s”: chờ %(authority)s quyết định.")
                    % {
                        "kind": filed.get_kind_display(),
                        "authority": filed.get_authority_display(),
                    },
                )
                return redirect(_back(scheme))
    panel = panel_for(request.user, scheme, form=form)
    return render(request, "adjustments/request_page.html", {"scheme": scheme, "panel": panel})


def _request(scheme, request_pk: int) -> AdjustmentRequest:
    return get_object_or_404(
        AdjustmentRequest.objects.select_related("scheme"), scheme=scheme, pk=request_pk
    )


@login_required
@require_POST
def request_decide(request, pk, request_pk):
    scheme = _scheme(request.user, pk)
    adjustment = _request(scheme, request_pk)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Hãy chọn chấp thuận hoặc không chấp thuận, rồi gửi lại."))
        return redirect(_back(scheme))
    data = form.cleaned_data
    try:
        decided = services.adjustment_decide(
            request=adjustment,
            approve=data["decision"] == "approve",
            by=request.user,
            decision_number=data["decision_number"],
            reason=data["reason"],
            expected_status=data["expected_status"],
        )
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, _refusal_text(error))
    else:
        messages.success(
            request,
            _("Đề nghị “%(kind)s”: %(status)s.")
            % {"kind": decided.get_kind_display(), "status": decided.get_status_display()},
        )
    return redirect(_back(scheme))


@login_required
@require_POST
def request_withdraw(request, pk, request_pk):
    scheme = _scheme(request.user, pk)
    adjustment = _request(scheme, request_pk)
    try:
        services.adjustment_withdraw(request=adjustment, by=request.user)
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, _refusal_text(error))
    else:
        messages.success(
            request, _("Đã rút đề nghị “%(kind)s”.") % {"kind": adjustment.get_kind_display()}
        )
    return redirect(_back(scheme))
