"""The finance screen's contract list as CSV and XLSX: exactly the contracts the list shows
for the user and the search, with the ledger sums, the province (and its new unit), formulas
neutralised; the ledger's scope applies; the query count does not grow with the contracts."""

import csv
import io
from decimal import Decimal

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from budgets.services import disbursement_record
from projects.models import Fund
from tests.budgets.test_entry_views import D, M, _contract, users  # noqa: F401 - the fixture

pytestmark = pytest.mark.django_db

CSV = reverse("budgets:contract-export", args=["csv"])
XLSX = reverse("budgets:contract-export", args=["xlsx"])


def read_csv(response):
    raw = b"".join(response.streaming_content)
    title, header, *rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    return title[0], header, rows


@pytest.fixture
def contracts(users):  # noqa: F811
    first = _contract("KCQG-TN-01", Fund.NATIONAL, "19", "15/2019/HĐ-KCQG")
    disbursement_record(
        contract=first,
        by=users["bo"],
        kind="payment",
        amount=Decimal(250 * M),
        paid_on=D(2019, 4, 2),
        voucher_number="UNC-1",
    )
    _contract("KCQG-BK-02", Fund.NATIONAL, "06", "=2/2019/HĐ", title="-1+2 máy dệt")
    _contract("KCĐP-TN-03", Fund.LOCAL, "19", "07/2019/HĐ-KCĐP")
    return first


def test_the_file_is_the_lists_contracts(client, users, contracts):  # noqa: F811
    client.force_login(users["bo"])
    listed = client.get(reverse("budgets:contract-list"), {"q": "2019"})
    assert 'href="/tai-chinh/xuat/csv/?q=2019"' in listed.text
    numbers = [c.number for c in listed.context["page"].object_list]
    title, header, rows = read_csv(client.get(CSV, {"q": "2019"}))
    assert [row[header.index("Số hợp đồng / quyết định")] for row in rows] == [
        "'" + n if n.startswith("=") else n for n in numbers
    ]
    assert len(rows) == 2  # the ministry records the national fund only
    assert "Tìm kiếm: “2019”" in title and "Bản đồ tỉnh:" in title
    by_code = {row[0]: row for row in rows}
    assert by_code["KCQG-TN-01"][header.index("Đã giải ngân (đồng)")] == str(250 * M)
    assert by_code["KCQG-TN-01"][header.index("Còn lại (đồng)")] == str(750 * M)
    assert by_code["KCQG-BK-02"][1] == "'-1+2 máy dệt"
    assert (
        by_code["KCQG-BK-02"][header.index("Đơn vị mới (34 tỉnh)")]
        == by_code["KCQG-TN-01"][header.index("Đơn vị mới (34 tỉnh)")]
    )

    sheet = openpyxl.load_workbook(io.BytesIO(client.get(XLSX, {"q": "2019"}).content)).active
    assert [cell.value for cell in sheet[3]] == header
    xlsx_rows = list(sheet.iter_rows(min_row=4, values_only=True))
    assert [row[0] for row in xlsx_rows] == [row[0] for row in rows]
    assert xlsx_rows[[r[0] for r in xlsx_rows].index("KCQG-TN-01")][-1] == 750 * M


def test_the_ledgers_scope_applies(client, users, contracts):  # noqa: F811
    client.force_login(users["tinh19"])
    _title, _header, rows = read_csv(client.get(CSV))
    assert [row[0] for row in rows] == ["KCĐP-TN-03"]
    client.force_login(users["tinh01"])
    assert read_csv(client.get(CSV))[2] == []
    client.force_login(users["pheduyet"])
    assert client.get(CSV).status_code == 403
    assert client.get(reverse("budgets:contract-export", args=["pdf"])).status_code == 404


def test_query_count_does_not_grow(client, users, contracts):  # noqa: F811
    client.force_login(users["bo"])

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            read_csv(client.get(CSV))
        return len(captured)

    before = queries()
    for index in range(5):
        _contract(f"KCQG-X-{index}", Fund.NATIONAL, "01", f"{index}/2019/HĐ")
    assert queries() == before
