"""Shared pieces of the portal's tests: uploads kept in a temporary folder, tiny valid files of
each accepted type built in memory, and the POST data of a draft's form."""

import io
import struct
import zipfile
import zlib

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from organisations.models import Organisation
from provinces.models import Province, ProvinceMap
from reference.models import ContentArea, Sector

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def png_bytes() -> bytes:
    """A valid 1×1 white PNG."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xff\xff\xff")
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


def xlsx_bytes() -> bytes:
    workbook = openpyxl.Workbook()
    workbook.active.append(["Nội dung chi", "Kinh phí"])
    workbook.active.append(["Máy sấy", 250_000_000])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def docx_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        package.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        package.writestr("word/document.xml", '<?xml version="1.0"?><document/>')
    return buffer.getvalue()


def upload(name: str, content: bytes, content_type: str = "application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type=content_type)


@pytest.fixture(autouse=True)
def vietnamese():
    """Messages are asserted in Vietnamese, whatever language an earlier test left active in
    this thread (LocaleMiddleware does not deactivate it after a request)."""
    with translation.override("vi"):
        yield


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def thai_nguyen() -> Province:
    return Province.objects.get(code="19", map_version=ProvinceMap.NEW_34)


def centre_of(province: Province) -> Organisation:
    return Organisation.objects.get(
        kind=Organisation.Kind.PROVINCIAL_CENTRE, province=province, is_active=True
    )


def scheme_post(*, year: int = 2027, lines=(), extra_lines: int = 5, **overrides) -> dict:
    """The POST data of a new draft's form (Thái Nguyên, nd45 areas for 2027)."""
    area = ContentArea.objects.get(code="nd45-3" if not 2021 <= year <= 2025 else "ct2125-1")
    data = {
        "title": "Hỗ trợ ứng dụng máy sấy chè tiên tiến",
        "plan_year": str(year),
        "fund": "local",
        "kind": "targeted",
        "content_areas": [str(area.pk)],
        "sector": str(Sector.objects.get(code="a").pk),
        "implementing_unit": str(centre_of(thai_nguyen()).pk),
        "start_date": f"01/03/{year}",
        "end_date": f"30/11/{year}",
        "description": "Ứng dụng máy sấy chè cho hợp tác xã.",
        "new-TOTAL_FORMS": "1",
        "new-INITIAL_FORMS": "0",
        "new-MIN_NUM_FORMS": "0",
        "new-MAX_NUM_FORMS": "50",
        # The blank row of a new beneficiary, as a browser sends it: its selects on their
        # first (blank) option.
        "new-0-legal_form": "",
        "new-0-sector": "",
        "new-0-size": "",
    }
    data.update(cost_line_post(lines, extra=extra_lines))
    data.update(overrides)
    return data


def cost_line_post(lines, *, extra: int = 0, initial: int = 0) -> dict:
    """lines: (item, support, counterpart[, id[, delete]]) as typed in the form."""
    data = {
        "lines-TOTAL_FORMS": str(len(lines) + extra),
        "lines-INITIAL_FORMS": str(initial),
        "lines-MIN_NUM_FORMS": "0",
        "lines-MAX_NUM_FORMS": "200",
    }
    for number, line in enumerate(lines):
        item, support, counterpart, *rest = line
        data[f"lines-{number}-item"] = item
        data[f"lines-{number}-support_amount"] = support
        data[f"lines-{number}-counterpart_amount"] = counterpart
        if rest:
            data[f"lines-{number}-id"] = str(rest[0])
        if len(rest) > 1 and rest[1]:
            data[f"lines-{number}-DELETE"] = "on"
    return data
