"""Good files as officials send them; all or nothing; a second import changes nothing; undo; the
check's queries do not grow with the file."""

import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import Workbook

from budgets.models import Allocation, AllocationChange, PeriodLock
from budgets.summary import AllocationMoney
from core.text import fold
from establishments.models import Establishment
from imports import services
from imports.kinds import REGISTRY
from imports.models import ImportBatch, ImportedRecord
from projects.models import Scheme, SchemeStatusChange
from provinces.models import Province
from provinces.names import ProvinceIndex
from tests import factories
from tests.imports import files
from tests.money_chain import assert_money_chain_holds

pytestmark = pytest.mark.django_db

MONEY = "Kinh phí hỗ trợ"


def run(user, content, filename="ke-hoach.xlsx", kind="schemes", dry_run=False):
    return services.import_file(
        kind=kind, content=content, filename=filename, user=user, dry_run=dry_run
    )


def three_rows() -> list[dict]:
    return [
        files.scheme_row(),
        files.scheme_row(
            **{
                "Mã đề án": " KCQG-TN-02 ",
                "Tỉnh, thành phố": "tinh bac kan",
                MONEY: "1 250 000 000",
                "Ngày bắt đầu": 43525,  # Excel's serial of 01/03/2019
                "Ngày kết thúc": datetime.datetime(2019, 12, 31),  # noqa: DTZ001 (Excel is naive)
                "Nội dung khuyến công": "3; Đào tạo nghề",
                "Trạng thái": "Đã phê duyệt",
            }
        ),
        files.scheme_row(
            **{
                "Mã đề án": "KCQG-TN-03",
                "Tỉnh, thành phố": "Tỉnh Thái Nguyên",
                MONEY: 1250000000,
                "Loại đề án": "Điểm",
                "Ngày kết thúc": "31/3/2020",
                "Nguồn kinh phí": "quoc gia",
            }
        ),
    ]


def test_a_good_file_as_officials_type_it(ministry, plan):
    batch, result = run(ministry, files.xlsx("schemes", three_rows()))
    assert result.ok, result.problems
    assert (batch.status, batch.rows_read, batch.created_count) == ("imported", 3, 3)
    first, second, third = Scheme.objects.order_by("code")
    assert (first.province.code, first.province.map_version) == ("19", "63")
    assert (second.code, second.province.code, second.province.map_version) == (
        "KCQG-TN-02",
        "06",
        "63",
    )
    assert second.start_date == datetime.date(2019, 3, 1)
    assert second.end_date == datetime.date(2019, 12, 31)
    assert sorted(a.code for a in second.content_areas.all()) == ["nd45-1", "nd45-3"]
    assert third.kind == Scheme.Kind.PILOT and third.end_date == datetime.date(2020, 3, 31)
    assert first.counterpart_funding == Decimal(500_000_000)
    assert {s.status for s in (first, second, third)} == {Scheme.Status.APPROVED}
    amounts = Allocation.objects.values_list("amount", flat=True)
    assert list(amounts) == [Decimal(1_250_000_000)] * 3
    # The approval is recorded as a step of each scheme's life, naming the import.
    change = SchemeStatusChange.objects.get(scheme=first)
    assert (change.from_status, change.to_status, change.by) == ("draft", "approved", ministry)
    assert change.reason == f"Nhập từ tệp ke-hoach.xlsx (lần nhập số {batch.pk})"
    assert change.decision_number == "123/QĐ-BCT"
    # The summary table follows, and the money chain holds.
    assert AllocationMoney.objects.filter(scheme=first).get().approved == Decimal(1_250_000_000)
    assert first.history.get().history_user == ministry
    assert_money_chain_holds()
    assert batch.records.count() == 3


