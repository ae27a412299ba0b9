"""The corpus of bad inputs: each one refused with its exact Vietnamese message, naming the row
and the column, and nothing written."""

import io
import zipfile
from decimal import Decimal

import pytest
from openpyxl import Workbook

from budgets.models import Allocation, Envelope
from establishments.models import Establishment
from imports import services
from imports.kinds import REGISTRY
from imports.models import ImportBatch
from organisations.models import Organisation
from projects.models import Fund, Scheme
from provinces.models import Province
from tests import factories
from tests.imports import files

pytestmark = pytest.mark.django_db

MONEY = "Kinh phí hỗ trợ"
CHOICES_FUND = "Khuyến công quốc gia; Khuyến công địa phương; Quốc gia; Địa phương"
CHOICES_KIND = "Đề án điểm; Đề án nhóm; Đề án theo đối tượng cụ thể; Điểm; Nhóm; Theo đối tượng"
CHOICES_SIZE = "Siêu nhỏ; Nhỏ; Vừa"


def problems(user, kind, content, filename="tep.xlsx") -> list[str]:
    result = services.check_file(kind=REGISTRY[kind], content=content, filename=filename, user=user)
    return [str(p) for p in result.problems]


SCHEME_CELLS = [
    ({MONEY: "1,5 tỷ"}, f"Dòng 2, cột '{MONEY}': '1,5 tỷ' không phải số tiền hợp lệ"),
    (
        {MONEY: "-1.000.000"},
        f"Dòng 2, cột '{MONEY}': '-1.000.000' không phải số tiền hợp lệ: số tiền không được âm.",
    ),
    (
        {MONEY: "1.250.000,5"},
        f"Dòng 2, cột '{MONEY}': '1.250.000,5' không phải số tiền hợp lệ: tiền đồng không có "
        "phần lẻ, nhập số nguyên đồng, ví dụ 1.250.000.000.",
    ),
    ({MONEY: 1250000.5}, f"Dòng 2, cột '{MONEY}': '1250000.5' không phải số tiền hợp lệ"),
    (
        {MONEY: "1.25.000"},
        f"Dòng 2, cột '{MONEY}': '1.25.000' không phải số tiền hợp lệ: dấu chấm chỉ dùng để "
        "tách từng nhóm 3 chữ số, ví dụ 1.250.000.000.",
    ),
    ({MONEY: ""}, f"Dòng 2, cột '{MONEY}': không được để trống"),
    (
        {"Vốn đối ứng": "năm trăm triệu"},
        "Dòng 2, cột 'Vốn đối ứng': 'năm trăm triệu' không phải số tiền hợp lệ",
    ),
    (
        {"Năm kế hoạch": "hai nghìn"},
        "Dòng 2, cột 'Năm kế hoạch': 'hai nghìn' không phải số nguyên hợp lệ",
    ),
    ({"Năm kế hoạch": 1999}, "Dòng 2, cột 'Năm kế hoạch': năm kế hoạch phải từ 2012 đến 2100"),
    (
        {"Ngày bắt đầu": "2019-03-01"},
        "Dòng 2, cột 'Ngày bắt đầu': '2019-03-01' không phải ngày hợp lệ: viết ngày/tháng/năm, "
        "ví dụ 31/12/2026.",
    ),
    (
        {"Ngày bắt đầu": "31/02/2019"},
        "Dòng 2, cột 'Ngày bắt đầu': '31/02/2019' không phải ngày hợp lệ: tháng 2 năm 2019 không "
        "có ngày 31 (viết ngày/tháng/năm, ví dụ 31/12/2026).",
    ),
    (
        {"Ngày bắt đầu": 12},
        "Dòng 2, cột 'Ngày bắt đầu': '12' không phải ngày hợp lệ: viết ngày/tháng/năm, ví dụ "
        "31/12/2019",
    ),
    (
        {"Ngày bắt đầu": "01/03/2018"},
        "Dòng 2, cột 'Ngày bắt đầu': ngày 01/03/2018 ngoài năm kế hoạch 2019",
    ),
    (
        {"Ngày kết thúc": "15/01/2020"},
        "Dòng 2, cột 'Ngày kết thúc': ngày 15/01/2020 ngoài năm kế hoạch 2019 (chỉ đề án điểm "
        "kéo dài sang năm sau)",
    ),
    (
        {"Ngày kết thúc": "01/02/2019"},
        "Dòng 2, cột 'Ngày kết thúc': trước ngày bắt đầu 01/03/2019",
    ),
    (
        {"Tỉnh, thành phố": "Thái Lan"},
        "Dòng 2, cột 'Tỉnh, thành phố': không có tỉnh, thành phố nào tên 'Thái Lan'",
    ),
    (
        {"Nội dung khuyến công": "Nội dung lạ"},
        "Dòng 2, cột 'Nội dung khuyến công': không có nội dung khuyến công 'Nội dung lạ' trong "
        "danh mục áp dụng năm 2019",
    ),
    (
        {"Nội dung khuyến công": "3; 12"},
        "Dòng 2, cột 'Nội dung khuyến công': không có nội dung khuyến công '12' trong danh mục "
        "áp dụng năm 2019",
    ),
    ({"Ngành nghề": "z"}, "Dòng 2, cột 'Ngành nghề': không có ngành nghề 'z' trong danh mục"),
    (
        {"Ngành nghề": "h"},
        "Dòng 2, cột 'Ngành nghề': ngành nghề 'h' không áp dụng ngày 01/03/2019",
    ),
    (
        {"Đơn vị thực hiện": "Trung tâm XYZ"},
        "Dòng 2, cột 'Đơn vị thực hiện': không có cơ quan, đơn vị nào tên 'Trung tâm XYZ'",
    ),
    (
        {"Nguồn kinh phí": "Ngân sách tỉnh"},
        f"Dòng 2, cột 'Nguồn kinh phí': 'Ngân sách tỉnh' không có trong danh sách: {CHOICES_FUND}",
    ),
    (
        {"Loại đề án": "Đề án lớn"},
        f"Dòng 2, cột 'Loại đề án': 'Đề án lớn' không có trong danh sách: {CHOICES_KIND}",
    ),
    (
        {"Trạng thái": "Đã quyết toán"},
        "Dòng 2, cột 'Trạng thái': 'Đã quyết toán': chỉ nhập đề án đã phê duyệt hoặc chưa phê "
        "duyệt; các bước sau (hợp đồng, giải ngân…) ghi theo quy trình",
    ),
    (
        {"Số quyết định giao kế hoạch": ""},
        "Dòng 2, cột 'Số quyết định giao kế hoạch': đề án đã phê duyệt cần số quyết định giao "
        "kế hoạch",
    ),
    (
        {"Số quyết định giao kế hoạch": "999/QĐ-BCT"},
        "Dòng 2, cột 'Số quyết định giao kế hoạch': không có đợt giao kế hoạch nào năm 2019 "
        "(Khuyến công quốc gia) theo quyết định '999/QĐ-BCT'",
    ),
    (
        {"Nguồn kinh phí": "Địa phương"},
        "Dòng 2, cột 'Số quyết định giao kế hoạch': không có đợt giao kế hoạch nào năm 2019 "
        "(Khuyến công địa phương) theo quyết định '123/QĐ-BCT'",
    ),
    (
        {MONEY: "20.000.000.000"},
        f"Dòng 2, cột '{MONEY}': Không thể duyệt 20.000.000.000 đồng cho đề án KCQG-TN-01: kế "
        "hoạch Kế hoạch khuyến công quốc gia năm 2019 chỉ còn 10.000.000.000 đồng chưa phân bổ.",
    ),
    ({"Mã đề án": ""}, "Dòng 2, cột 'Mã đề án': không được để trống"),
]


