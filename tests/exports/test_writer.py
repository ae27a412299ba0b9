"""The shared writer (core.exports): formula neutralisation in one place for CSV and XLSX, with
numbers left as numbers; the province map always in the title. No database."""

import csv
import datetime
import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from core.exports import Column, ExportSource, csv_lines, csv_text, neutralise, xlsx_bytes

HOSTILE = [
    '=HYPERLINK("http://example.com/x","Bấm")',
    "-5+1",
    "+84 912 345 678",
    "@SUM(A1:A9)",
    "\t=1+1",
    "\r=1+1",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_text_that_looks_like_a_formula_gets_an_apostrophe(text):
    assert neutralise(text) == "'" + text


@pytest.mark.parametrize(
    "value", [-5, 0, 17, Decimal(-5), Decimal("-1.50"), -2.5, None, datetime.date(2019, 12, 31)]
)
def test_numbers_dates_and_blanks_pass_unchanged(value):
    assert neutralise(value) == value


@pytest.mark.parametrize("text", ["Đề án A", "5-1", "a=b", "Hà Nội @ 2019", "'quoted"])
def test_ordinary_text_passes_unchanged(text):
    assert neutralise(text) == text


def _source(records) -> ExportSource:
    return ExportSource(
        heading="Bảng thử",
        filters=["Năm: 2019"],
        map_label="34 tỉnh, thành (từ 01/07/2025)",
        records=records,
        columns=[
            Column("Tên", "text", 20, lambda r: r[0]),
            Column("Số tiền (đồng)", "money", 14, lambda r: r[1]),
            Column("Tỷ lệ (%)", "rate", 8, lambda r: r[2]),
            Column("Ngày", "date", 12, lambda r: r[3]),
        ],
        filename="thu",
        by="Cán bộ",
        generated=datetime.datetime(2026, 11, 28, 9, 5),  # noqa: DTZ001 - printed as given
    )


RECORDS = [
    ("=1+1", -5, -12.5, datetime.date(2019, 12, 31)),
    ("-5+1", Decimal(-5), None, None),
    ("@SUM(A1)", 1_000_000, 96.61, datetime.date(2020, 1, 2)),
    ("Bình thường", 0, 0.0, None),
]


def test_csv_neutralises_text_and_keeps_numbers_signed():
    text = "".join(csv_lines(_source(RECORDS)))
    assert text.startswith("\ufeff")
    title, header, *rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))
    assert title == [
        "Bảng thử – Năm: 2019; Bản đồ tỉnh: 34 tỉnh, thành (từ 01/07/2025); "
        "xuất lúc 09:05 28/11/2026 bởi Cán bộ"
    ]
    assert header == ["Tên", "Số tiền (đồng)", "Tỷ lệ (%)", "Ngày"]
    assert rows == [
        ["'=1+1", "-5", "-12.50", "31/12/2019"],
        ["'-5+1", "-5", "", ""],
        ["'@SUM(A1)", "1000000", "96.61", "02/01/2020"],
        ["Bình thường", "0", "0.00", ""],
    ]
    assert csv_text(-5, "money") == "-5"


def test_xlsx_keeps_negative_numbers_numeric_and_text_inert():
    sheet = load_workbook(io.BytesIO(xlsx_bytes(_source(RECORDS)))).active
    assert sheet["A1"].value == "Bảng thử"
    assert "Bản đồ tỉnh: 34 tỉnh, thành (từ 01/07/2025)" in sheet["A2"].value
    rows = list(sheet.iter_rows(min_row=4))
    names = [row[0] for row in rows]
    assert [cell.value for cell in names] == ["'=1+1", "'-5+1", "'@SUM(A1)", "Bình thường"]
    assert all(cell.data_type == "s" for cell in names)  # no formula cell anywhere
    amounts = [row[1] for row in rows]
    assert [cell.value for cell in amounts] == [-5, -5, 1_000_000, 0]
    assert all(cell.data_type == "n" and cell.number_format == "#,##0" for cell in amounts)
    assert rows[0][2].value == -12.5 and rows[0][2].data_type == "n"
    assert rows[0][3].value.date() == datetime.date(2019, 12, 31)
    formulas = [cell for row in sheet.iter_rows() for cell in row if cell.data_type == "f"]
    assert formulas == []


def test_the_map_is_printed_once_even_if_a_filter_names_it():
    source = _source([])
    source.filters = ["Năm: 2019", "Bản đồ tỉnh: 34 tỉnh, thành (từ 01/07/2025)"]
    assert source.title()[1].count("Bản đồ tỉnh") == 1