def test_a_title_row_and_a_two_row_merged_header(ministry, plan):
    names = files.headers("schemes")
    money, counterpart = names.index(MONEY) + 1, names.index("Vốn đối ứng") + 1
    book = Workbook()
    sheet = book.active
    sheet.append(["KẾ HOẠCH KHUYẾN CÔNG QUỐC GIA NĂM 2019"])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(names))
    upper = [("Kinh phí (đồng)" if i + 1 == money else n) for i, n in enumerate(names)]
    lower = [
        "hỗ trợ" if i + 1 == money else "Vốn đối ứng" if i + 1 == counterpart else None
        for i in range(len(names))
    ]
    sheet.append(upper)
    sheet.append(lower)
    for col in range(1, len(names) + 1):
        if col == money:
            sheet.merge_cells(start_row=2, start_column=money, end_row=2, end_column=counterpart)
        elif col != counterpart:
            sheet.merge_cells(start_row=2, start_column=col, end_row=3, end_column=col)
    row = files.scheme_row()
    sheet.append([row[n] for n in names])
    _batch, result = run(ministry, files.save(book))
    assert result.ok, [str(p) for p in result.problems]
    assert result.rows[0].row == 4
    assert Scheme.objects.get().counterpart_funding == Decimal(500_000_000)


@pytest.mark.parametrize(
    ("encoding", "delimiter", "bom"),
    [("utf-8", ",", False), ("utf-8", ";", True), ("cp1258", ";", False)],
)
def test_csv_in_the_encodings_excel_writes(ministry, plan, encoding, delimiter, bom):
    content = files.csv_bytes("schemes", three_rows()[:1], encoding, delimiter, bom)
    if encoding == "cp1258":
        with pytest.raises(UnicodeDecodeError):
            content.decode("utf-8")
    _batch, result = run(ministry, content, "ke-hoach.csv")
    assert result.ok, [str(p) for p in result.problems]
    scheme = Scheme.objects.get()
    assert scheme.title == "Hỗ trợ máy sấy chè Tân Cương"
    assert result.sheet == "ke-hoach.csv"


def test_csv_in_windows_1252_without_vietnamese_letters(ministry, plan):
    row = files.scheme_row(
        **{
            "Tên đề án": "Hỗ trợ café",
            "Nguồn kinh phí": "Khuyen cong quoc gia",
            "Loại đề án": "De an theo doi tuong cu the",
            "Tỉnh, thành phố": "Thai Nguyen",
            "Số quyết định giao kế hoạch": "123/QD-BCT",
        }
    )
    row["Tên đề án"] = "Ho tro café"
    # The header as an official without Vietnamese input would type it.
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([fold(h) for h in files.headers("schemes")])
    writer.writerow([row[h] for h in files.headers("schemes")])
    content = out.getvalue().encode("cp1252")
    _batch, result = run(ministry, content, "ke-hoach.csv")
    assert result.ok, [str(p) for p in result.problems]
    assert Scheme.objects.get().title == "Ho tro café"


def test_province_names_resolve_by_the_records_date(db):
    index = ProvinceIndex()
    before, after = datetime.date(2025, 6, 30), datetime.date(2025, 7, 1)
    old_bac_kan = index.resolve("Bắc Kạn", on=before)
    assert (old_bac_kan.code, old_bac_kan.map_version) == ("06", "63")
    merged = index.resolve("bac kan", on=after)
    assert (merged.code, merged.map_version) == ("19", "34")
    new = index.resolve("Tỉnh Thái Nguyên ", on=after)
    assert new == merged
    assert index.resolve("Thái Nguyên", on=before).map_version == "63"
    assert index.resolve("Thái Nguyên").map_version == "63"


def test_a_bad_last_row_writes_nothing(ministry, plan):
    rows = [*three_rows(), files.scheme_row(**{"Mã đề án": "KC-X", MONEY: "1,5 tỷ"})]
    batch, result = run(ministry, files.xlsx("schemes", rows))
    assert [str(p) for p in result.problems] == [
        f"Dòng 5, cột '{MONEY}': '1,5 tỷ' không phải số tiền hợp lệ"
    ]
    assert not Scheme.objects.exists()
    assert not Allocation.objects.exists()
    assert not SchemeStatusChange.objects.exists()
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.REFUSED
    assert batch.problems == [
        {
            "sheet": "Dữ liệu",
            "row": 5,
            "column": MONEY,
            "message": "'1,5 tỷ' không phải số tiền hợp lệ",
            "text": f"Dòng 5, cột '{MONEY}': '1,5 tỷ' không phải số tiền hợp lệ",
        }
    ]


