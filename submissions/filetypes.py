"""What a file is, judged by its content (its first bytes, and for Office files the names inside
the zip), never by its name or by what the browser says."""

import io
import zipfile
from dataclasses import dataclass
from pathlib import PurePath
from typing import BinaryIO

from django.utils.translation import gettext_lazy as _

from submissions.models import Attachment

FileType = Attachment.FileType

# The extensions accepted, and the type each promises.
EXTENSIONS = {
    ".pdf": FileType.PDF,
    ".docx": FileType.DOCX,
    ".xlsx": FileType.XLSX,
    ".png": FileType.PNG,
    ".jpg": FileType.JPEG,
    ".jpeg": FileType.JPEG,
}

# How the content is named in a refusal, for types that are not accepted.
ZIP = _("tệp nén ZIP")
OLD_OFFICE = _("tài liệu Office cũ (DOC/XLS)")
TEXT = _("văn bản thuần")
EMPTY = _("tệp rỗng")
UNKNOWN = _("dữ liệu không nhận ra được")

_PNG = b"\x89PNG\r\n\x1a\n"
_JPEG = b"\xff\xd8\xff"
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


@dataclass(frozen=True)
class Detected:
    file_type: str | None  # a FileType value, or None when the content is not an accepted type
    description: str  # the content, named for the user


def _office_type(stream: BinaryIO) -> str | None:
    """DOCX or XLSX by the parts inside an Office Open XML package; None for another zip.
    Only the zip's directory is read: nothing is decompressed."""
    try:
        with zipfile.ZipFile(stream) as package:
            names = package.namelist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return None
    if "[Content_Types].xml" not in names:
        return None
    if any(name.startswith("word/") for name in names):
        return FileType.DOCX
    if any(name.startswith("xl/") for name in names):
        return FileType.XLSX
    return None


def _looks_like_text(head: bytes) -> bool:
    if b"\x00" in head:
        return False
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as error:
        # A multi-byte character cut at the end of the sample is still text.
        return error.start >= len(head) - 3
    return True


def detect(stream: BinaryIO) -> Detected:
    """The type of the file in `stream` (read from its start; left at its start)."""
    stream.seek(0)
    head = stream.read(2048)
    stream.seek(0)
    if not head:
        return Detected(None, str(EMPTY))
    if head.startswith(b"%PDF-"):
        return Detected(FileType.PDF, str(FileType.PDF.label))
    if head.startswith(_PNG):
        return Detected(FileType.PNG, str(FileType.PNG.label))
    if head.startswith(_JPEG):
        return Detected(FileType.JPEG, str(FileType.JPEG.label))
    if head.startswith(b"PK\x03\x04"):
        office = _office_type(stream)
        stream.seek(0)
        if office is not None:
            return Detected(office, str(FileType(office).label))
        return Detected(None, str(ZIP))
    if head.startswith(_OLE2):
        return Detected(None, str(OLD_OFFICE))
    if _looks_like_text(head):
        return Detected(None, str(TEXT))
    return Detected(None, str(UNKNOWN))


def detect_bytes(data: bytes) -> Detected:
    return detect(io.BytesIO(data))


def extension_type(filename: str) -> str | None:
    return EXTENSIONS.get(PurePath(filename).suffix.lower())
