"""Spreadsheets of contracts and ledger entries built with openpyxl, and the path a file takes
through an import kind: read (core.sheets), check, then every planned row written in one
transaction, as the import framework does; and the undo of what was written."""

import datetime
import io
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from openpyxl import Workbook

from core.sheets import ImportRefused, Result, open_workbook, read_rows

D = datetime.date
MILLION = Decimal(1_000_000)


def workbook(headers: list[str], rows: list[list], title: str = "Dữ liệu") -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = title
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def file_of(kind, *rows: dict) -> bytes:
    """A file with every column of `kind`, one row per dict of {header: value}."""
    headers = [col.header for col in kind.columns()]
    return workbook(headers, [[row.get(h, "") for h in headers] for row in rows])


def check(kind, user, content: bytes) -> Result:
    """Read and check a file; writes nothing."""
    kind.may_import(user)
    result = Result(kind=kind.name)
    try:
        book = open_workbook(content)
    except ImportRefused as refused:
        result.problems = refused.problems
        return result
    title, rows, problems = read_rows(book, kind.columns())
    result.problems += problems
    kind.check(user, title, rows, result)
    result.problems.sort(key=lambda p: p.row or 0)
    return result


def problems(kind, user, content: bytes) -> list[str]:
    return [str(problem) for problem in check(kind, user, content).problems]


def write(kind, user, result: Result) -> list:
    """Write every planned row of a checked file in one transaction: all of them, or, at the
    first refusal of a service, none (the ValidationError goes up). Returns the (record, action)
    pairs written."""
    written = []
    with transaction.atomic():
        for planned in result.rows:
            if planned.action != "same":
                written.append((kind.write(user, planned), planned.action))
    return written


def run(kind, user, content: bytes) -> tuple[Result, list]:
    """Check a file, then write it; the check must pass."""
    result = check(kind, user, content)
    assert result.ok, [str(p) for p in result.problems]
    return result, write(kind, user, result)


def undo(kind, user, written: list) -> None:
    """Undo a whole import, the last row first, in one transaction."""
    with transaction.atomic():
        for record, action in reversed(written):
            kind.undo(user, record, action)


def refused(kind, user, result: Result) -> list[str]:
    """The messages of a checked file whose writing a service refuses."""
    try:
        write(kind, user, result)
    except ValidationError as error:
        return error.messages
    raise AssertionError("the import was not refused")
