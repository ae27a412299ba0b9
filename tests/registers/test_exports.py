"""The register lists' exports, CSV and XLSX: exactly the rows of the list as filtered, in the
list's order, with Vietnamese headers, the province map printed whether or not it was chosen,
formulas neutralised, and a query count that does not grow with the rows."""

import csv
import io

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import IndustrialClusterFactory, PromotionEventFactory
from tests.registers.test_views import national, old, products  # noqa: F401 - the fixture

pytestmark = pytest.mark.django_db


def read_csv(response) -> tuple[str, list[str], list[list[str]]]:
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    raw = b"".join(response.streaming_content)
    assert raw.startswith(b"\xef\xbb\xbf")
    title, header, *rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    return title[0], header, rows


def read_xlsx(response) -> tuple[str, list[str], list[tuple]]:
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    header = [cell.value for cell in sheet[3]]
    return sheet["A2"].value, header, list(sheet.iter_rows(min_row=4, values_only=True))


@pytest.fixture
def signed_in(client, ministry_user):
    client.force_login(ministry_user)
    return client


def test_products_csv_and_xlsx_are_the_lists_rows(signed_in, national):  # noqa: F811
    products(national, 2, province="19")
    products(national, 1, province="06", name="=Chè Bắc Kạn")
    products(national, 1, province="01")
    params = {"map": "34", "province": "19", "sort": "-name"}
    listed = signed_in.get(reverse("registers:product-list"), params).context["table"]
    names = [row.record.name for row in listed.page.object_list]
    assert len(names) == 3

    title, header, rows = read_csv(
        signed_in.get(reverse("registers:product-export", args=["csv"]), params)
    )
    assert header[:3] == ["Sản phẩm, bộ sản phẩm", "Bộ sản phẩm", "Nhóm"]
    assert [row[0] for row in rows] == [
        "'" + name if name.startswith("=") else name for name in names
    ]
    assert "Bản đồ tỉnh: 34 tỉnh, thành (từ 01/07/2025)" in title
    assert "Tỉnh, thành: Thái Nguyên" in title

    xlsx_title, xlsx_header, xlsx_rows = read_xlsx(
        signed_in.get(reverse("registers:product-export", args=["xlsx"]), params)
    )
    assert xlsx_header == header
    assert [row[0] for row in xlsx_rows] == [row[0] for row in rows]
    award = header.index("Tiền thưởng đã chi (đồng)")
    assert all(isinstance(row[award], int) for row in xlsx_rows)
    assert xlsx_title in title


def test_the_map_is_printed_when_none_was_chosen(signed_in):
    IndustrialClusterFactory(province=old("19"))
    for file_format in ("csv", "xlsx"):
        response = signed_in.get(reverse("registers:cluster-export", args=[file_format]))
        title = (read_csv if file_format == "csv" else read_xlsx)(response)[0]
        assert "Bản đồ tỉnh: 34 tỉnh, thành (từ 01/07/2025)" in title


@pytest.mark.parametrize(
    ("name", "make"),
    [
        ("cluster", lambda n: IndustrialClusterFactory(province=old("19"), name=f"Cụm {n}")),
        (
            "event",
            lambda n: PromotionEventFactory(host_province=old("19"), name=f"Hội chợ {n}"),
        ),
    ],
)
def test_csv_takes_the_same_queries_whatever_the_rows(signed_in, name, make):
    url = reverse(f"registers:{name}-export", args=["csv"])
    params = {"map": "63", "year": "2020"} if name == "event" else {"map": "63"}

    def queries() -> tuple[int, int]:
        with CaptureQueriesContext(connection) as captured:
            _title, _header, rows = read_csv(signed_in.get(url, params))
        return len(captured), len(rows)

    for n in range(2):
        make(n)
    before, count = queries()
    assert count == 2
    for n in range(2, 8):
        make(n)
    after, count = queries()
    assert (after, count) == (before, 8)


def test_the_public_catalogue_exports_csv_to_anyone(client, national):  # noqa: F811
    products(national, 2)
    title, header, rows = read_csv(client.get(reverse("registers:catalogue-export", args=["csv"])))
    assert "Điểm bình quân" not in header
    assert len(rows) == 2
    assert "trang công khai" in title
    assert client.get(reverse("registers:catalogue-export", args=["pdf"])).status_code == 404
