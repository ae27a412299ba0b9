"""Exports of the scheme list: exactly the filtered rows, in the list's order, with Vietnamese
headers, amounts in đồng, the filters and province map stated, formulas neutralised; a province
exports only its own schemes."""

import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from projects.models import Fund, Scheme
from provinces.models import Province
from tests.factories import AllocationFactory, ContractFactory, DisbursementFactory, SchemeFactory

D = datetime.date
M = 1_000_000
CSV = reverse("projects:scheme-export", args=["csv"])
XLSX = reverse("projects:scheme-export", args=["xlsx"])
INJECTION = '=HYPERLINK("http://example.com/x","Bấm vào đây")'


def make(code, province="19", amount=500, paid=0, title=None, **fields):
    scheme = SchemeFactory(
        code=code,
        title=title or f"Đề án {code}",
        province=Province.objects.get(code=province, map_version="63"),
        **fields,
    )
    allocation = AllocationFactory(scheme=scheme, amount=Decimal(amount * M))
    contract = ContractFactory(allocation=allocation, signed_on=D(scheme.plan_year, 3, 15))
    if paid:
        DisbursementFactory(contract=contract, kind="payment", amount=Decimal(paid * M))
    return scheme


@pytest.fixture
def schemes(db):
    return [
        make("A-TN", amount=800, paid=800),
        make("B-BK", province="06", amount=600, paid=100),
        make("C-HN", province="01", amount=1000, paid=0, title=INJECTION),
        make("D-HN", province="01", amount=300, paid=300, title="-1+2 @cộng"),
        make("E-LOCAL", province="01", amount=200, fund=Fund.LOCAL),
        make("F-2020", plan_year=2020),
    ]


@pytest.fixture
def client_bo(client, ministry_user):
    client.force_login(ministry_user)
    return client


def read_csv(response) -> tuple[str, list[list[str]]]:
    assert response.streaming
    raw = b"".join(response.streaming_content)
    assert raw.startswith(b"\xef\xbb\xbf")
    text = raw.decode("utf-8-sig")
    return text, list(csv.reader(io.StringIO(text)))


def read_xlsx(response):
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    workbook = load_workbook(io.BytesIO(response.content))
    return workbook.active


def test_anonymous_visitors_are_sent_to_sign_in(client, schemes):
    for address in (CSV, XLSX):
        response = client.get(address, {"year": 2019})
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))


def test_csv_has_bom_title_headers_and_exactly_the_filtered_rows(client_bo, schemes):
    response = client_bo.get(CSV, {"year": 2019, "fund": "national", "sort": "-approved"})
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="de-an-khuyen-cong-2019.csv"' in response["Content-Disposition"]
    _text, lines = read_csv(response)
    title, header, *rows = lines
    assert "Năm: 2019" in title[0]
    assert "Nguồn: Khuyến công quốc gia" in title[0]
    assert "Bản đồ tỉnh: 63 tỉnh, thành (trước 01/07/2025)" in title[0]
    assert "Số liệu tính đến ngày: 31/12/2019" in title[0]
    assert header[:9] == [
        "Mã đề án",
        "Tên đề án",
        "Năm",
        "Nguồn",
        "Loại đề án",
        "Trạng thái",
        "Tỉnh, thành phố",
        "Mã tỉnh (GSO)",
        "Đơn vị mới (34 tỉnh)",
    ]
    # The list's order: approved, largest first.
    assert [row[0] for row in rows] == ["C-HN", "A-TN", "B-BK", "D-HN"]
    by_code = {row[0]: dict(zip(header, row, strict=True)) for row in rows}
    bac_kan = by_code["B-BK"]
    assert bac_kan["Tỉnh, thành phố"] == "Tỉnh Bắc Kạn"
    assert bac_kan["Đơn vị mới (34 tỉnh)"] == "Tỉnh Thái Nguyên"
    assert bac_kan["Năm"] == "2019"
    assert bac_kan["Kinh phí được duyệt (đồng)"] == "600000000"
    assert bac_kan["Đã ký hợp đồng (đồng)"] == "600000000"
    assert bac_kan["Đã giải ngân (đồng)"] == "100000000"
    assert bac_kan["Tỷ lệ giải ngân (%)"] == "16.67"
    assert bac_kan["Chậm tiến độ"] == "Có"
    assert bac_kan["Ngày bắt đầu"] == "01/03/2019"


def test_csv_rows_are_the_lists_rows(client_bo, schemes):
    params = {"year": 2019, "province": "19", "map": "34"}
    listed = client_bo.get(reverse("projects:scheme-list"), params).context["table"]
    codes = [row.record.code for row in listed.page.object_list]
    _text, (_title, _header, *rows) = read_csv(client_bo.get(CSV, params))
    assert [row[0] for row in rows] == codes == ["A-TN", "B-BK"]