def test_a_refusal_while_writing_rolls_back_every_row(ministry, plan):
    """The check passes; the ledger's period lock refuses at write time: nothing stays, and
    the refusal is recorded."""
    PeriodLock.objects.create(
        year=2019, fund="national", closed_on=datetime.date(2020, 1, 22), closed_by=ministry
    )
    batch, result = run(ministry, files.xlsx("schemes", three_rows()))
    assert [str(p) for p in result.problems] == [
        "Sổ năm 2019 (Khuyến công quốc gia) đã khoá ngày 22/01/2020: không ghi thêm, sửa số "
        "liệu tiền của năm này. Lãnh đạo phê duyệt hoặc quản trị hệ thống phải mở lại sổ trước."
    ]
    assert not Scheme.objects.exists() and not Allocation.objects.exists()
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.REFUSED and not batch.records.exists()


def test_a_second_import_of_the_same_file_changes_nothing(ministry, plan):
    content = files.xlsx("schemes", three_rows())
    run(ministry, content)
    counts = (
        Scheme.history.count(),
        Allocation.history.count(),
        SchemeStatusChange.objects.count(),
        AllocationChange.objects.count(),
    )
    stamps = list(Scheme.objects.values_list("updated_at", flat=True))
    batch, result = run(ministry, content)
    assert result.ok
    assert [row.action for row in result.rows] == ["same"] * 3
    assert (batch.created_count, batch.updated_count, batch.unchanged_count) == (0, 0, 3)
    assert not batch.records.exists()
    assert counts == (
        Scheme.history.count(),
        Allocation.history.count(),
        SchemeStatusChange.objects.count(),
        AllocationChange.objects.count(),
    )
    assert stamps == list(Scheme.objects.values_list("updated_at", flat=True))
    # The same data as CSV is the same too.
    rows = three_rows()
    rows[1]["Ngày kết thúc"] = "31/12/2019"  # as Excel writes a date cell to CSV
    _, again = run(ministry, files.csv_bytes("schemes", rows), "ke-hoach.csv")
    assert [row.action for row in again.rows] == ["same"] * 3


def test_a_changed_row_updates_and_undo_puts_it_back(ministry, plan):
    run(ministry, files.xlsx("schemes", three_rows()))
    rows = three_rows()
    rows[0].update({"Tên đề án": "Tên mới", MONEY: "1.000.000.000", "Nội dung khuyến công": "1"})
    batch, result = run(ministry, files.xlsx("schemes", rows))
    assert [row.action for row in result.rows] == ["update", "same", "same"]
    scheme = Scheme.objects.get(code="KCQG-TN-01")
    assert scheme.title == "Tên mới"
    assert [a.code for a in scheme.content_areas.all()] == ["nd45-1"]
    change = AllocationChange.objects.get()
    assert (change.amount_before, change.amount_after) == (
        Decimal(1_250_000_000),
        Decimal(1_000_000_000),
    )
    record = batch.records.get()
    assert record.previous["title"] == "Hỗ trợ máy sấy chè Tân Cương"
    services.undo_import(batch=batch, by=ministry)
    scheme.refresh_from_db()
    assert scheme.title == "Hỗ trợ máy sấy chè Tân Cương"
    assert [a.code for a in scheme.content_areas.all()] == ["nd45-3"]
    assert scheme.allocations.get().amount == Decimal(1_250_000_000)
    assert_money_chain_holds()


def test_undo_removes_the_whole_import_once(ministry, plan):
    batch, _ = run(ministry, files.xlsx("schemes", three_rows()))
    undone = services.undo_import(batch=batch, by=ministry)
    assert (undone.status, undone.undone_by) == ("undone", ministry)
    assert not Scheme.objects.exists() and not Allocation.objects.exists()
    assert not AllocationMoney.objects.exists()
    # The deletions are in the histories.
    deleted = Scheme.history.filter(history_type="-")
    assert deleted.count() == 3
    assert {h.history_user for h in deleted} == {ministry}
    with pytest.raises(ValidationError) as error:
        services.undo_import(batch=batch, by=ministry)
    assert error.value.messages[0].startswith(f"Lần nhập số {batch.pk} đã được hoàn tác lúc ")
    # The file can be imported again.
    _, again = run(ministry, files.xlsx("schemes", three_rows()))
    assert again.count("create") == 3


