"""Reading spreadsheets that officials fill in: the cells as they really type them (Vietnamese
money and dates, trailing spaces, labels without diacritics), the layout of a data sheet under one
header row, templates with a guide sheet, and problems named by sheet, row and column in
Vietnamese. Each import (registers, schemes, the ledger) declares its columns and checks its rows
with these; nothing here writes to the database."""

import csv
import datetime
import functools
import io
import re
import unicodedata
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django import forms
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font
from openpyxl.utils.cell import column_index_from_string, coordinate_to_tuple
from openpyxl.utils.datetime import from_excel

from core.forms import VNDateField, VNDField
from core.text import fold

MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 2000
# The header row is looked for among the first rows: a file may open with a title, a blank row
# or a two-row header whose upper cells are merged.
HEADER_SEARCH_ROWS = 10


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
    sheet: str = ""
    rows_read: int = 0
    # Called with (rows checked, rows in all) as a long check goes (a progress bar).
    on_progress: Callable[[int, int], None] | None = field(default=None, repr=False)

    def advance(self, done: int, total: int) -> None:
        if self.on_progress is not None:
            self.on_progress(done, total)

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


# The forms' fields hold the rules for money and dates and their wording; one instance of each
# serves every cell. A cell that is clearly valid (nearly all of them) is parsed here with
# precompiled patterns, ten times faster than a field's clean(); any other goes to the field, so
# that what is accepted and every refusal's message stay the field's own.
_VND = VNDField(required=False)
_DATE = VNDateField(required=False)
_WHITESPACE = re.compile(r"\s+")
# Whitespace that text() changes: at either end, two in a row, or any but a plain space.
_UNTIDY = re.compile(r"^\s|\s$|\s\s|[^\S ]")
# ASCII digits only: a field also reads other scripts' digits, and gets those cells.
_MONEY_PLAIN = re.compile(r"[0-9]+")
_MONEY_GROUPED = re.compile(r"[0-9]{1,3}(?:\.[0-9]{3})+|[0-9]{1,3}(?: [0-9]{3})+")
_DATE_DAY_FIRST = re.compile(r"([0-9]{1,2})/([0-9]{1,2})/([0-9]{4})")
_MONEY_MAX_DIGITS = 18


def text(value) -> str:
    if value is None:
        return ""
    if value.__class__ is str and _UNTIDY.search(value) is None:
        # Nearly every cell: nothing to fold or strip, and no new string to make.
        return value
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return _WHITESPACE.sub(" ", str(value)).strip()


def _clear_money(raw: str) -> Decimal | None:
    """The amount of a plainly valid cell ("1250000000", "1.250.000.000", "1 250 000 000"), or
    None for the field to decide."""
    if _MONEY_PLAIN.fullmatch(raw) is None and _MONEY_GROUPED.fullmatch(raw) is None:
        return None
    digits = raw.replace(".", "").replace(" ", "").lstrip("0") or "0"
    if len(digits) > _MONEY_MAX_DIGITS:
        return None
    return Decimal(digits)


def parse_money(value) -> Decimal:
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        return Decimal(value)
    if isinstance(value, str):
        raw = text(value)
        if raw == "":
            return Decimal(0)
        amount = _clear_money(raw)
        if amount is not None:
            return amount
    return _parse_money_by_field(value)


def _parse_money_by_field(value) -> Decimal:
    if isinstance(value, bool):
        raise CellError(_("'%(value)s' không phải số hợp lệ") % {"value": value})
    if isinstance(value, float):
        if not value.is_integer():
            raise CellError(_("'%(value)s' không phải số tiền hợp lệ") % {"value": value})
        value = int(value)
    if isinstance(value, int) and value < 0:
        raise CellError(_("'%(value)s' là số âm") % {"value": value})
    try:
        amount = _VND.clean(value if isinstance(value, int) else text(value))
    except forms.ValidationError as error:
        if error.code == "invalid":
            # The wording officials are shown in the guide: "'1,5 tỷ' không phải số tiền hợp lệ".
            raise CellError(
                _("'%(value)s' không phải số tiền hợp lệ") % {"value": text(value)}
            ) from error
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


# Excel's day numbers (serials) of 01/01/1950 and 31/12/2100: a number in a date column in
# this range is a date cell whose format was lost (pasted as a number, or saved as CSV).
SERIAL_RANGE = (18264, 73415)


