"""The scheme list as a file: exactly the filtered rows of the list (every page), in the list's
order, from the same prepared queryset. CSV is streamed (UTF-8 with a BOM so that Excel reads the
diacritics); XLSX is written by openpyxl in write-only mode. Text that a spreadsheet would take
for a formula is neutralised with a leading apostrophe."""

import csv
import datetime
import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal

from django.http import HttpResponse, StreamingHttpResponse
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from core.money import rate
from projects.models import Scheme
from projects.selectors import province_on_map

CHUNK_SIZE = 2000
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
MONEY_FORMAT = "#,##0"
RATE_FORMAT = "0.00"
DATE_FORMAT = "dd/mm/yyyy"


def neutralise(value):
    """A text cell beginning like a formula gets a leading apostrophe; other values pass."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


@dataclass(frozen=True)
class ExportColumn:
    header: str
    kind: str  # text, int, money, rate, date
    width: int


def columns() -> list[ExportColumn]:
    return [
        ExportColumn(_("Mã đề án"), "text", 16),
        ExportColumn(_("Tên đề án"), "text", 60),
        ExportColumn(_("Năm"), "int", 7),
        ExportColumn(_("Nguồn"), "text", 24),
        ExportColumn(_("Loại đề án"), "text", 24),
        ExportColumn(_("Trạng thái"), "text", 22),
        ExportColumn(_("Tỉnh, thành phố"), "text", 20),
        ExportColumn(_("Mã tỉnh (GSO)"), "text", 8),
        ExportColumn(_("Đơn vị mới (34 tỉnh)"), "text", 20),
        ExportColumn(_("Vùng khuyến công"), "text", 22),
        ExportColumn(_("Nội dung khuyến công"), "text", 36),
        ExportColumn(_("Ngành nghề"), "text", 28),
        ExportColumn(_("Đơn vị thực hiện"), "text", 36),
        ExportColumn(_("Ngày bắt đầu"), "date", 12),
        ExportColumn(_("Ngày kết thúc"), "date", 12),
        ExportColumn(_("Kinh phí được duyệt (đồng)"), "money", 18),
        ExportColumn(_("Đã ký hợp đồng (đồng)"), "money", 18),
        ExportColumn(_("Đã giải ngân (đồng)"), "money", 18),
        ExportColumn(_("Tỷ lệ giải ngân (%)"), "rate", 10),
        ExportColumn(_("Giải ngân dự kiến theo tiến độ (đồng)"), "money", 18),
        ExportColumn(_("Chậm so với tiến độ (đồng)"), "money", 18),
        ExportColumn(_("Chậm tiến độ"), "text", 10),
    ]


def row_values(scheme: Scheme) -> list:
    """One scheme of the prepared queryset as plain values: amounts as integers in đồng, the
    rate (disbursed ÷ approved) with two decimals, dates as dates."""
    province = scheme.province
    disbursed_rate = rate(scheme.disbursed, scheme.approved)
    return [
        scheme.code,
        scheme.title,
        scheme.plan_year,
        scheme.get_fund_display(),
        scheme.get_kind_display(),
        scheme.get_status_display(),
        province.name,
        province.code,
        province_on_map(province, "34").name,
        province.region.name,
        "; ".join(f"{area.number}. {area.name}" for area in scheme.content_areas.all()),
        scheme.sector.short_name,
        scheme.implementing_unit.name,
        scheme.start_date,
        scheme.end_date,
        int(scheme.approved),
        int(scheme.contracted),
        int(scheme.disbursed),
        None if disbursed_rate is None else float(disbursed_rate),
        int(scheme.expected),
        int(scheme.lag),
        _("Có") if scheme.behind else _("Không"),
    ]


def _rows(queryset) -> Iterator[list]:
    for scheme in queryset.iterator(chunk_size=CHUNK_SIZE):
        yield row_values(scheme)


# -- CSV -------------------------------------------------------------------------------------------


class _Echo:
    """A file-like object whose write returns the line, for csv.writer in a stream."""

    def write(self, value: str) -> str:
        return value


def _csv_text(value, kind: str) -> str:
    if value is None:
        return ""
    if kind == "date":
        return value.strftime("%d/%m/%Y")
    if kind == "rate":
        return f"{Decimal(str(value)):.2f}"
    return str(neutralise(value))


def csv_lines(queryset, title: Iterable[str]) -> Iterator[str]:
    writer = csv.writer(_Echo())
    cols = columns()
    yield "\ufeff"
    yield writer.writerow([neutralise(" – ".join(title))])
    yield writer.writerow([col.header for col in cols])
    for values in _rows(queryset):
        yield writer.writerow(
            [_csv_text(value, col.kind) for value, col in zip(values, cols, strict=True)]
        )


def csv_response(queryset, title: list[str], filename: str) -> StreamingHttpResponse:
    response = StreamingHttpResponse(
        csv_lines(queryset, title), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response


# -- XLSX ------------------------------------------------------------------------------------------


def xlsx_bytes(queryset, title: list[str], sheet_title: str) -> bytes:
    cols = columns()
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(sheet_title[:31])
    for index, col in enumerate(cols, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = col.width
    header_row = len(title) + 1
    sheet.freeze_panes = f"C{header_row + 1}"

    def cell(value, **style):
        new = WriteOnlyCell(sheet, value=neutralise(value))
        for name, setting in style.items():
            setattr(new, name, setting)
        return new

    for index, line in enumerate(title):
        font = Font(bold=True, size=13) if index == 0 else Font(italic=True)
        sheet.append([cell(line, font=font)])
    bold, wrap = Font(bold=True), Alignment(wrap_text=True, vertical="top")
    sheet.append([cell(col.header, font=bold, alignment=wrap) for col in cols])
    formats = {"money": MONEY_FORMAT, "rate": RATE_FORMAT, "date": DATE_FORMAT}
    for values in _rows(queryset):
        sheet.append(
            [
                cell(value, number_format=formats[col.kind]) if col.kind in formats else cell(value)
                for value, col in zip(values, cols, strict=True)
            ]
        )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def xlsx_response(queryset, title: list[str], filename: str) -> HttpResponse:
    response = HttpResponse(
        xlsx_bytes(queryset, title, _("Đề án")),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
    return response


def title_lines(filters: list[str], generated: datetime.datetime, by: str) -> list[str]:
    """The heading, then the filters and map in force and who exported when."""
    exported = _("xuất lúc %(when)s bởi %(user)s") % {
        "when": generated.strftime("%H:%M %d/%m/%Y"),
        "user": by,
    }
    return [_("Danh sách đề án khuyến công"), "; ".join([*filters, exported])]
