"""Bringing a file in: check every row (nothing written), then write them all in one
transaction or none, record the import whatever its result, and undo a whole import while
nothing depends on it. The kinds (imports.kinds) say what a row is; this module is the same
for every kind."""

import hashlib
from collections.abc import Callable

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from accounts.models import User
from core.sheets import ImportRefused, Problem, Result, file_problem, read_file
from dashboard.cache import bump_on_commit
from imports.kinds import REGISTRY
from imports.kinds.base import ImportKind, RowRefused
from imports.models import ImportBatch, ImportedRecord
from imports.permissions import may_import

Progress = Callable[[int, int], None]


def kind_get(name: str) -> ImportKind:
    kind = REGISTRY.get(name)
    if kind is None:
        raise ValidationError(
            _("Không có loại dữ liệu '%(name)s'; các loại: %(kinds)s.")
            % {"name": name, "kinds": ", ".join(sorted(REGISTRY))}
        )
    return kind


def check_file(
    *,
    kind: ImportKind,
    content: bytes,
    filename: str,
    user: User,
    progress: Progress | None = None,
) -> Result:
    """Read and check every row; writes nothing. A few queries whatever the number of rows
    (each kind does its lookups once for the whole file)."""
    kind.may_import(user)
    result = Result(kind=kind.name, on_progress=progress)
    try:
        title, rows, problems = _read(kind, content, filename)
    except ImportRefused as refused:
        result.problems = refused.problems
        return result
    result.sheet, result.rows_read = title, len(rows)
    result.problems += problems
    if not rows and not problems:
        result.problems.append(file_problem(_("Tệp không có dòng dữ liệu nào.")))
    if (result.problems and not rows) or any(p.row is None for p in result.problems):
        return result
    result.advance(0, len(rows))
    kind.check(user, title, rows, result)
    result.advance(len(rows), len(rows))
    result.problems.sort(key=lambda p: p.row or 0)
    return result


# How long the rows read from a file are kept for the import that follows its check.
READ_CACHE_SECONDS = 3600


def read_cache_key(kind: ImportKind, content: bytes, filename: str) -> str:
    """Where the rows read from a file are kept: everything they and the reading's problems
    depend on (a CSV's sheet is named after the file; the problems are in the user's
    language)."""
    parts = (
        kind.name,
        hashlib.sha256(content).hexdigest(),
        filename,
        get_language() or "",
        settings.IMPORT_MAX_BYTES,
        settings.IMPORT_MAX_ROWS,
    )
    return "imports:rows:" + hashlib.sha256(repr(parts).encode()).hexdigest()


def _read(kind: ImportKind, content: bytes, filename: str) -> tuple[str, list, list[Problem]]:
    """read_file(), kept a while under the file's hash: the import that follows a check (the
    browser's confirmation, a file sent again) reads the same bytes, so it takes the rows
    already read instead of reading 10.000 rows of XML again. Only the reading is shared: the
    kind checks every row again against the database of the moment."""
    key = read_cache_key(kind, content, filename)
    found = cache.get(key)
    if found is None:
        found = read_file(
            content,
            filename,
            kind.columns(),
            max_bytes=settings.IMPORT_MAX_BYTES,
            max_rows=settings.IMPORT_MAX_ROWS,
        )
        cache.set(key, found, READ_CACHE_SECONDS)
    return found


def batch_create(*, kind: str, content: bytes, filename: str, user: User) -> ImportBatch:
    """Record an uploaded file, to be checked (now or in the background) and then imported."""
    kind_get(kind).may_import(user)
    return ImportBatch.objects.create(
        kind=kind,
        user=user,
        file_name=filename[:255],
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        content=content,
    )


class _Refused(Exception):
    """Leaves the import's transaction so that it rolls back; the refusal is recorded after."""


def _note(batch: ImportBatch) -> str:
    return _("Nhập từ tệp %(file)s (lần nhập số %(number)s)") % {
        "file": batch.file_name,
        "number": batch.pk,
    }