@pytest.mark.parametrize(("overrides", "expected"), SCHEME_CELLS)
def test_a_bad_scheme_cell_is_named_by_row_and_column(ministry, plan, overrides, expected):
    content = files.xlsx("schemes", [files.scheme_row(**overrides)])
    assert problems(ministry, "schemes", content) == [expected]
    _, result = services.import_file(
        kind="schemes", content=content, filename="tep.xlsx", user=ministry
    )
    assert not result.ok
    assert not Scheme.objects.exists()


def test_over_the_province_envelope(ministry, plan):
    Envelope.objects.create(
        plan=plan,
        province=Province.objects.get(code="19", map_version="63"),
        amount=Decimal(1_000_000_000),
    )
    content = files.xlsx("schemes", [files.scheme_row()])
    assert problems(ministry, "schemes", content) == [
        f"Dòng 2, cột '{MONEY}': Không thể duyệt 1.250.000.000 đồng cho đề án KCQG-TN-01: hạn "
        "mức Tỉnh Thái Nguyên – 2019 là 1.000.000.000 đồng, chỉ còn 1.000.000.000 đồng chưa "
        "duyệt."
    ]


def test_the_money_chain_is_counted_over_the_whole_file(ministry, plan):
    rows = [
        files.scheme_row(**{"Mã đề án": f"KC-{n}", MONEY: "4.000.000.000"}) for n in range(1, 4)
    ]
    assert problems(ministry, "schemes", files.xlsx("schemes", rows)) == [
        f"Dòng 4, cột '{MONEY}': Không thể duyệt 4.000.000.000 đồng cho đề án KC-3: kế hoạch "
        "Kế hoạch khuyến công quốc gia năm 2019 chỉ còn 2.000.000.000 đồng chưa phân bổ."
    ]