def parse_date(value) -> datetime.date | None:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    raw = text(value)
    if (isinstance(value, int | float) and not isinstance(value, bool)) or raw.isdigit():
        serial = float(value) if not isinstance(value, str) else float(raw)
        if serial.is_integer() and SERIAL_RANGE[0] <= serial <= SERIAL_RANGE[1]:
            return from_excel(int(serial)).date()
        raise CellError(
            _("'%(value)s' không phải ngày hợp lệ: viết ngày/tháng/năm, ví dụ 31/12/2019")
            % {"value": raw}
        )
    match = _DATE_DAY_FIRST.fullmatch(raw)
    if match is not None:
        day, month, year = (int(part) for part in match.groups())
        if 1 <= month <= 12:
            try:
                return datetime.date(year, month, day)
            except ValueError:
                pass  # no such day: the field words the refusal
    elif raw == "":
        return None
    try:
        return _DATE.clean(raw)
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
    # Other headers officials give the column ("Kinh phí hỗ trợ được duyệt").
    aliases: tuple[str, ...] = ()

    def names(self) -> set[str]:
        """The folded headers that name this column, each also without a unit in brackets."""
        names = set()
        for header in (self.header, *self.aliases):
            names.add(fold(header))
            names.add(_without_unit(fold(header)))
        return names


def _without_unit(folded: str) -> str:
    return " ".join(re.sub(r"\([^)]*\)", " ", folded).split())


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


def _too_large(max_bytes: int) -> ImportRefused:
    megabytes = max_bytes / (1024 * 1024)
    limit = f"{megabytes:g}".replace(".", ",")
    return ImportRefused([file_problem(_("Tệp quá lớn: tối đa %(limit)s MB.") % {"limit": limit})])


def _is_xlsx(content: bytes) -> bool:
    if not content.startswith(b"PK\x03\x04"):
        return False
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            return "xl/workbook.xml" in archive.namelist()
    except zipfile.BadZipFile:
        return False


def open_workbook(content: bytes, max_bytes: int = MAX_BYTES):
    """The workbook (read-only: a sheet is read as a stream, several times faster than a full
    load; its merged cells are read from the sheet's XML by `_Sheet`), or a refusal that says
    why: too large, not an XLSX file, unreadable."""
    if len(content) > max_bytes:
        raise _too_large(max_bytes)
    not_xlsx = file_problem(_("Tệp không phải bảng tính Excel (.xlsx)."))
    if not _is_xlsx(content):
        raise ImportRefused([not_xlsx])
    try:
        return load_workbook(io.BytesIO(content), read_only=True, data_only=False)
    except Exception as error:  # a broken archive or XML: openpyxl raises many kinds
        raise ImportRefused([not_xlsx]) from error


class Formula(str):
    """A cell that holds a formula, not a value."""


def _content_type(content: bytes) -> str:
    """What the bytes are, whatever the file is called: xlsx, xls (Excel 97–2003), another
    binary (a zip, a PDF, an image) or text."""
    if _is_xlsx(content):
        return "xlsx"
    if content.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "xls"
    if content.startswith(b"PK\x03\x04") or b"\x00" in content[:4096]:
        return "binary"
    return "text"


# Letters only Vietnamese uses (with the tone marks precomposed): a decoding that yields them
# is the right one.
_VIETNAMESE = re.compile("[ăâđêôơưĂÂĐÊÔƠƯ\u1ea0-\u1ef9]")


def decode_text(content: bytes) -> str:
    """CSV bytes as text: UTF-8 (with or without BOM); else Windows-1258 (Excel on a
    Vietnamese Windows) or Windows-1252, whichever reads as Vietnamese. NFC, so that the
    decomposed tone marks of 1258 and of macOS compare equal to the precomposed ones."""
    if content.startswith(b"\xef\xbb\xbf"):
        content = content[3:]
    try:
        decoded = content.decode("utf-8")
    except UnicodeDecodeError:
        candidates = []
        for encoding in ("cp1258", "cp1252"):
            try:
                candidate = unicodedata.normalize("NFC", content.decode(encoding))
            except UnicodeDecodeError:
                continue
            candidates.append((len(_VIETNAMESE.findall(candidate)), encoding, candidate))
        if not candidates:
            raise ImportRefused(
                [file_problem(_("Không đọc được bảng mã của tệp CSV: hãy lưu lại với UTF-8."))]
            ) from None
        # The most Vietnamese letters wins; on a tie (no Vietnamese at all) 1252.
        decoded = max(candidates, key=lambda c: (c[0], c[1] == "cp1252"))[2]
    return unicodedata.normalize("NFC", decoded)


