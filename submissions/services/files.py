"""Files of a dossier: checked by content and size, kept outside the web root."""

import hashlib
import uuid
from decimal import ROUND_UP, Decimal
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from core.money import format_number
from projects.models import Scheme
from submissions import filetypes
from submissions.models import Attachment
from submissions.services.drafts import lock_for_editing, save_as

MEGABYTE = 1024 * 1024
ATTACHMENT_DIR = "attachments"


def size_text(size: int) -> str:
    """12,4 MB; 10 MB; 800 KB: a size as the refusal names it (rounded up, so that a file just
    over the limit never reads as the limit itself)."""
    if size >= MEGABYTE:
        megabytes = (Decimal(size) / MEGABYTE).quantize(Decimal("0.1"), rounding=ROUND_UP)
        places = 0 if megabytes == megabytes.to_integral_value() else 1
        return f"{format_number(megabytes, places)} MB"
    kilobytes = (Decimal(size) / 1024).quantize(Decimal(1), rounding=ROUND_UP)
    return f"{format_number(kilobytes)} KB"


def _storage() -> FileSystemStorage:
    # Outside the web root: no URL serves these files (base_url is never used).
    return FileSystemStorage(location=settings.MEDIA_ROOT)


def _check_file(upload: UploadedFile) -> tuple[str, str]:
    """(original name, type by content) of an acceptable upload; a ValidationError naming
    what is wrong otherwise."""
    name = PurePath((upload.name or "").replace("\\", "/")).name[:255] or "tep"
    limit = settings.ATTACHMENT_MAX_BYTES
    if upload.size > limit:
        raise ValidationError(
            {
                "file": _("Tệp quá lớn: %(size)s, tối đa %(limit)s.")
                % {"size": size_text(upload.size), "limit": size_text(limit)}
            }
        )
    promised = filetypes.extension_type(name)
    if promised is None:
        raise ValidationError(
            {
                "file": _(
                    "Tệp '%(name)s' không thuộc loại được nhận: chỉ nhận PDF, Word (DOCX), "
                    "Excel (XLSX), ảnh PNG hoặc JPEG."
                )
                % {"name": name}
            }
        )
    detected = filetypes.detect(upload)
    if detected.file_type != promised:
        raise ValidationError(
            {
                "file": _("Tệp '%(name)s' không phải %(type)s thật (nội dung là %(content)s).")
                % {
                    "name": name,
                    "type": Attachment.FileType(promised).label,
                    "content": detected.description,
                }
            }
        )
    return name, detected.file_type


@transaction.atomic
def attachment_add(
    *, scheme: Scheme, by: User, upload: UploadedFile, kind: str, label: str = ""
) -> Attachment:
    """Attach a file to a dossier being prepared. Its type is read from its content and must be
    the one its name promises; it must be within settings.ATTACHMENT_MAX_BYTES."""
    name, content_type = _check_file(upload)
    locked = lock_for_editing(scheme, by)
    if kind not in Attachment.Kind.values:
        raise ValidationError({"kind": _("Chọn loại tài liệu.")})
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    suffix = PurePath(name).suffix.lower()
    storage = _storage()
    stored = storage.save(f"{ATTACHMENT_DIR}/{locked.pk}/{uuid.uuid4().hex}{suffix}", upload)
    try:
        attachment = Attachment(
            scheme=locked,
            kind=kind,
            label=label.strip(),
            original_name=name,
            stored_path=stored,
            size=upload.size,
            content_type=content_type,
            sha256=digest.hexdigest(),
            uploaded_by=by,
        )
        save_as(attachment, by)
    except Exception:
        storage.delete(stored)
        raise
    return attachment


@transaction.atomic
def attachment_remove(*, attachment: Attachment, by: User) -> None:
    """Take a file out of a dossier being prepared; the file is deleted once that is saved."""
    lock_for_editing(attachment.scheme, by)
    stored = attachment.stored_path
    attachment._history_user = by
    attachment.delete()
    transaction.on_commit(lambda: _storage().delete(stored))


def attachment_open(attachment: Attachment):
    """The stored file, opened for reading (FileNotFoundError when it is gone)."""
    return _storage().open(attachment.stored_path, "rb")