def test_a_duplicate_key_in_the_file(ministry, plan):
    content = files.xlsx("schemes", [files.scheme_row(), files.scheme_row(**{MONEY: "1"})])
    assert problems(ministry, "schemes", content) == [
        "Dòng 3, cột 'Mã đề án': trùng với dòng 2 (cùng mã đề án, cùng năm)"
    ]


def test_a_formula_is_refused(ministry, plan):
    book = Workbook()
    sheet = book.active
    names = files.headers("schemes")
    sheet.append(names)
    row = files.scheme_row(**{MONEY: "=1000000*1250"})
    sheet.append([row[n] for n in names])
    assert problems(ministry, "schemes", files.save(book)) == [
        f"Dòng 2, cột '{MONEY}': ô chứa công thức; hãy ghi giá trị (dán bằng “Paste Values”)"
    ]


def test_a_formula_in_a_csv_file_is_refused(ministry, plan):
    content = files.csv_bytes("schemes", [files.scheme_row(**{"Vốn đối ứng": "=A1+B1"})])
    assert problems(ministry, "schemes", content, "tep.csv") == [
        "Dòng 2, cột 'Vốn đối ứng': ô chứa công thức; hãy ghi giá trị (dán bằng “Paste Values”)"
    ]


def test_another_province_is_refused_to_a_province_user(thai_nguyen, plan):
    content = files.xlsx("schemes", [files.scheme_row(**{"Tỉnh, thành phố": "Hà Nội"})])
    assert problems(thai_nguyen, "schemes", content) == [
        "Dòng 2, cột 'Tỉnh, thành phố': Thành phố Hà Nội không thuộc tỉnh của bạn"
    ]


def test_an_existing_scheme_keeps_its_fund(ministry, plan):
    factories.SchemeFactory(code="KCQG-TN-01", plan_year=2019, fund=Fund.LOCAL)
    content = files.xlsx("schemes", [files.scheme_row()])
    assert problems(ministry, "schemes", content) == [
        "Dòng 2, cột 'Nguồn kinh phí': đề án KCQG-TN-01 năm 2019 đã có với giá trị khác "
        "(Khuyến công địa phương); không đổi được bằng nhập tệp"
    ]


def test_an_existing_scheme_keeps_its_status(ministry, plan):
    factories.SchemeFactory(
        code="KCQG-TN-01",
        plan_year=2019,
        status=Scheme.Status.SUBMITTED,
        implementing_unit=Organisation.objects.get(short_name="IPC1"),
    )
    content = files.xlsx("schemes", [files.scheme_row()])
    assert problems(ministry, "schemes", content) == [
        "Dòng 2, cột 'Trạng thái': đề án KCQG-TN-01 năm 2019 đang ở trạng thái “Đã gửi Sở Công "
        "Thương”; trạng thái đổi theo quy trình, không qua nhập tệp"
    ]


