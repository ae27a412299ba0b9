"""Import in the browser: choose the kind, download its template, upload; the file is checked
(in the background, with a progress bar, when it is long), every problem or the counts are
shown, the user confirms; the list of imports, each undoable. Only users who may import reach
these pages, and an import of someone else's province answers 404."""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core import sheets
from imports import services
from imports.kinds import REGISTRY
from imports.models import ImportBatch
from imports.permissions import batches_visible_to, may_import
from imports.tasks import batch_check_task

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PER_PAGE = 50


class UploadForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("Loại dữ liệu"))
    file = forms.FileField(label=gettext_lazy("Tệp .xlsx hoặc .csv"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(name, kind.title()) for name, kind in REGISTRY.items()]


def _kind_titles() -> dict[str, str]:
    return {name: kind.title() for name, kind in REGISTRY.items()}


def _batch(user, pk: int) -> ImportBatch:
    return get_object_or_404(batches_visible_to(user).select_related("user", "undone_by"), pk=pk)


@login_required
@require_http_methods(["GET", "POST"])
def import_home(request):
    may_import(request.user)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        content = upload.read(settings.IMPORT_MAX_BYTES + 1)
        batch = services.batch_create(
            kind=form.cleaned_data["kind"], content=content, filename=upload.name, user=request.user
        )
        estimate = sheets.estimate_rows(content, upload.name)
        if estimate > settings.IMPORT_BACKGROUND_ROWS:
            services.batch_expect(batch=batch, rows=estimate)
            transaction.on_commit(lambda: batch_check_task.delay(batch.pk))
        else:
            services.batch_run(batch=batch, dry_run=True)
        return redirect(batch)
    page = Paginator(batches_visible_to(request.user).for_list(), PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "imports/home.html",
        {"form": form, "page": page, "kinds": _kind_titles()},
    )


@login_required
@require_GET
def import_template(request, kind):
    may_import(request.user)
    if kind not in REGISTRY:
        raise Http404
    declared = REGISTRY[kind]
    content = sheets.template_workbook(declared.title(), declared.columns(), declared.notes())
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="mau-nhap-{kind}.xlsx"'
    return response


@login_required
@require_GET
def batch_detail(request, pk):
    may_import(request.user)
    batch = _batch(request.user, pk)
    return render(
        request,
        "imports/batch_detail.html",
        {
            "batch": batch,
            "kind_title": _kind_titles().get(batch.kind, batch.kind),
            "progress": services.batch_progress(batch),
            "may_confirm": batch.status == ImportBatch.Status.CHECKED
            and batch.user_id == request.user.pk,
        },
    )


@login_required
@require_GET
def batch_progress(request, pk):
    may_import(request.user)
    return JsonResponse(services.batch_progress(_batch(request.user, pk)))


@login_required
@require_POST
def batch_confirm(request, pk):
    may_import(request.user)
    batch = _batch(request.user, pk)
    try:
        result = services.batch_confirm(batch=batch, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(batch)
    if result.ok:
        messages.success(
            request,
            _("Đã nhập: %(created)s dòng mới, %(updated)s dòng cập nhật, %(same)s dòng không đổi.")
            % {
                "created": result.count("create"),
                "updated": result.count("update"),
                "same": result.count("same"),
            },
        )
    else:
        messages.error(request, _("Không nhập được: xem các lỗi bên dưới; chưa ghi dòng nào."))
    return redirect(batch)


@login_required
@require_http_methods(["GET", "POST"])
def batch_undo(request, pk):
    may_import(request.user)
    batch = _batch(request.user, pk)
    if request.method == "POST":
        try:
            services.undo_import(batch=batch, by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request, _("Đã hoàn tác lần nhập số %(number)s.") % {"number": batch.pk}
            )
        return redirect(batch)
    return render(
        request,
        "imports/batch_undo.html",
        {"batch": batch, "kind_title": _kind_titles().get(batch.kind, batch.kind)},
    )