def test_undo_is_refused_when_a_contract_depends_on_the_import(ministry, plan):
    batch, _ = run(ministry, files.xlsx("schemes", three_rows()))
    allocation = Allocation.objects.get(scheme__code="KCQG-TN-02")
    contract = factories.ContractFactory(allocation=allocation, value=Decimal(1_000_000_000))
    with pytest.raises(ValidationError) as error:
        services.undo_import(batch=batch, by=ministry)
    assert error.value.messages == [
        f"Đề án KCQG-TN-02 đã có hợp đồng {contract.number}: không hoàn tác được lần nhập."
    ]
    assert Scheme.objects.count() == 3
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.IMPORTED


def test_undo_is_refused_when_a_later_import_changed_a_record(ministry, plan):
    first, _ = run(ministry, files.xlsx("schemes", three_rows()))
    rows = three_rows()
    rows[1]["Tên đề án"] = "Đổi tên"
    second, _ = run(ministry, files.xlsx("schemes", rows), "lan-2.xlsx")
    with pytest.raises(ValidationError) as error:
        services.undo_import(batch=first, by=ministry)
    assert error.value.messages == [
        f"Lần nhập số {second.pk} (tệp lan-2.xlsx) đã sửa bản ghi của lần nhập này: hoàn tác "
        "lần nhập đó trước."
    ]
    services.undo_import(batch=second, by=ministry)
    services.undo_import(batch=first, by=ministry)
    assert not Scheme.objects.exists()


def test_a_refused_or_checked_batch_has_nothing_to_undo(ministry, plan):
    batch, _ = run(ministry, files.xlsx("schemes", three_rows()), dry_run=True)
    assert batch.status == ImportBatch.Status.CHECKED and not Scheme.objects.exists()
    with pytest.raises(ValidationError) as error:
        services.undo_import(batch=batch, by=ministry)
    assert error.value.messages == [
        f"Lần nhập số {batch.pk} chưa ghi dữ liệu nào: không có gì để hoàn tác."
    ]


def test_schemes_not_yet_approved_have_no_allocation(ministry, plan):
    row = files.scheme_row(**{"Trạng thái": "Cục đã thẩm định", "Số quyết định giao kế hoạch": ""})
    _, result = run(ministry, files.xlsx("schemes", [row]))
    assert result.ok
    scheme = Scheme.objects.get()
    assert scheme.status == Scheme.Status.APPRAISED
    assert scheme.support_requested == Decimal(1_250_000_000)
    assert not scheme.allocations.exists()
    assert SchemeStatusChange.objects.get().to_status == "appraised"


def test_the_checks_queries_do_not_grow_with_the_file(ministry, plan):
    def queries(count: int) -> int:
        rows = [
            files.scheme_row(**{"Mã đề án": f"KC-{n}", MONEY: "1.000.000"}) for n in range(count)
        ]
        content = files.xlsx("schemes", rows)
        with CaptureQueriesContext(connection) as captured:
            result = services.check_file(
                kind=REGISTRY["schemes"], content=content, filename="a.xlsx", user=ministry
            )
        assert result.ok and len(result.rows) == count
        return len(captured)

    assert queries(5) == queries(60)


def test_a_province_user_imports_its_own_rows(thai_nguyen, plan):
    _batch, result = run(thai_nguyen, files.xlsx("schemes", three_rows()))
    assert result.ok, result.problems
    assert Scheme.objects.count() == 3


def test_other_roles_may_not_import(db, plan):
    from django.core.exceptions import PermissionDenied

    from accounts.models import Role

    approver = factories.UserFactory(role=Role.APPROVER, username="ld-nhap")
    with pytest.raises(PermissionDenied):
        run(approver, files.xlsx("schemes", three_rows()))
    assert not ImportBatch.objects.exists()


# --- Beneficiaries --------------------------------------------------------------------------


