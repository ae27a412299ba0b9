"""The one way a table becomes a file, for every table of the site: columns with Vietnamese
headers, a title (what was filtered, on which province map, who exported when), then exactly the
rows. CSV is UTF-8 with a BOM (so that Excel reads the diacritics) and can be streamed line by
line; XLSX is written by openpyxl in write-only mode, so neither holds the whole file in memory.

Every cell of both formats passes through `neutralise`: text that a spreadsheet would take for a
formula (=, +, -, @, tab, carriage return first) gets a leading apostrophe. Numbers are never
touched, so −5 stays the number −5 (and in XLSX a numeric cell), while the text "-5+1" does not.

An app describes a table's export as an `ExportSource` (see projects/exports.py,
registers/exports.py); `export_response` answers the request, or, above KC_EXPORT_SYNC_LIMIT
rows, sends the user to have the file built in the background (the `exports` app)."""

import csv
import datetime
import io
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import IO, Any
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpResponse, HttpResponseRedirect, StreamingHttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

FORMATS = ("csv", "xlsx")
CHUNK_SIZE = 2000
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
MONEY_FORMAT = "#,##0"
RATE_FORMAT = "0.00"
DATE_FORMAT = "dd/mm/yyyy"
AREA_FORMAT = "#,##0.00"
NUMBER_FORMATS = {
    "money": MONEY_FORMAT,
    "rate": RATE_FORMAT,
    "date": DATE_FORMAT,
    "area": AREA_FORMAT,
}
CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CONTENT_TYPES = {"csv": CSV_TYPE, "xlsx": XLSX_TYPE}


def neutralise(value):
    """A text cell beginning like a formula gets a leading apostrophe; other values (numbers,
    dates, None) pass unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


@dataclass(frozen=True)
class Column:
    """One column: its header, its kind (text, int, money, rate, date, area: how the cell is
    formatted) and width in XLSX, and how a row's value is read from a record."""

    header: str
    kind: str
    width: int
    value: Callable[[Any], Any] = lambda record: record


@dataclass
class ExportSource:
    """A table's rows ready to be written: `records` is a queryset (iterated in chunks) or any
    iterable, `columns` read each record. `map_label` is the province map the table is on; it is
    always printed in the title."""

    heading: str
    filters: list[str]
    map_label: str
    records: Iterable
    columns: list[Column]
    filename: str
    sheet: str = ""
    freeze_columns: int = 1
    by: str = ""
    generated: datetime.datetime | None = None
    errors: list[str] = field(default_factory=list)

    def count(self) -> int:
        """The number of rows, counted by the database for a queryset."""
        if hasattr(self.records, "query"):
            return self.records.count()
        return len(self.records)

    def title(self) -> list[str]:
        """The heading, then the filters, the map and who exported when, on one line."""
        map_line = _("Bản đồ tỉnh: %(map)s") % {"map": self.map_label}
        parts = [*(line for line in self.filters if line != map_line), map_line]
        if self.generated is not None:
            parts.append(
                _("xuất lúc %(when)s bởi %(user)s")
                % {"when": self.generated.strftime("%H:%M %d/%m/%Y"), "user": self.by}
            )
        return [self.heading, "; ".join(parts)]

    def rows(self) -> Iterator[list]:
        """Each record as plain values, reading a queryset in chunks (with its prefetches done
        per chunk), so memory stays flat and the query count does not grow with the rows."""
        records = self.records
        if hasattr(records, "iterator") and hasattr(records, "query"):
            records = records.iterator(chunk_size=CHUNK_SIZE)
        for record in records:
            yield [col.value(record) for col in self.columns]


# -- CSV -------------------------------------------------------------------------------------------


class _Echo:
    """A file-like object whose write returns the line, for csv.writer in a stream."""

    def write(self, value: str) -> str:
        return value