class _Semicolon(csv.excel):
    delimiter = ";"


def _csv_rows(decoded: str) -> list[list[str]]:
    sample = "\n".join(decoded.splitlines()[:HEADER_SEARCH_ROWS])
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=";,\t")
    except csv.Error:
        first = sample.splitlines()[0] if sample else ""
        dialect = _Semicolon if first.count(";") > first.count(",") else csv.excel
    reader = csv.reader(io.StringIO(decoded, newline=""), dialect)
    # A cell typed as "=SUM(…)" in a CSV file is a formula Excel would run.
    return [[Formula(v) if v.startswith("=") else v for v in row] for row in reader]


class _Sheet:
    """Rows of values (a merged cell reads its top-left value; a formula is a Formula), numbered
    as the spreadsheet numbers them."""

    def __init__(self, title: str, rows: list[list]):
        self.title = title
        self.rows = rows

    @classmethod
    def from_worksheet(cls, sheet) -> "_Sheet":
        rows = []
        for cells in sheet.iter_rows():
            values = []
            for cell in cells:
                value = getattr(cell, "value", None)
                if getattr(cell, "data_type", None) == "f":
                    value = Formula(value)
                values.append(value)
            while values and values[-1] is None:
                values.pop()
            rows.append(values)
        while rows and not rows[-1]:
            rows.pop()
        read = cls(sheet.title, rows)
        read.merge(_merged_ranges(sheet))
        return read

    def merge(self, ranges: list[tuple[int, int, int, int]]) -> None:
        """Every cell of a merged range (min col, min row, max col, max row) reads the range's
        top-left value."""
        rows = self.rows
        for min_col, min_row, max_col, max_row in ranges:
            top = rows[min_row - 1] if min_row <= len(rows) else []
            value = top[min_col - 1] if min_col <= len(top) else None
            for r in range(min_row, min(max_row, len(rows)) + 1):
                row = rows[r - 1]
                row.extend([None] * (max_col - len(row)))
                for c in range(min_col, max_col + 1):
                    if (r, c) != (min_row, min_col):
                        row[c - 1] = value


_MERGE = re.compile(rb'<(?:\w+:)?mergeCell ref="([A-Z]+\d+):([A-Z]+\d+)"')


def _merged_ranges(sheet) -> list[tuple[int, int, int, int]]:
    """The merged ranges (min col, min row, max col, max row) of a sheet: a full load knows
    them; a read-only sheet does not, so they are read from its XML."""
    if hasattr(sheet, "merged_cells"):
        return [r.bounds for r in sheet.merged_cells.ranges]
    with sheet.parent._archive.open(sheet._worksheet_path) as source:
        xml = source.read()
    ranges = []
    for start, end in _MERGE.findall(xml):
        min_row, min_col = coordinate_to_tuple(start.decode())
        max_row, max_col = coordinate_to_tuple(end.decode())
        ranges.append((min_col, min_row, max_col, max_row))
    return ranges


_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PACKAGE_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"


_ROW_DIGITS = "0123456789"


@functools.lru_cache(maxsize=1024)
def _column_letters_number(letters: str) -> int:
    return column_index_from_string(letters)


def _column_number(ref: str) -> int:
    """The column of a cell reference ("C12" -> 3), as coordinate_to_tuple gives it, with the
    few column letters of a sheet converted once each."""
    letters = ref.rstrip(_ROW_DIGITS)
    if not letters or letters == ref:
        return coordinate_to_tuple(ref)[1]  # not a plain reference: openpyxl says why
    return _column_letters_number(letters)


