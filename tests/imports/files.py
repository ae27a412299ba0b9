"""Files as officials send them, built in the tests: XLSX (with a title row, merged headers,
formulas) and CSV in UTF-8, UTF-8 with BOM, Windows-1258 and Windows-1252."""

import csv
import io
import unicodedata

from openpyxl import Workbook

from imports.kinds import REGISTRY


def headers(kind: str) -> list[str]:
    return [col.header for col in REGISTRY[kind].columns()]


def scheme_row(**overrides) -> dict:
    values = {
        "Mã đề án": "KCQG-TN-01",
        "Năm kế hoạch": 2019,
        "Tên đề án": "Hỗ trợ máy sấy chè Tân Cương",
        "Nguồn kinh phí": "Khuyến công quốc gia",
        "Loại đề án": "Đề án theo đối tượng cụ thể",
        "Tỉnh, thành phố": "Thái Nguyên",
        "Nội dung khuyến công": "3",
        "Ngành nghề": "a",
        "Đơn vị thực hiện": "IPC1",
        "Kinh phí hỗ trợ": "1.250.000.000",
        "Vốn đối ứng": "500.000.000",
        "Ngày bắt đầu": "01/03/2019",
        "Ngày kết thúc": "30/11/2019",
        "Trạng thái": "",
        "Số quyết định giao kế hoạch": "123/QĐ-BCT",
        "Mục tiêu, nội dung chính": "",
    }
    values.update(overrides)
    return values


def beneficiary_row(**overrides) -> dict:
    values = {
        "Mã số thuế / số đăng ký": "17A8000001",
        "Tên cơ sở": "Hộ kinh doanh chè Tân Cương",
        "Loại hình": "Hộ kinh doanh",
        "Tỉnh, thành phố": "Thái Nguyên",
        "Xã, phường": "Xã Tân Cương",
        "Ngành nghề": "a",
        "Quy mô": "Siêu nhỏ",
        "Số lao động": 12,
        "Do phụ nữ làm chủ": "Có",
        "Do người dân tộc thiểu số làm chủ": "Không",
        "Mã đề án": "KCQG-TN-01",
        "Năm kế hoạch": 2019,
    }
    values.update(overrides)
    return values


def xlsx(kind: str, rows: list[dict], title: str = "Dữ liệu", before: list | None = None) -> bytes:
    """An XLSX data sheet: optional rows above the header (a title), the header, the rows."""
    book = Workbook()
    sheet = book.active
    sheet.title = title
    for line in before or []:
        sheet.append(line)
    names = headers(kind)
    sheet.append(names)
    for row in rows:
        sheet.append([row.get(name) for name in names])
    return save(book)


def save(book) -> bytes:
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def csv_bytes(
    kind: str, rows: list[dict], encoding: str = "utf-8", delimiter: str = ",", bom: bool = False
) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter)
    names = headers(kind)
    writer.writerow(names)
    for row in rows:
        writer.writerow(["" if row.get(n) is None else row.get(n) for n in names])
    text = out.getvalue()
    data = _cp1258(text) if encoding == "cp1258" else text.encode(encoding)
    return (b"\xef\xbb\xbf" if bom else b"") + data


def _cp1258(text: str) -> bytes:
    """Encode to Windows-1258 the way Excel does: base letters of the code page plus combining
    tone marks."""
    out = bytearray()
    for char in text:
        try:
            out += char.encode("cp1258")
        except UnicodeEncodeError:
            decomposed = unicodedata.normalize("NFD", char)
            base, marks = decomposed[0], decomposed[1:]
            composed = unicodedata.normalize(
                "NFC", base + "".join(m for m in marks if m in "\u0302\u0306\u031b")
            )
            tone = "".join(m for m in marks if m not in "\u0302\u0306\u031b")
            out += composed.encode("cp1258") + tone.encode("cp1258")
    return bytes(out)