def _record_result(batch: ImportBatch, result: Result, status: str) -> None:
    batch.status = status
    batch.rows_read = result.rows_read
    # A refused file wrote nothing: its counts stay at 0.
    valid = status != ImportBatch.Status.REFUSED
    batch.created_count = result.count("create") if valid else 0
    batch.updated_count = result.count("update") if valid else 0
    batch.unchanged_count = result.count("same") if valid else 0
    batch.problems = [
        {"sheet": p.sheet, "row": p.row, "column": p.column, "message": p.message, "text": str(p)}
        for p in result.problems
    ]
    if status == ImportBatch.Status.IMPORTED:
        batch.imported_at = timezone.now()
    batch._history_user = batch.user
    batch.save()


def batch_run(*, batch: ImportBatch, dry_run: bool, progress: Progress | None = None) -> Result:
    """Check the batch's file and, unless `dry_run`, write every row in one transaction: all
    of them, or none when any row is wrong or a service refuses one. The batch records the
    result (checked, imported or refused) whatever it is; a refusal is recorded after the
    rollback, so it stays."""
    kind = kind_get(batch.kind)
    user = batch.user
    result = Result(kind=batch.kind)
    try:
        with transaction.atomic():
            result = check_file(
                kind=kind,
                content=bytes(batch.content),
                filename=batch.file_name,
                user=user,
                progress=progress,
            )
            if not result.ok:
                raise _Refused
            if dry_run:
                _record_result(batch, result, ImportBatch.Status.CHECKED)
                return result
            _write(kind, batch, user, result)
            _record_result(batch, result, ImportBatch.Status.IMPORTED)
    except _Refused:
        _record_result(batch, result, ImportBatch.Status.REFUSED)
    return result


def _write(kind: ImportKind, batch: ImportBatch, user: User, result: Result) -> None:
    changing = [row for row in result.rows if row.action != "same"]
    snapshots = [kind.snapshot(row.existing) if row.action == "update" else {} for row in changing]
    try:
        records = kind.write_all(user, changing, _note(batch))
    except RowRefused as refused:
        result.problems.append(
            Problem(result.sheet, refused.row, refused.column, " ".join(refused.messages))
        )
        raise _Refused from refused
    except ValidationError as error:
        result.problems.append(file_problem(" ".join(error.messages)))
        raise _Refused from error
    if records:
        # Bulk writes send no save signal: the dashboard's cached figures are retired here.
        bump_on_commit()
    types = ContentType.objects.get_for_models(*{type(record) for record in records})
    ImportedRecord.objects.bulk_create(
        [
            ImportedRecord(
                batch=batch,
                row=row.row,
                content_type=types[type(record)],
                object_id=record.pk,
                action=row.action,
                previous=snapshot,
            )
            for row, record, snapshot in zip(changing, records, snapshots, strict=True)
        ],
        batch_size=2000,
    )


def import_file(
    *, kind: str, content: bytes, filename: str, user: User, dry_run: bool = False
) -> tuple[ImportBatch, Result]:
    """Record the file and import it (or only check it, `dry_run`): the command's path."""
    batch = batch_create(kind=kind, content=content, filename=filename, user=user)
    return batch, batch_run(batch=batch, dry_run=dry_run)


def batch_confirm(*, batch: ImportBatch, by: User) -> Result:
    """Import a checked batch (the browser's confirmation). Locked, so that a double click
    imports once; the file is checked again inside the import's transaction."""
    with transaction.atomic():
        locked = ImportBatch.objects.select_for_update().get(pk=batch.pk)
        if locked.user_id != by.pk:
            raise PermissionDenied(_("Chỉ người tải tệp lên được xác nhận nhập."))
        if locked.status != ImportBatch.Status.CHECKED:
            raise ValidationError(
                _("Lần nhập số %(number)s không chờ xác nhận (trạng thái: %(status)s).")
                % {"number": locked.pk, "status": locked.get_status_display()}
            )
        locked.status = ImportBatch.Status.PENDING
        locked.save(update_fields=["status"])
    return batch_run(batch=locked, dry_run=False)


