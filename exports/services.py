"""Export jobs: asking for one, building its file (in a worker), and deleting old ones.

The query string is stored as the user sent it, but never trusted: the worker builds the rows
again from the table's own export function for the job's user, so the user's access scope (a
province sees its own province) is applied when the file is written, as of that moment."""

import datetime
import logging
import tempfile
import uuid
from collections.abc import Iterable, Iterator

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.storage import FileSystemStorage
from django.db import transaction
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from core.exports import FORMATS, ExportSource, csv_lines, xlsx_write
from exports.models import ExportJob
from exports.registry import SOURCES

logger = logging.getLogger(__name__)

EXPORT_DIR = "exports"
# The worker writes the progress to the database every so many rows: about fifty times for a
# large file, and never more often than every PROGRESS_MIN_STEP rows (so the number of queries
# does not grow with a small file's rows).
PROGRESS_STEPS = 50
PROGRESS_MIN_STEP = 500


def _storage() -> FileSystemStorage:
    """Private media: outside the web root, read only through the download view."""
    return FileSystemStorage(location=settings.MEDIA_ROOT)


def export_source(*, user: User, table: str, query: str) -> ExportSource:
    """The table's rows for `user` and the query string, scoped to what the user may see now."""
    if table not in SOURCES:
        raise ValidationError(_("Không có bảng “%(table)s” để xuất.") % {"table": table})
    source = SOURCES[table](user, QueryDict(query))
    if source.errors:
        raise ValidationError(source.errors)
    return source


def export_job_create(*, user: User, table: str, file_format: str, query: str) -> ExportJob:
    """Record the request and hand it to a worker once the row is committed."""
    if file_format not in FORMATS:
        raise ValidationError(
            _("Định dạng “%(format)s” không được hỗ trợ (CSV hoặc XLSX).") % {"format": file_format}
        )
    limit = ExportJob._meta.get_field("query").max_length
    if len(query) > limit:
        raise ValidationError(
            _("Bộ lọc quá dài (hơn %(limit)s ký tự): hãy bớt điều kiện lọc.") % {"limit": limit}
        )
    source = export_source(user=user, table=table, query=query)
    now = timezone.now()
    job = ExportJob(
        user=user,
        table=table,
        query=query,
        file_format=file_format,
        summary=source.title()[1],
        map_label=source.map_label,
        row_count=source.count(),
        expires_at=now + datetime.timedelta(days=settings.KC_EXPORT_KEEP_DAYS),
    )
    job.full_clean()
    job.save()
    from exports.tasks import export_job_run_task

    transaction.on_commit(lambda: export_job_run_task.delay(job.pk))
    return job


def _counted(rows: Iterable[list], job_id: int, total: int) -> Iterator[list]:
    """The rows, writing how many have gone by to the job now and then (not in a transaction,
    so the progress page sees it at once)."""
    step = max(PROGRESS_MIN_STEP, total // PROGRESS_STEPS)
    written = 0
    for row in rows:
        yield row
        written += 1
        if written % step == 0:
            ExportJob.objects.filter(pk=job_id).update(rows_written=written)
    ExportJob.objects.filter(pk=job_id).update(rows_written=written)


def export_job_run(*, job_id: int) -> ExportJob:
    """Build the job's file. Safe to run twice: a finished job is left as it is."""
    with transaction.atomic():
        job = ExportJob.objects.select_for_update().select_related("user").get(pk=job_id)
        if job.status in (ExportJob.Status.DONE, ExportJob.Status.FAILED):
            return job
        job.status = ExportJob.Status.RUNNING
        job.started_at = timezone.now()
        job.rows_written = 0
        job.save(update_fields=["status", "started_at", "rows_written", "updated_at"])
    try:
        source = export_source(user=job.user, table=job.table, query=job.query)
        source.by = job.user.get_full_name() or job.user.username
        source.generated = timezone.localtime()
        total = source.count()
        ExportJob.objects.filter(pk=job.pk).update(row_count=total, map_label=source.map_label)
        rows = _counted(source.rows(), job.pk, total)
        stored = _write(job, source, rows)
    except Exception as error:
        logger.exception("export job %s failed", job.pk)
        message = "; ".join(error.messages) if isinstance(error, ValidationError) else ""
        job.status = ExportJob.Status.FAILED
        job.error = message or _("Không tạo được tệp. Hãy thử lại hoặc báo quản trị hệ thống.")
        job.finished_at = timezone.now()
        job.save(update_fields=["status", "error", "finished_at", "updated_at"])
        return job
    job.refresh_from_db(fields=["rows_written"])
    job.row_count = job.rows_written
    job.status = ExportJob.Status.DONE
    job.stored_path = stored
    job.filename = f"{source.filename}.{job.file_format}"
    job.size = _storage().size(stored)
    job.finished_at = timezone.now()
    job.save(
        update_fields=[
            "row_count",
            "status",
            "stored_path",
            "filename",
            "size",
            "finished_at",
            "updated_at",
        ]
    )
    return job


def _write(job: ExportJob, source: ExportSource, rows: Iterable[list]) -> str:
    """Write the file to a temporary file, then into private storage; the stored name."""
    storage = _storage()
    name = f"{EXPORT_DIR}/{job.user_id}/{uuid.uuid4().hex}.{job.file_format}"
    with tempfile.TemporaryFile() as scratch:
        if job.file_format == "csv":
            for line in csv_lines(source, rows):
                scratch.write(line.encode("utf-8"))
        else:
            xlsx_write(source, scratch, rows)
        scratch.seek(0)
        return storage.save(name, File(scratch))


def export_job_open(job: ExportJob):
    return _storage().open(job.stored_path, "rb")


def export_jobs_expire(*, now: datetime.datetime) -> int:
    """Delete the files and rows of jobs past their date; the number deleted."""
    storage = _storage()
    count = 0
    for job in ExportJob.objects.expired(now).order_by("pk"):
        if job.stored_path:
            storage.delete(job.stored_path)
        job.delete()
        count += 1
    return count
