"""Upload a register file, see every problem or every row it would write, then confirm. The
file waits in the cache between the preview and the confirmation, bound to the user."""

import secrets

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from registers import imports
from registers.exports import XLSX
from registers.views.common import require_editor

KEEP_SECONDS = 3600
LIST_URLS = {
    imports.CLUSTERS: "registers:cluster-list",
    imports.PRODUCTS: "registers:product-list",
    imports.EVENTS: "registers:event-list",
}
FILENAMES = {
    imports.CLUSTERS: "mau-cum-cong-nghiep.xlsx",
    imports.PRODUCTS: "mau-san-pham.xlsx",
    imports.EVENTS: "mau-hoi-cho-hoi-nghi.xlsx",
}


class UploadForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Tệp Excel (.xlsx)"))


def _kind(kind: str) -> str:
    if kind not in imports.KINDS:
        raise Http404
    return kind


def _context(kind: str, **extra) -> dict:
    return {
        "kind": kind,
        "list_url": LIST_URLS[kind],
        "title": imports.sheet_title(kind),
        "template_url": reverse(f"registers:import-template-{kind}"),
        "confirm_url": reverse(f"registers:import-confirm-{kind}"),
        **extra,
    }


def _cache_key(user, token: str) -> str:
    return f"registers-import:{user.pk}:{token}"


@login_required
@require_GET
def import_template(request, kind):
    require_editor(request.user)
    response = HttpResponse(imports.template_workbook(_kind(kind)), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{FILENAMES[kind]}"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def import_upload(request, kind):
    require_editor(request.user)
    kind = _kind(kind)
    form = UploadForm(request.POST or None, request.FILES or None)
    context = _context(kind, form=form)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        content = upload.read(imports.MAX_BYTES + 1)
        result = imports.check_file(kind=kind, content=content, user=request.user)
        context["result"] = result
        if result.ok:
            token = secrets.token_urlsafe(16)
            cache.set(_cache_key(request.user, token), content, KEEP_SECONDS)
            context["token"] = token
    return render(request, "registers/import.html", context)


@login_required
@require_POST
def import_confirm(request, kind):
    require_editor(request.user)
    kind = _kind(kind)
    key = _cache_key(request.user, request.POST.get("token", ""))
    content = cache.get(key)
    if content is None:
        messages.error(request, _("Tệp đã hết hạn chờ xác nhận: hãy tải lên lại."))
        return redirect(f"registers:import-{kind}")
    result = imports.import_file(kind=kind, content=content, user=request.user)
    cache.delete(key)
    if not result.ok:
        return render(
            request,
            "registers/import.html",
            _context(kind, form=UploadForm(), result=result),
        )
    messages.success(
        request,
        _("Đã nhập: %(created)s dòng mới, %(updated)s dòng cập nhật, %(same)s dòng không đổi.")
        % {
            "created": result.count("create"),
            "updated": result.count("update"),
            "same": result.count("same"),
        },
    )
    return redirect(LIST_URLS[kind])
