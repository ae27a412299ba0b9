"""Reading spreadsheets that officials fill in: the cells as they really type them (Vietnamese
money and dates, trailing spaces, labels without diacritics), the layout of a data sheet under one
header row, templates with a guide sheet, and problems named by sheet, row and column in
Vietnamese. Each import (registers, schemes, the ledger) declares its columns and checks its rows
with these; nothing here writes to the database."""

import datetime
import io
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django import forms
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font

from core.forms import VNDateField, VNDField
from core.text import fold

MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 2000


def guide_title() -> str:
    return _("Hướng dẫn")


@dataclass(frozen=True)
class Problem:
    sheet: str
    row: int | None
    column: str
    message: str

    def __str__(self) -> str:
        if self.row is None:
            return self.message
        if not self.column:
            return _("Dòng %(row)s: %(message)s") % {"row": self.row, "message": self.message}
        return _("Dòng %(row)s, cột '%(column)s': %(message)s") % {
            "row": self.row,
            "column": self.column,
            "message": self.message,
        }


@dataclass
class Planned:
    """One valid row: what will be written and whether it creates, changes or leaves a row."""

    row: int
    label: str
    action: str  # create, update, same
    values: dict
    existing: object = None


@dataclass
class Result:
    kind: str
    problems: list[Problem] = field(default_factory=list)
    rows: list[Planned] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def count(self, action: str) -> int:
        return sum(1 for row in self.rows if row.action == action)


class ImportRefused(Exception):
    def __init__(self, problems: list[Problem]):
        super().__init__("; ".join(str(p) for p in problems))
        self.problems = problems


# --- Reading cells ----------------------------------------------------------------------------


class CellError(Exception):
    pass


def text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return re.sub(r"\s+", " ", str(value)).strip()


def parse_money(value) -> Decimal:
    if isinstance(value, bool):
        raise CellError(_("'%(value)s' không phải số hợp lệ") % {"value": value})
    if isinstance(value, float):
        if not value.is_integer():
            raise CellError(_("'%(value)s' không phải số tiền hợp lệ") % {"value": value})
        value = int(value)
    if isinstance(value, int) and value < 0:
        raise CellError(_("'%(value)s' là số âm") % {"value": value})
    try:
        amount = VNDField(required=False).clean(value if isinstance(value, int) else text(value))
    except forms.ValidationError as error:
        raise CellError(error.messages[0]) from error
    return amount if amount is not None else Decimal(0)


def parse_decimal(value, places: int = 2) -> Decimal:
    """Hectares as officials type them: "12,5", "12.5", "1.250,75", "1 250,75"."""
    if value is None or text(value) == "":
        return Decimal(0)
    if isinstance(value, bool):
        raise CellError(_("'%(value)s' không phải số hợp lệ") % {"value": value})
    if isinstance(value, int | float):
        number = Decimal(str(value))
    else:
        raw = text(value)
        cleaned = raw.replace(" ", "")
        if re.fullmatch(r"-?\d{1,3}(\.\d{3})+(,\d+)?", cleaned):
            cleaned = cleaned.replace(".", "").replace(",", ".")
        elif re.fullmatch(r"-?\d+(,\d+)?", cleaned):
            cleaned = cleaned.replace(",", ".")
        elif not re.fullmatch(r"-?\d+(\.\d+)?", cleaned):
            raise CellError(_("'%(value)s' không phải số hợp lệ") % {"value": raw})
        try:
            number = Decimal(cleaned)
        except InvalidOperation as error:
            raise CellError(_("'%(value)s' không phải số hợp lệ") % {"value": raw}) from error
    if number < 0:
        raise CellError(_("'%(value)s' là số âm") % {"value": text(value)})
    if number != number.quantize(Decimal(1).scaleb(-places)):
        raise CellError(
            _("'%(value)s' có quá %(places)s chữ số thập phân")
            % {"value": text(value), "places": places}
        )
    return number.quantize(Decimal(1).scaleb(-places))


def parse_int(value) -> int:
    number = parse_decimal(value, places=0) if not isinstance(value, str) else None
    if number is None:
        raw = text(value).replace(".", "").replace(" ", "")
        if raw == "":
            return 0
        if raw.startswith("-") and raw[1:].isdigit():
            raise CellError(_("'%(value)s' là số âm") % {"value": text(value)})
        if not raw.isdigit():
            raise CellError(_("'%(value)s' không phải số nguyên hợp lệ") % {"value": text(value)})
        return int(raw)
    return int(number)


def parse_date(value) -> datetime.date | None:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, int | float):
        raise CellError(
            _("'%(value)s' không phải ngày hợp lệ: viết ngày/tháng/năm, ví dụ 31/12/2019")
            % {"value": text(value)}
        )
    try:
        return VNDateField(required=False).clean(text(value))
    except forms.ValidationError as error:
        raise CellError(error.messages[0]) from error


def parse_yes_no(value) -> bool:
    folded = fold(text(value))
    if folded in ("", "khong", "0"):
        return False
    if folded in ("co", "1", "x"):
        return True
    raise CellError(_("'%(value)s': ghi “Có” hoặc “Không”") % {"value": text(value)})


def choice_parser(choices) -> Callable:
    by_label = {fold(str(label)): value for value, label in choices}

    def parse(value):
        raw = text(value)
        chosen = by_label.get(fold(raw))
        if chosen is None:
            raise CellError(
                _("'%(value)s' không có trong danh sách: %(choices)s")
                % {"value": raw, "choices": "; ".join(str(label) for _v, label in choices)}
            )
        return chosen

    return parse