def test_formula_injection_is_neutralised(client_bo, schemes):
    _text, (_title, _header, *rows) = read_csv(client_bo.get(CSV, {"year": 2019}))
    titles = {row[0]: row[1] for row in rows}
    assert titles["C-HN"] == "'" + INJECTION
    assert titles["D-HN"] == "'-1+2 @cộng"
    assert titles["A-TN"] == "Đề án A-TN"
    sheet = read_xlsx(client_bo.get(XLSX, {"year": 2019}))
    values = {row[0]: row[1] for row in sheet.iter_rows(min_row=4, values_only=True)}
    assert values["C-HN"] == "'" + INJECTION
    assert values["D-HN"] == "'-1+2 @cộng"


def test_xlsx_has_the_same_rows_with_number_formats(client_bo, schemes):
    params = {"year": 2019, "sort": "code"}
    _text, (_title, csv_header, *csv_rows) = read_csv(client_bo.get(CSV, params))
    response = client_bo.get(XLSX, params)
    assert 'filename="de-an-khuyen-cong-2019.xlsx"' in response["Content-Disposition"]
    sheet = read_xlsx(response)
    assert sheet["A1"].value == "Danh sách đề án khuyến công"
    assert sheet["A1"].font.bold
    assert "Bản đồ tỉnh: 63 tỉnh, thành" in sheet["A2"].value
    header = [cell.value for cell in sheet[3]]
    assert header == csv_header
    assert all(cell.font.bold for cell in sheet[3])
    rows = list(sheet.iter_rows(min_row=4))
    assert [row[0].value for row in rows] == [row[0] for row in csv_rows]
    assert [row[0].value for row in rows] == ["A-TN", "B-BK", "C-HN", "D-HN", "E-LOCAL"]
    column = {name: index for index, name in enumerate(header)}
    first = rows[0]
    approved = first[column["Kinh phí được duyệt (đồng)"]]
    assert approved.value == 800 * M
    assert approved.number_format == "#,##0"
    rate = first[column["Tỷ lệ giải ngân (%)"]]
    assert rate.value == 100.0
    assert rate.number_format == "0.00"
    assert first[column["Năm"]].value == 2019
    assert first[column["Ngày bắt đầu"]].value.date() == D(2019, 3, 1)
    assert sheet.column_dimensions["B"].width >= 40
    assert sheet.freeze_panes == "C4"


def test_a_province_exports_only_its_own(client, schemes, thai_nguyen_user, ha_noi_user):
    client.force_login(thai_nguyen_user)
    _text, (_title, _header, *rows) = read_csv(client.get(CSV, {"year": 2019}))
    assert sorted(row[0] for row in rows) == ["A-TN", "B-BK"]
    sheet = read_xlsx(client.get(XLSX, {"year": 2019, "province": "01", "map": "63"}))
    assert list(sheet.iter_rows(min_row=4, values_only=True)) == []
    client.force_login(ha_noi_user)
    sheet = read_xlsx(client.get(XLSX, {"year": 2019}))
    assert sorted(row[0] for row in sheet.iter_rows(min_row=4, values_only=True)) == [
        "C-HN",
        "D-HN",
        "E-LOCAL",
    ]


def test_filters_apply_to_exports(client_bo, schemes):
    _text, (_t, _h, *rows) = read_csv(client_bo.get(CSV, {"year": 2019, "disbursed": 0}))
    assert sorted(row[0] for row in rows) == ["C-HN", "E-LOCAL"]
    _text, (title, _h, *rows) = read_csv(client_bo.get(CSV, {"year": 2019, "q": "de an a-tn"}))
    assert [row[0] for row in rows] == ["A-TN"]
    assert "Tìm kiếm: “de an a-tn”" in title[0]


def test_bad_format_or_parameters(client_bo, schemes):
    assert client_bo.get(reverse("projects:scheme-export", args=["pdf"])).status_code == 404
    response = client_bo.get(CSV, {"year": 2019, "province": "19"})
    assert response.status_code == 400
    assert "bản đồ" in response.content.decode()


def test_export_streams_in_chunks_with_a_fixed_number_of_queries(client_bo, schemes):
    def count():
        with CaptureQueriesContext(connection) as queries:
            read_csv(client_bo.get(CSV, {"year": 2019}))
        return len(queries)

    before = count()
    for index in range(6):
        make(f"G-{index}", paid=100)
    assert count() == before
    assert Scheme.objects.filter(plan_year=2019).count() == 11
