"""Where the report files live: under MEDIA_ROOT, outside the web root. No URL serves them;
the download view reads them after checking who asks."""

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage

REPORT_DIR = "reports"


def storage() -> FileSystemStorage:
    return FileSystemStorage(location=settings.MEDIA_ROOT)


def save(name: str, content: bytes) -> str:
    """Write `content` under `name`, replacing an earlier file of that name (a task run twice
    writes the same bytes again)."""
    files = storage()
    if files.exists(name):
        files.delete(name)
    return files.save(name, ContentFile(content))


def read(name: str) -> bytes:
    with storage().open(name, "rb") as stream:
        return stream.read()


def open_file(name: str):
    return storage().open(name, "rb")
