"""A typical product's photos and documents: checked by content and size like a scheme's
attachments (submissions.filetypes), kept outside the web root."""

import hashlib
import uuid
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from registers.models import ProductFile, TypicalProduct
from registers.permissions import is_agency
from registers.services.common import save_as
from submissions import filetypes
from submissions.models import Attachment
from submissions.services.files import size_text

PRODUCT_FILE_DIR = "typical-products"
PHOTO_TYPES = {Attachment.FileType.PNG, Attachment.FileType.JPEG}


def _storage() -> FileSystemStorage:
    return FileSystemStorage(location=settings.MEDIA_ROOT)


def may_add_files(user: User, product: TypicalProduct) -> bool:
    """The province that registered the product, and the agency; never on a withdrawn one."""
    if product.status == TypicalProduct.Status.WITHDRAWN:
        return False
    if is_agency(user):
        return True
    return (
        user.is_authenticated
        and user.province_id is not None
        and product.producer.province.successor_id == user.province_id
    )


def _check(upload: UploadedFile, kind: str) -> tuple[str, str]:
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
    if kind == ProductFile.Kind.PHOTO and detected.file_type not in PHOTO_TYPES:
        raise ValidationError(
            {
                "file": _("Ảnh sản phẩm phải là ảnh PNG hoặc JPEG; '%(name)s' là %(type)s.")
                % {"name": name, "type": detected.description}
            }
        )
    return name, detected.file_type


@transaction.atomic
def product_file_add(
    *, product: TypicalProduct, by: User, upload: UploadedFile, kind: str, label: str = ""
) -> ProductFile:
    if not may_add_files(by, product):
        raise PermissionDenied(_("Bạn không bổ sung được hồ sơ của sản phẩm này."))
    if kind not in ProductFile.Kind.values:
        raise ValidationError({"kind": _("Chọn loại tài liệu.")})
    name, content_type = _check(upload, kind)
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    storage = _storage()
    suffix = PurePath(name).suffix.lower()
    stored = storage.save(f"{PRODUCT_FILE_DIR}/{product.pk}/{uuid.uuid4().hex}{suffix}", upload)
    try:
        record = ProductFile(
            product=product,
            kind=kind,
            label=label.strip(),
            original_name=name,
            stored_path=stored,
            size=upload.size,
            content_type=content_type,
            sha256=digest.hexdigest(),
            uploaded_by=by,
        )
        save_as(record, by)
    except Exception:
        storage.delete(stored)
        raise
    return record


def product_file_open(record: ProductFile):
    """The stored file, opened for reading (FileNotFoundError when it is gone)."""
    return _storage().open(record.stored_path, "rb")