def test_support_cannot_fall_below_the_contract(ministry, plan):
    scheme = factories.SchemeFactory(
        code="KCQG-TN-01",
        plan_year=2019,
        implementing_unit=Organisation.objects.get(short_name="IPC1"),
    )
    allocation = Allocation.objects.create(
        plan=plan, batch=plan.batches.get(), scheme=scheme, amount=Decimal(1_250_000_000)
    )
    factories.ContractFactory(allocation=allocation, value=Decimal(800_000_000))
    content = files.xlsx("schemes", [files.scheme_row(**{MONEY: "500.000.000"})])
    assert problems(ministry, "schemes", content) == [
        f"Dòng 2, cột '{MONEY}': không giảm được xuống dưới giá trị hợp đồng đã ký 800.000.000 đồng"
    ]


# --- Beneficiaries --------------------------------------------------------------------------

BENEFICIARY_CELLS = [
    (
        {"Mã số thuế / số đăng ký": "12"},
        "Dòng 2, cột 'Mã số thuế / số đăng ký': '12' không phải mã số thuế hay số đăng ký kinh "
        "doanh hợp lệ.",
    ),
    (
        {"Loại hình": "Doanh nghiệp nhỏ và vừa"},
        "Dòng 2, cột 'Mã số thuế / số đăng ký': '17A8000001' không phải mã số thuế hợp lệ: cần "
        "10 chữ số (hoặc 10 chữ số, dấu '-' và 3 chữ số của chi nhánh) với chữ số kiểm tra "
        "đúng.",
    ),
    (
        {"Mã đề án": "KHONG-CO"},
        "Dòng 2, cột 'Mã đề án': không có đề án mã 'KHONG-CO' năm 2019",
    ),
    ({"Năm kế hoạch": ""}, "Dòng 2, cột 'Năm kế hoạch': ghi cả mã đề án và năm kế hoạch"),
    (
        {"Quy mô": "To"},
        f"Dòng 2, cột 'Quy mô': 'To' không có trong danh sách: {CHOICES_SIZE}",
    ),
    (
        {"Do phụ nữ làm chủ": "Có thể"},
        "Dòng 2, cột 'Do phụ nữ làm chủ': 'Có thể': ghi “Có” hoặc “Không”",
    ),
    ({"Số lao động": "-5"}, "Dòng 2, cột 'Số lao động': '-5' là số âm"),
    ({"Tên cơ sở": "  "}, "Dòng 2, cột 'Tên cơ sở': không được để trống"),
    (
        {"Tỉnh, thành phố": "Tinh Ha Tay"},
        "Dòng 2, cột 'Tỉnh, thành phố': không có tỉnh, thành phố nào tên 'Tinh Ha Tay'",
    ),
]


@pytest.fixture
def scheme_2019(db):
    return factories.SchemeFactory(code="KCQG-TN-01", plan_year=2019)


@pytest.mark.parametrize(("overrides", "expected"), BENEFICIARY_CELLS)
def test_a_bad_beneficiary_cell(ministry, scheme_2019, overrides, expected):
    content = files.xlsx("beneficiaries", [files.beneficiary_row(**overrides)])
    assert problems(ministry, "beneficiaries", content) == [expected]


def test_a_beneficiary_twice_in_a_file(ministry, scheme_2019):
    rows = [files.beneficiary_row(), files.beneficiary_row(**{"Tên cơ sở": "Khác"})]
    assert problems(ministry, "beneficiaries", files.xlsx("beneficiaries", rows)) == [
        "Dòng 3, cột 'Mã số thuế / số đăng ký': trùng với dòng 2 (cùng mã số)"
    ]


def test_a_beneficiary_of_another_provinces_scheme(thai_nguyen):
    factories.SchemeFactory(
        code="KCQG-HN-01",
        plan_year=2019,
        province=Province.objects.get(code="01", map_version="63"),
    )
    row = files.beneficiary_row(**{"Mã đề án": "KCQG-HN-01"})
    assert problems(thai_nguyen, "beneficiaries", files.xlsx("beneficiaries", [row])) == [
        "Dòng 2, cột 'Mã đề án': đề án KCQG-HN-01 thuộc Thành phố Hà Nội, không thuộc tỉnh của bạn"
    ]