# --- Columns and templates ------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    required: bool
    hint: str
    example: object


def template_workbook(title: str, columns: list[Column], notes: tuple[str, ...] = ()) -> bytes:
    """A template to fill in: the data sheet with its headers and one example row, and a guide
    sheet with each column's rule and the general notes (then `notes`, the kind's own)."""
    book = Workbook()
    sheet = book.active
    sheet.title = title
    sheet.append([col.header for col in columns])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.append([col.example for col in columns])
    for index, col in enumerate(columns, start=1):
        sheet.column_dimensions[sheet.cell(1, index).column_letter].width = max(14, len(col.header))
    guide = book.create_sheet(guide_title())
    guide.append([_("Cột"), _("Bắt buộc"), _("Cách ghi")])
    for cell in guide[1]:
        cell.font = Font(bold=True)
    for col in columns:
        guide.append([col.header, _("Có") if col.required else _("Không"), col.hint])
    guide.append([])
    for line in (
        _("Dòng 1 là tiêu đề cột, giữ nguyên. Mỗi dòng sau là một bản ghi; xóa dòng ví dụ."),
        _("Ghi giá trị, không dùng công thức (dán bằng “Paste Values”)."),
        _("Số tiền ghi số đồng: 1.250.000.000 hoặc 1 250 000 000. Diện tích: 12,5."),
        _("Ngày ghi ngày/tháng/năm: 31/12/2019, hoặc ô kiểu ngày của Excel."),
        _("Có một dòng sai thì không dòng nào được ghi; sửa hết rồi tải lên lại."),
        *notes,
    ):
        guide.append([line])
    guide.column_dimensions["A"].width = 36
    guide.column_dimensions["C"].width = 60
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# --- Reading the file -------------------------------------------------------------------------


def file_problem(message: str) -> Problem:
    return Problem("", None, "", message)


def open_workbook(content: bytes, max_bytes: int = MAX_BYTES):
    """The workbook, or a refusal that says why: too large, not an XLSX file, unreadable."""
    if len(content) > max_bytes:
        raise ImportRefused(
            [
                file_problem(
                    _("Tệp quá lớn: tối đa %(limit)s MB.") % {"limit": max_bytes // (1024 * 1024)}
                )
            ]
        )
    not_xlsx = file_problem(_("Tệp không phải bảng tính Excel (.xlsx)."))
    if not content.startswith(b"PK\x03\x04"):
        raise ImportRefused([not_xlsx])
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            if "xl/workbook.xml" not in archive.namelist():
                raise ImportRefused([not_xlsx])
        return load_workbook(io.BytesIO(content), data_only=False)
    except ImportRefused:
        raise
    except Exception as error:  # a broken archive or XML: openpyxl raises many kinds
        raise ImportRefused([not_xlsx]) from error


def read_rows(
    book, columns: list[Column], max_rows: int = MAX_ROWS
) -> tuple[str, list[tuple[int, dict]], list[Problem]]:
    """The data sheet's rows as {column key: raw value}, with its layout problems."""
    guide = guide_title()
    sheets = [ws for ws in book.worksheets if ws.title != guide]
    if not sheets:
        return "", [], [file_problem(_("Tệp không có trang dữ liệu."))]
    sheet = sheets[0]
    title = sheet.title
    header_cells = next(sheet.iter_rows(min_row=1, max_row=1), ())
    positions = {}
    for index, cell in enumerate(header_cells):
        header = fold(text(cell.value))
        for col in columns:
            if header == fold(col.header):
                positions[col.key] = index
    missing = [col.header for col in columns if col.required and col.key not in positions]
    if missing:
        return (
            title,
            [],
            [
                Problem(
                    title,
                    1,
                    "",
                    _("thiếu cột %(columns)s (tải mẫu để xem các cột)")
                    % {"columns": ", ".join(f"'{m}'" for m in missing)},
                )
            ],
        )
    rows, problems = [], []
    by_key = {col.key: col for col in columns}
    for number, cells in enumerate(sheet.iter_rows(min_row=2), start=2):
        raw = {}
        for key, index in positions.items():
            cell = cells[index] if index < len(cells) else None
            if cell is not None and cell.data_type == "f":
                problems.append(
                    Problem(
                        title,
                        number,
                        by_key[key].header,
                        _("ô chứa công thức; hãy ghi giá trị (dán bằng “Paste Values”)"),
                    )
                )
                raw[key] = None
                continue
            raw[key] = cell.value if cell is not None else None
        if all(text(v) == "" for v in raw.values()):
            continue
        rows.append((number, raw))
    if len(rows) > max_rows:
        problems.append(file_problem(_("Tệp có quá %(limit)s dòng dữ liệu.") % {"limit": max_rows}))
    return title, rows, problems


def parse_row(title: str, number: int, raw: dict, columns: list[Column], parsers: dict):
    """One row's values by column key, parsed by `parsers` (plain text where none is given),
    or the problems of its cells."""
    values, problems = {}, []
    for col in columns:
        if col.key not in raw and not col.required:
            # A column the file leaves out keeps what the register holds.
            continue
        value = raw.get(col.key)
        if col.required and text(value) == "":
            problems.append(Problem(title, number, col.header, _("không được để trống")))
            continue
        parser = parsers.get(col.key) or text
        try:
            values[col.key] = parser(value)
        except CellError as error:
            problems.append(Problem(title, number, col.header, str(error)))
    return values, problems