def _lean_sheet(content: bytes, skip: str) -> "_Sheet | None":
    """The first data sheet read straight from its XML, values only: several times faster
    than openpyxl's cell objects on a large file. Numbers stay numbers (a date cell is its
    Excel serial, which date columns read as a date); a formula is a Formula; a merged range
    reads its top-left value. None when the workbook uses something this reader does not
    know, so that openpyxl reads it instead."""
    from xml.etree import ElementTree

    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        names = set(archive.namelist())
        book = ElementTree.fromstring(archive.read("xl/workbook.xml"))  # noqa: S314 (a zip's XML, no DTD)
        rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))  # noqa: S314
        targets = {r.get("Id"): r.get("Target") for r in rels.iter(f"{_PACKAGE_REL}Relationship")}
        sheets = [
            (sheet.get("name"), targets.get(sheet.get(f"{_REL}id")))
            for sheet in book.iter(f"{_MAIN}sheet")
            if sheet.get("name") != skip
        ]
        if not sheets or not sheets[0][1]:
            return None
        title, target = sheets[0]
        path = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
        if path not in names:
            return None
        strings = []
        if "xl/sharedStrings.xml" in names:
            table = ElementTree.fromstring(archive.read("xl/sharedStrings.xml"))  # noqa: S314
            for item in table.iter(f"{_MAIN}si"):
                # The text runs, not the phonetic guides (rPh) some producers add.
                parts = [t.text or "" for t in item.findall(f"{_MAIN}t")]
                parts += [t.text or "" for t in item.findall(f"{_MAIN}r/{_MAIN}t")]
                strings.append("".join(parts))
        xml = archive.read(path)
    root = ElementTree.fromstring(xml)  # noqa: S314
    rows: list[list] = []
    for row in root.iter(f"{_MAIN}row"):
        number = int(row.get("r") or len(rows) + 1)
        while len(rows) < number - 1:
            rows.append([])
        values: list = []
        for cell in row.iter(f"{_MAIN}c"):
            ref = cell.get("r")
            column = _column_number(ref) if ref else len(values) + 1
            values.extend([None] * (column - 1 - len(values)))
            kind, raw = cell.get("t", "n"), cell.findtext(f"{_MAIN}v")
            formula = cell.find(f"{_MAIN}f")
            if formula is not None:
                values.append(Formula(f"={formula.text or ''}"))
                continue
            if kind == "s" and raw is not None:
                value = strings[int(raw)]
            elif kind == "inlineStr":
                value = "".join(t.text or "" for t in cell.iter(f"{_MAIN}t"))
            elif kind == "b" and raw is not None:
                value = raw == "1"
            elif kind in ("str", "e", "d"):
                value = raw
            elif not raw:
                value = None
            else:
                number_value = float(raw)
                value = int(number_value) if number_value.is_integer() else number_value
            values.append(value)
        while values and values[-1] is None:
            values.pop()
        rows.append(values)
    while rows and not rows[-1]:
        rows.pop()
    sheet = _Sheet(title, rows)
    merges = [
        tuple(coordinate_to_tuple(ref) for ref in merge.get("ref", "").split(":"))
        for merge in root.iter(f"{_MAIN}mergeCell")
        if ":" in merge.get("ref", "")
    ]
    sheet.merge([(c1, r1, c2, r2) for (r1, c1), (r2, c2) in merges])
    return sheet


def _header(sheet: _Sheet, columns: list[Column]) -> tuple[int, dict[str, int]]:
    """The header row's number and each known column's position: the row among the first ones
    naming most columns, where a header may be the cell itself or, for a two-row header, the
    merged cell above followed by it ("Kinh phí (đồng)" over "Hỗ trợ")."""
    best = (0, 1, {})
    for number, cells in enumerate(sheet.rows[:HEADER_SEARCH_ROWS], start=1):
        above = sheet.rows[number - 2] if number > 1 else []
        positions = {}
        for index, value in enumerate(cells):
            labels = {fold(text(value))}
            if index < len(above) and text(above[index]) and above[index] != value:
                labels.add(fold(f"{text(above[index])} {text(value)}"))
            labels |= {_without_unit(label) for label in labels}
            for col in columns:
                if col.key not in positions and labels & col.names():
                    positions[col.key] = index
        if len(positions) > best[0]:
            best = (len(positions), number, positions)
    return best[1], best[2]


def _sheet_rows(
    sheet: _Sheet, columns: list[Column], max_rows: int
) -> tuple[str, list[tuple[int, dict]], list[Problem]]:
    title = sheet.title
    header_row, positions = _header(sheet, columns)
    missing = [col.header for col in columns if col.required and col.key not in positions]
    if missing:
        problem = Problem(
            title,
            header_row,
            "",
            _("thiếu cột %(columns)s (tải mẫu để xem các cột)")
            % {"columns": ", ".join(f"'{m}'" for m in missing)},
        )
        return title, [], [problem]
    rows, problems = [], []
    for number, cells in enumerate(sheet.rows[header_row:], start=header_row + 1):
        raw = {}
        for key, index in positions.items():
            # A formula stays a Formula: parse_row reports it on its cell.
            raw[key] = cells[index] if index < len(cells) else None
        if all(text(v) == "" for v in raw.values()):
            continue
        rows.append((number, raw))
    if len(rows) > max_rows:
        problems.append(file_problem(_("Tệp có quá %(limit)s dòng dữ liệu.") % {"limit": max_rows}))
    return title, rows, problems