def test_beneficiaries_are_created_linked_idempotent_and_undone(ministry):
    scheme = factories.SchemeFactory(code="KCQG-TN-01", plan_year=2019)
    rows = [
        files.beneficiary_row(),
        files.beneficiary_row(
            **{
                "Mã số thuế / số đăng ký": "4600100155",
                "Tên cơ sở": "Công ty TNHH Chè Thái",
                "Loại hình": "Doanh nghiệp nhỏ và vừa",
                "Quy mô": "Nhỏ",
                "Mã đề án": "",
                "Năm kế hoạch": "",
            }
        ),
    ]
    content = files.xlsx("beneficiaries", rows)
    batch, result = run(ministry, content, kind="beneficiaries")
    assert result.ok, [str(p) for p in result.problems]
    household = Establishment.objects.get(registration_code="17A8000001")
    assert list(scheme.beneficiaries.all()) == [household]
    assert household.owned_by_woman and household.workers == 12
    # Without a scheme the province is today's unit.
    company = Establishment.objects.get(registration_code="4600100155")
    assert company.province.map_version == "34"
    _, again = run(ministry, content, kind="beneficiaries")
    assert [r.action for r in again.rows] == ["same", "same"]
    # Linking an existing establishment to another scheme is an update, undone by unlinking.
    other = factories.SchemeFactory(code="KCQG-TN-09", plan_year=2019)
    link, linked = run(
        ministry,
        files.xlsx("beneficiaries", [files.beneficiary_row(**{"Mã đề án": "KCQG-TN-09"})]),
        kind="beneficiaries",
    )
    assert [r.action for r in linked.rows] == ["update"]
    assert household in other.beneficiaries.all()
    services.undo_import(batch=link, by=ministry)
    assert household not in other.beneficiaries.all()
    assert household in scheme.beneficiaries.all()
    services.undo_import(batch=batch, by=ministry)
    assert not Establishment.objects.exists()


# --- The command ----------------------------------------------------------------------------


def test_the_command(ministry, plan, tmp_path, capsys):
    good = tmp_path / "ke-hoach.xlsx"
    good.write_bytes(files.xlsx("schemes", three_rows()))
    call_command("import_data", "schemes", str(good), "--dry-run", "--user", ministry.username)
    assert "Kiểm tra xong (chưa ghi)" in capsys.readouterr().out
    assert not Scheme.objects.exists()
    call_command("import_data", "schemes", str(good), "--user", ministry.username)
    assert "3 thêm mới, 0 cập nhật, 0 không đổi" in capsys.readouterr().out
    bad = tmp_path / "sai.csv"
    bad.write_bytes(files.csv_bytes("schemes", [files.scheme_row(**{MONEY: "1,5 tỷ"})]))
    with pytest.raises(CommandError, match="1 lỗi, không ghi dòng nào"):
        call_command("import_data", "schemes", str(bad), "--user", ministry.username)
    assert f"[sai.csv] Dòng 2, cột '{MONEY}': '1,5 tỷ' không phải số tiền hợp lệ" in (
        capsys.readouterr().err
    )
    with pytest.raises(CommandError, match="Không có loại dữ liệu 'plans'"):
        call_command("import_data", "plans", str(good), "--user", ministry.username)
    assert ImportedRecord.objects.count() == 3
    assert Province.objects.exists()


def test_the_lean_xlsx_reader_reads_what_openpyxl_reads(ministry):
    """The fast reader of core.sheets against openpyxl on the same file: the same values,
    merged ranges and formulas (a date cell is its Excel serial there, read as a date by the
    date columns)."""
    from openpyxl import load_workbook

    from core.sheets import Formula, _lean_sheet, _Sheet

    book = Workbook()
    sheet = book.active
    sheet.title = "Đề án"
    sheet.append(["Tiêu đề", None, None])
    sheet.merge_cells("A1:C1")
    sheet.append(["Mã", "Kinh phí", "Ngày"])
    sheet.append(["KC-1", 1250000000, "31/12/2019"])
    sheet.append(["KC-2", 12.5, "=B3*2"])
    sheet.append([None, True, "Có"])
    content = files.save(book)
    lean = _lean_sheet(content, "Hướng dẫn")
    full = _Sheet.from_worksheet(load_workbook(io.BytesIO(content), read_only=True).active)
    assert lean is not None
    assert lean.title == full.title == "Đề án"
    assert lean.rows == full.rows
    assert lean.rows[0] == ["Tiêu đề", "Tiêu đề", "Tiêu đề"]
    assert isinstance(lean.rows[3][2], Formula)