def test_an_establishment_registered_in_another_province(thai_nguyen, scheme_2019):
    factories.EstablishmentFactory(
        registration_code="17A8000001", province=Province.objects.get(code="01", map_version="63")
    )
    assert problems(
        thai_nguyen, "beneficiaries", files.xlsx("beneficiaries", [files.beneficiary_row()])
    ) == [
        "Dòng 2, cột 'Mã số thuế / số đăng ký': cơ sở mã số 17A8000001 đã có ở Thành phố Hà "
        "Nội, không thuộc tỉnh của bạn"
    ]
    assert not Establishment.objects.filter(province__code="19").exists()


# --- The file itself ------------------------------------------------------------------------


def test_a_missing_column(ministry, plan):
    book = Workbook()
    names = [n for n in files.headers("schemes") if n != MONEY]
    book.active.append(names)
    row = files.scheme_row()
    book.active.append([row[n] for n in names])
    assert problems(ministry, "schemes", files.save(book)) == [
        f"Dòng 1: thiếu cột '{MONEY}' (tải mẫu để xem các cột)"
    ]


def test_a_file_over_the_size_limit(ministry, plan, settings):
    settings.IMPORT_MAX_BYTES = 1024 * 1024
    content = files.xlsx("schemes", [files.scheme_row()]) + b"\0" * (1024 * 1024)
    assert problems(ministry, "schemes", content) == ["Tệp quá lớn: tối đa 1 MB."]


def test_too_many_rows(ministry, plan, settings):
    settings.IMPORT_MAX_ROWS = 2
    rows = [files.scheme_row(**{"Mã đề án": f"KC-{n}", MONEY: "1"}) for n in range(3)]
    assert problems(ministry, "schemes", files.xlsx("schemes", rows)) == [
        "Tệp có quá 2 dòng dữ liệu."
    ]


def test_a_file_with_no_rows(ministry, plan):
    assert problems(ministry, "schemes", files.xlsx("schemes", [])) == [
        "Tệp không có dòng dữ liệu nào."
    ]


def _zip() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("word/document.xml", "<w/>")
    return out.getvalue()


FILE_LEVEL = [
    (
        b"Ma de an,Nam\nKC-1,2019\n",
        "tep.xlsx",
        "Tệp có đuôi .xlsx nhưng không phải bảng tính Excel.",
    ),
    (_zip(), "tep.xlsx", "Tệp có đuôi .xlsx nhưng không phải bảng tính Excel."),
    (b"PK\x03\x04broken", "tep.xlsx", "Tệp có đuôi .xlsx nhưng không phải bảng tính Excel."),
    (_zip(), "tep.csv", "Tệp có đuôi .csv nhưng không phải tệp văn bản CSV."),
    (b"%PDF-1.4\x00\x01", "tep.csv", "Tệp có đuôi .csv nhưng không phải tệp văn bản CSV."),
    (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100,
        "tep.xls",
        "Tệp Excel 97–2003 (.xls) không đọc được: hãy lưu lại thành .xlsx.",
    ),
    (b"%PDF-1.4", "bao-cao.pdf", "Chỉ nhận tệp .xlsx hoặc .csv (tệp này là 'bao-cao.pdf')."),
]


@pytest.mark.parametrize(("content", "filename", "expected"), FILE_LEVEL)
def test_a_file_that_is_not_what_its_name_says(ministry, plan, content, filename, expected):
    assert problems(ministry, "schemes", content, filename) == [expected]
    batch, _result = services.import_file(
        kind="schemes", content=content, filename=filename, user=ministry
    )
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.REFUSED
    assert batch.problems[0]["message"] == expected


def test_the_corpus_holds_at_least_forty_distinct_bad_inputs():
    distinct = {e for _o, e in SCHEME_CELLS} | {e for _o, e in BENEFICIARY_CELLS}
    distinct |= {(c, f) for c, f, _e in FILE_LEVEL}
    # Plus the cases with a test of their own above (envelope, duplicates, formulas, scope,
    # existing schemes, contract floor, missing column, size, rows, empty file).
    assert len(distinct) + 15 >= 40