def csv_text(value, kind: str) -> str:
    """A value as the CSV writes it: dates dd/mm/yyyy, rates with two decimals, numbers as
    they are (a negative number keeps its sign), text neutralised."""
    if value is None:
        return ""
    if kind == "date" and isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    if kind == "rate" and isinstance(value, int | float | Decimal):
        return f"{Decimal(str(value)):.2f}"
    return str(neutralise(value))


def csv_lines(source: ExportSource, rows: Iterable[list] | None = None) -> Iterator[str]:
    writer = csv.writer(_Echo())
    kinds = [col.kind for col in source.columns]
    yield "\ufeff"
    # One title line (heading – filters, map, who and when), then the header: a reader can skip
    # exactly one line before the header.
    yield writer.writerow([neutralise(" – ".join(source.title()))])
    yield writer.writerow([neutralise(col.header) for col in source.columns])
    for values in source.rows() if rows is None else rows:
        yield writer.writerow(
            [csv_text(value, kind) for value, kind in zip(values, kinds, strict=True)]
        )


# -- XLSX ------------------------------------------------------------------------------------------


def xlsx_write(source: ExportSource, target: IO[bytes], rows: Iterable[list] | None = None) -> None:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet((source.sheet or source.heading)[:31])
    for index, col in enumerate(source.columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = col.width
    title = source.title()
    sheet.freeze_panes = f"{get_column_letter(source.freeze_columns + 1)}{len(title) + 2}"

    def cell(value, **style):
        new = WriteOnlyCell(sheet, value=neutralise(value))
        for name, setting in style.items():
            setattr(new, name, setting)
        return new

    for index, line in enumerate(title):
        font = Font(bold=True, size=13) if index == 0 else Font(italic=True)
        sheet.append([cell(line, font=font)])
    bold, wrap = Font(bold=True), Alignment(wrap_text=True, vertical="top")
    sheet.append([cell(col.header, font=bold, alignment=wrap) for col in source.columns])
    formats = [NUMBER_FORMATS.get(col.kind) for col in source.columns]
    for values in source.rows() if rows is None else rows:
        sheet.append(
            [
                cell(value, number_format=number_format) if number_format else cell(value)
                for value, number_format in zip(values, formats, strict=True)
            ]
        )
    workbook.save(target)


def xlsx_bytes(source: ExportSource) -> bytes:
    buffer = io.BytesIO()
    xlsx_write(source, buffer)
    return buffer.getvalue()


# -- responses -------------------------------------------------------------------------------------


def _attachment(response: HttpResponse, filename: str, file_format: str) -> HttpResponse:
    response["Content-Disposition"] = f'attachment; filename="{filename}.{file_format}"'
    response["Cache-Control"] = "private, no-store"
    return response


def file_response(source: ExportSource, file_format: str) -> HttpResponse:
    """The file at once: CSV streamed line by line, XLSX built in memory."""
    if file_format == "csv":
        response = StreamingHttpResponse(csv_lines(source), content_type=CSV_TYPE)
    else:
        response = HttpResponse(xlsx_bytes(source), content_type=XLSX_TYPE)
    return _attachment(response, source.filename, file_format)


def export_response(source: ExportSource, file_format: str, *, table: str, params) -> HttpResponse:
    """Small tables at once; above KC_EXPORT_SYNC_LIMIT rows, the page that has the file built
    in the background (`table` is the name the exports app knows the table by)."""
    if source.count() <= settings.KC_EXPORT_SYNC_LIMIT:
        return file_response(source, file_format)
    query = params.copy()
    query.pop("page", None)
    wanted = urlencode({"table": table, "format": file_format, "query": query.urlencode()})
    return HttpResponseRedirect(f"{reverse('exports:job-new')}?{wanted}")


def refusal(errors: list[str]) -> HttpResponse:
    body = "\n".join([_("Tham số không hợp lệ."), *errors])
    return HttpResponse(body, status=400, content_type="text/plain; charset=utf-8")
