"""A large export: the page that asks for it, its progress page (polled by a small static
script), the progress as JSON, the download, and the user's list of files. A job is seen only
by the user who asked: everyone else gets 404."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from core.exports import CONTENT_TYPES, FORMATS
from core.money import format_number
from exports.models import ExportJob
from exports.registry import LIST_PAGES, SOURCES
from exports.services import export_job_create, export_job_open, export_source

LIST_SIZE = 30


def _own_job(request, pk: int) -> ExportJob:
    return get_object_or_404(ExportJob.objects.filter(user=request.user), pk=pk)


@login_required
@require_http_methods(["GET", "POST"])
def job_new(request):
    """What will be exported (table, filters, map, rows), and the button that starts it."""
    data = request.POST if request.method == "POST" else request.GET
    table, file_format, query = data.get("table"), data.get("format"), data.get("query", "")
    if table not in SOURCES or file_format not in FORMATS:
        raise Http404
    try:
        if request.method == "POST":
            job = export_job_create(
                user=request.user, table=table, file_format=file_format, query=query
            )
            return redirect(job)
        source = export_source(user=request.user, table=table, query=query)
    except ValidationError as error:
        context = {"errors": error.messages, "list_url": reverse(LIST_PAGES[table])}
        return render(request, "exports/job_new.html", context, status=400)
    context = {
        "table": table,
        "table_label": ExportJob.Table(table).label,
        "file_format": file_format,
        "format_label": ExportJob.Format(file_format).label,
        "query": query,
        "title": source.title(),
        "rows": format_number(source.count()),
        "list_url": f"{reverse(LIST_PAGES[table])}?{query}",
    }
    return render(request, "exports/job_new.html", context)


@login_required
@require_GET
def job_detail(request, pk):
    job = _own_job(request, pk)
    context = {
        "job": job,
        "rows": format_number(job.row_count),
        "list_url": f"{reverse(LIST_PAGES[job.table])}?{job.query}",
    }
    return render(request, "exports/job_detail.html", context)


def _status(job: ExportJob) -> dict:
    return {
        "status": job.status,
        "label": job.get_status_display(),
        "percent": job.percent,
        "rows_written": job.rows_written,
        "row_count": job.row_count,
        "progress_text": _("%(written)s / %(total)s dòng")
        % {"written": format_number(job.rows_written), "total": format_number(job.row_count)},
        "download_url": reverse("exports:job-download", args=[job.pk])
        if job.status == ExportJob.Status.DONE
        else None,
        "error": job.error,
    }


@login_required
@require_GET
def job_status(request, pk):
    response = JsonResponse(
        _status(_own_job(request, pk)), json_dumps_params={"ensure_ascii": False}
    )
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_GET
def job_download(request, pk):
    job = _own_job(request, pk)
    if job.status != ExportJob.Status.DONE:
        raise Http404(_("Tệp chưa tạo xong."))
    try:
        stream = export_job_open(job)
    except FileNotFoundError as error:
        raise Http404(_("Tệp không còn trên máy chủ.")) from error
    response = FileResponse(
        stream,
        as_attachment=True,
        filename=job.filename,
        content_type=CONTENT_TYPES[job.file_format],
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_GET
def job_list(request):
    jobs = ExportJob.objects.filter(user=request.user)[:LIST_SIZE]
    return render(request, "exports/job_list.html", {"jobs": jobs})