def read_rows(
    book, columns: list[Column], max_rows: int = MAX_ROWS
) -> tuple[str, list[tuple[int, dict]], list[Problem]]:
    """The data sheet's rows as {column key: raw value}, with its layout problems."""
    guide = guide_title()
    sheets = [ws for ws in book.worksheets if ws.title != guide]
    if not sheets:
        return "", [], [file_problem(_("Tệp không có trang dữ liệu."))]
    try:
        sheet = _Sheet.from_worksheet(sheets[0])
    finally:
        book.close()
    return _sheet_rows(sheet, columns, max_rows)


EXTENSIONS = (".xlsx", ".csv")


def estimate_rows(content: bytes, filename: str) -> int:
    """About how many rows a file has, without reading it: the lines of a CSV file, the
    dimension an XLSX file's first sheet declares (a file that declares none counts by its
    size, about 100 bytes a row). To decide whether to check it in the background."""
    if not filename.lower().endswith(".xlsx"):
        return content.count(b"\n")
    try:
        with (
            zipfile.ZipFile(io.BytesIO(content)) as archive,
            archive.open("xl/worksheets/sheet1.xml") as sheet,
        ):
            head = sheet.read(4096).decode("utf-8", "replace")
    except (KeyError, zipfile.BadZipFile):
        return 0
    match = re.search(r'<dimension ref="[A-Z]+\d+:[A-Z]+(\d+)"', head)
    return int(match.group(1)) if match else len(content) // 100


def read_file(
    content: bytes,
    filename: str,
    columns: list[Column],
    max_bytes: int = MAX_BYTES,
    max_rows: int = MAX_ROWS,
) -> tuple[str, list[tuple[int, dict]], list[Problem]]:
    """An XLSX or CSV file's data rows as {column key: raw value}, with its layout problems.
    Refused (ImportRefused) when too large, when the content is not what the name's extension
    says, or when unreadable. The sheet of a CSV file is named after the file."""
    if len(content) > max_bytes:
        raise _too_large(max_bytes)
    extension = "." + filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    found = _content_type(content)
    if extension == ".xls" or (found == "xls" and extension not in EXTENSIONS):
        raise ImportRefused(
            [file_problem(_("Tệp Excel 97–2003 (.xls) không đọc được: hãy lưu lại thành .xlsx."))]
        )
    if extension not in EXTENSIONS:
        raise ImportRefused(
            [
                file_problem(
                    _("Chỉ nhận tệp .xlsx hoặc .csv (tệp này là '%(name)s').") % {"name": filename}
                )
            ]
        )
    if extension == ".xlsx" and found != "xlsx":
        raise ImportRefused(
            [file_problem(_("Tệp có đuôi .xlsx nhưng không phải bảng tính Excel."))]
        )
    if extension == ".csv" and found != "text":
        raise ImportRefused([file_problem(_("Tệp có đuôi .csv nhưng không phải tệp văn bản CSV."))])
    if extension == ".xlsx":
        try:
            sheet = _lean_sheet(content, guide_title())
        except Exception:
            sheet = None
        if sheet is None:
            return read_rows(open_workbook(content, max_bytes), columns, max_rows)
        return _sheet_rows(sheet, columns, max_rows)
    rows = _csv_rows(decode_text(content))
    return _sheet_rows(_Sheet(filename, rows), columns, max_rows)


def parse_row(title: str, number: int, raw: dict, columns: list[Column], parsers: dict):
    """One row's values by column key, parsed by `parsers` (plain text where none is given),
    or the problems of its cells."""
    values, problems = {}, []
    for col in columns:
        if col.key not in raw and not col.required:
            # A column the file leaves out keeps what the register holds.
            continue
        value = raw.get(col.key)
        if isinstance(value, Formula):
            problems.append(
                Problem(
                    title,
                    number,
                    col.header,
                    _("ô chứa công thức; hãy ghi giá trị (dán bằng “Paste Values”)"),
                )
            )
            continue
        if col.required and text(value) == "":
            problems.append(Problem(title, number, col.header, _("không được để trống")))
            continue
        parser = parsers.get(col.key) or text
        try:
            values[col.key] = parser(value)
        except CellError as error:
            problems.append(Problem(title, number, col.header, str(error)))
    return values, problems