def undo_import(*, batch: ImportBatch, by: User) -> ImportBatch:
    """Undo every record of an import, in one transaction, or nothing: refused when the batch
    was not imported or is already undone (under the batch's row lock, so twice is refused),
    when a later import changed one of its records, or when the kind finds something that
    depends on a record (a contract signed on an imported scheme)."""
    may_import(by)
    with transaction.atomic():
        locked = ImportBatch.objects.select_for_update().get(pk=batch.pk)
        if locked.status == ImportBatch.Status.UNDONE:
            raise ValidationError(
                _("Lần nhập số %(number)s đã được hoàn tác lúc %(at)s.")
                % {
                    "number": locked.pk,
                    "at": timezone.localtime(locked.undone_at).strftime("%H:%M %d/%m/%Y"),
                }
            )
        if locked.status != ImportBatch.Status.IMPORTED:
            raise ValidationError(
                _("Lần nhập số %(number)s chưa ghi dữ liệu nào: không có gì để hoàn tác.")
                % {"number": locked.pk}
            )
        records = list(locked.records.select_related("content_type"))
        later = (
            ImportedRecord.objects.filter(
                batch__status=ImportBatch.Status.IMPORTED,
                batch__pk__gt=locked.pk,
                content_type_id__in={r.content_type_id for r in records},
                object_id__in={r.object_id for r in records},
            )
            .select_related("batch")
            .first()
        )
        if later is not None:
            raise ValidationError(
                _(
                    "Lần nhập số %(later)s (tệp %(file)s) đã sửa bản ghi của lần nhập này: "
                    "hoàn tác lần nhập đó trước."
                )
                % {"later": later.batch_id, "file": later.batch.file_name}
            )
        objects = {}
        for content_type in {r.content_type for r in records}:
            ids = [r.object_id for r in records if r.content_type_id == content_type.pk]
            found = content_type.model_class()._default_manager.in_bulk(ids)
            objects.update({(content_type.pk, pk): obj for pk, obj in found.items()})
        missing = [r for r in records if (r.content_type_id, r.object_id) not in objects]
        if missing:
            raise ValidationError(
                _("Bản ghi của dòng %(row)s đã bị xóa sau khi nhập: không hoàn tác được.")
                % {"row": missing[0].row}
            )
        kind_get(locked.kind).undo_all(
            by,
            [(objects[(r.content_type_id, r.object_id)], r.action, r.previous) for r in records],
            _("Hoàn tác lần nhập số %(number)s (tệp %(file)s)")
            % {"number": locked.pk, "file": locked.file_name},
        )
        locked.status = ImportBatch.Status.UNDONE
        locked.undone_by = by
        locked.undone_at = timezone.now()
        locked._history_user = by
        locked.save()
    return locked


# --- Checking in the background ---------------------------------------------------------------


def progress_key(batch_id: int) -> str:
    return f"imports:progress:{batch_id}"


def batch_progress(batch: ImportBatch) -> dict:
    """How far the check of a pending batch has gone (the progress bar's figures)."""
    done = cache.get(progress_key(batch.pk)) or {"done": 0, "total": batch.rows_read}
    return {"status": batch.status, **done}


def batch_expect(*, batch: ImportBatch, rows: int) -> None:
    """The progress bar's length before the background check has read the file."""
    cache.set(progress_key(batch.pk), {"done": 0, "total": rows}, 3600)


def batch_check(*, batch_id: int) -> str:
    """Check a pending batch (the background task): records checked or refused and its
    problems. Does nothing to a batch no longer pending, so a task run twice is harmless."""
    batch = ImportBatch.objects.filter(pk=batch_id, status=ImportBatch.Status.PENDING).first()
    if batch is None:
        return "skipped"
    key = progress_key(batch_id)

    def progress(done: int, total: int) -> None:
        cache.set(key, {"done": done, "total": total}, 3600)

    batch_run(batch=batch, dry_run=True, progress=progress)
    cache.delete(key)
    return batch.status
