"""The contracts import: every row checked against the rules of contract_sign and contract_amend
before anything is written, the rows above in the file included; idempotent; all or nothing;
scoped as the finance screens; undone while nothing hangs on what it wrote."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl.utils.datetime import to_excel

from accounts.models import Role
from budgets.advance_rules import add_statutory_rules
from budgets.models import (
    AdvanceRule,
    AnnualPlan,
    Contract,
    ContractAmendment,
    ContractLiquidation,
    ContractTranche,
    PeriodLock,
    Settlement,
)
from budgets.services import contract_sign, disbursement_record
from core.sheets import open_workbook, read_rows, template_workbook
from imports.kinds import REGISTRY
from organisations.models import Organisation
from projects.models import Fund, Scheme
from tests.factories import AllocationFactory, AnnualPlanFactory, ContractFactory, UserFactory
from tests.imports.ledger_files import (
    MILLION,
    D,
    check,
    file_of,
    problems,
    refused,
    run,
    undo,
    workbook,
)

pytestmark = pytest.mark.django_db

KIND = REGISTRY["contracts"]
CODE = "KCQG-NHAP-01"


@pytest.fixture(autouse=True)
def advance_rules(db):
    add_statutory_rules(AdvanceRule)


@pytest.fixture
def allocation(db):
    return AllocationFactory(amount=1000 * MILLION, scheme__code=CODE)


@pytest.fixture
def other_allocation(allocation):
    return AllocationFactory(amount=500 * MILLION, scheme__code="KCQG-NHAP-02")


@pytest.fixture
def finance(db):
    return UserFactory(role=Role.MINISTRY, username="ketoan-nhap")


@pytest.fixture
def contractor(db):
    return Organisation.objects.create(
        kind=Organisation.Kind.OTHER, name="Công ty TNHH Cơ khí Hoà Bình", short_name="CK Hoà Bình"
    )


def row(**overrides) -> dict:
    values = {
        "Mã đề án": CODE,
        "Năm kế hoạch": 2019,
        "Số hợp đồng": "12/HĐ-KCQG",
        "Hình thức": "Hợp đồng",
        "Ngày ký": "15/03/2019",
        "Bên nhận": "",
        "Giá trị (đồng)": "600.000.000",
    }
    values.update(overrides)
    return values


def one_problem(user, **overrides) -> str:
    found = problems(KIND, user, file_of(KIND, row(**overrides)))
    assert len(found) == 1, found
    return found[0]


# --- Good paths -------------------------------------------------------------------------------


def test_numbers_and_dates_as_officials_type_them(finance, allocation, contractor):
    rows = [
        row(**{"Số hợp đồng": "1/HĐ", "Giá trị (đồng)": "300.000.000"}),
        row(**{"Số hợp đồng": "2/HĐ", "Giá trị (đồng)": "200 000 000", "Ngày ký": " 1/4/2019 "}),
        row(**{"Số hợp đồng": "3/HĐ", "Giá trị (đồng)": 100000000}),
        row(**{"Số hợp đồng": "4/HĐ", "Giá trị (đồng)": "50000000 ", "Hình thức": "giao nhiem vu"}),
        row(**{"Số hợp đồng": "5/HĐ", "Giá trị (đồng)": 25000000.0, "Ngày ký": D(2019, 5, 2)}),
        row(
            **{
                "Số hợp đồng": "6/HĐ",
                "Giá trị (đồng)": "10.000.000 đồng",
                "Ngày ký": int(to_excel(D(2019, 6, 3))),
                "Bên nhận": "ck hoa binh",
                "Mã đề án": CODE.lower() + " ",
            }
        ),
        row(**{"Số hợp đồng": "7/HĐ", "Giá trị (đồng)": "1\u00a0000\u00a0000", "Hình thức": ""}),
    ]
    result, written = run(KIND, finance, file_of(KIND, *rows))

    assert [p.action for p in result.rows] == ["create"] * 7
    contracts = {c.number: c for c in Contract.objects.filter(allocation=allocation)}
    assert {n: c.value for n, c in contracts.items()} == {
        "1/HĐ": 300 * MILLION,
        "2/HĐ": 200 * MILLION,
        "3/HĐ": 100 * MILLION,
        "4/HĐ": 50 * MILLION,
        "5/HĐ": 25 * MILLION,
        "6/HĐ": 10 * MILLION,
        "7/HĐ": 1 * MILLION,
    }
    assert contracts["2/HĐ"].signed_on == D(2019, 4, 1)
    assert contracts["5/HĐ"].signed_on == D(2019, 5, 2)
    assert contracts["6/HĐ"].signed_on == D(2019, 6, 3)
    assert contracts["4/HĐ"].kind == Contract.Kind.TASK
    assert contracts["7/HĐ"].kind == Contract.Kind.CONTRACT  # left empty: a contract
    assert contracts["6/HĐ"].contractor == contractor
    assert contracts["1/HĐ"].contractor == allocation.scheme.implementing_unit
    # Written through the service: the history says who recorded it.
    assert contracts["1/HĐ"].history.first().history_user == finance
    assert {type(record) for record, _a in written} == {Contract}


def test_a_contract_may_take_all_the_support_approved(finance, allocation):
    run(KIND, finance, file_of(KIND, row(**{"Giá trị (đồng)": "1.000.000.000"})))
    assert Contract.objects.get(allocation=allocation).value == 1000 * MILLION


# --- Bad input, one message each --------------------------------------------------------------

BAD_CELLS = [
    (
        {"Giá trị (đồng)": "1,5 tỷ"},
        "Dòng 2, cột 'Giá trị (đồng)': '1,5 tỷ' không phải số tiền hợp lệ",
    ),
    (
        {"Giá trị (đồng)": "-1.000.000"},
        "Dòng 2, cột 'Giá trị (đồng)': '-1.000.000' không phải số tiền hợp lệ: số tiền không "
        "được âm.",
    ),
    ({"Giá trị (đồng)": -5}, "Dòng 2, cột 'Giá trị (đồng)': '-5' là số âm"),
    (
        {"Giá trị (đồng)": "600.000.000,5"},
        "Dòng 2, cột 'Giá trị (đồng)': '600.000.000,5' không phải số tiền hợp lệ: tiền đồng "
        "không có phần lẻ, nhập số nguyên đồng, ví dụ 1.250.000.000.",
    ),
    (
        {"Giá trị (đồng)": 1.5},
        "Dòng 2, cột 'Giá trị (đồng)': '1.5' không phải số tiền hợp lệ",
    ),
    (
        {"Giá trị (đồng)": "6.00.000"},
        "Dòng 2, cột 'Giá trị (đồng)': '6.00.000' không phải số tiền hợp lệ: dấu chấm chỉ "
        "dùng để tách từng nhóm 3 chữ số, ví dụ 1.250.000.000.",
    ),
    ({"Giá trị (đồng)": "0"}, "Dòng 2, cột 'Giá trị (đồng)': giá trị hợp đồng phải lớn hơn 0"),
    ({"Giá trị (đồng)": ""}, "Dòng 2, cột 'Giá trị (đồng)': không được để trống"),
    (
        {"Ngày ký": "2019-03-15"},
        "Dòng 2, cột 'Ngày ký': '2019-03-15' không phải ngày hợp lệ: viết ngày/tháng/năm, ví dụ "
        "31/12/2026.",
    ),
    (
        {"Ngày ký": "31/02/2019"},
        "Dòng 2, cột 'Ngày ký': '31/02/2019' không phải ngày hợp lệ: tháng 2 năm 2019 không có "
        "ngày 31 (viết ngày/tháng/năm, ví dụ 31/12/2026).",
    ),
    (
        {"Ngày ký": "15/13/2019"},
        "Dòng 2, cột 'Ngày ký': '15/13/2019' không phải ngày hợp lệ: không có tháng 13 (viết "
        "ngày/tháng/năm, ví dụ 31/12/2026).",
    ),
    (
        {"Ngày ký": 43539.5},
        "Dòng 2, cột 'Ngày ký': '43539.5' không phải ngày hợp lệ: viết ngày/tháng/năm, ví dụ "
        "31/12/2019",
    ),
    (
        {"Ngày ký": 12},
        "Dòng 2, cột 'Ngày ký': '12' không phải ngày hợp lệ: viết ngày/tháng/năm, ví dụ 31/12/2019",
    ),
    (
        {"Ngày ký": "15/03/2018"},
        "Dòng 2, cột 'Ngày ký': ngày 15/03/2018 ngoài năm kế hoạch 2019",
    ),
    (
        {"Mã đề án": "KCQG-KHONG-CO"},
        "Dòng 2, cột 'Mã đề án': không có đề án mã KCQG-KHONG-CO được duyệt kinh phí trong kế "
        "hoạch năm 2019",
    ),
    (
        {"Năm kế hoạch": 2020},
        f"Dòng 2, cột 'Mã đề án': không có đề án mã {CODE} được duyệt kinh phí trong kế hoạch "
        "năm 2020",
    ),
    (
        {"Năm kế hoạch": "hai nghìn"},
        "Dòng 2, cột 'Năm kế hoạch': 'hai nghìn' không phải số nguyên hợp lệ",
    ),
    (
        {"Năm kế hoạch": 1999},
        "Dòng 2, cột 'Năm kế hoạch': '1999' không phải năm kế hoạch (2012–2100)",
    ),
    ({"Số hợp đồng": "  "}, "Dòng 2, cột 'Số hợp đồng': không được để trống"),
    ({"Số hợp đồng": "H" * 61}, "Dòng 2, cột 'Số hợp đồng': dài 61 ký tự, tối đa 60"),
    (
        {"Hình thức": "Hợp đồng mua bán"},
        "Dòng 2, cột 'Hình thức': 'Hợp đồng mua bán' không có trong danh sách: Hợp đồng; Giao "
        "nhiệm vụ",
    ),
    (
        {"Bên nhận": "Công ty Không Tồn Tại"},
        "Dòng 2, cột 'Bên nhận': không có đơn vị nào tên 'Công ty Không Tồn Tại' trong hệ thống "
        "(để trống: đơn vị thực hiện đề án)",
    ),
    (
        {"Giá trị (đồng)": "1.000.000.001"},
        f"Dòng 2, cột 'Giá trị (đồng)': 1.000.000.001 đồng vượt kinh phí còn lại của đề án "
        f"{CODE} năm 2019: được duyệt 1.000.000.000 đồng, đã ký 0 đồng (kể cả các dòng trên), "
        "còn 1.000.000.000 đồng",
    ),
]


@pytest.mark.parametrize(("overrides", "message"), BAD_CELLS)
def test_each_bad_cell_is_named_by_row_and_column(finance, allocation, overrides, message):
    assert one_problem(finance, **overrides) == message
    assert not Contract.objects.exists()


def test_a_date_in_the_future_is_refused(finance, allocation):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    plan = AnnualPlan.objects.get(pk=allocation.plan_id)
    plan.year = tomorrow.year
    plan.save()
    Scheme.objects.filter(pk=allocation.scheme_id).update(plan_year=tomorrow.year)
    typed = tomorrow.strftime("%d/%m/%Y")
    assert one_problem(finance, **{"Ngày ký": typed, "Năm kế hoạch": tomorrow.year}) == (
        f"Dòng 2, cột 'Ngày ký': ngày {typed} ở tương lai: chỉ ghi những gì đã xảy ra"
    )


def test_a_formula_is_refused(finance, allocation):
    headers = [col.header for col in KIND.columns()]
    values = row(**{"Giá trị (đồng)": "=500000000+100000000"})
    content = workbook(headers, [[values.get(h, "") for h in headers]])
    assert problems(KIND, finance, content) == [
        "Dòng 2, cột 'Giá trị (đồng)': ô chứa công thức; hãy ghi giá trị (dán bằng “Paste Values”)",
    ]


def test_a_closed_year_is_refused(finance, allocation, approver):
    PeriodLock.objects.create(
        year=2019, fund=Fund.NATIONAL, closed_on=D(2020, 2, 1), closed_by=approver
    )
    assert one_problem(finance) == (
        "Dòng 2, cột 'Ngày ký': sổ năm 2019 (Khuyến công quốc gia) đã khoá ngày 01/02/2020: "
        "không ghi thêm số liệu tiền của năm này"
    )


def test_a_settled_allocation_is_refused(finance, allocation):
    Settlement.objects.create(
        allocation=allocation,
        decision_number="9/QĐ-QT",
        settled_on=D(2020, 1, 20),
        settled_amount=0,
        returned_amount=allocation.amount,
    )
    assert one_problem(finance) == (
        f"Dòng 2, cột 'Mã đề án': kinh phí của đề án {CODE} năm 2019 đã quyết toán: không ghi thêm"
    )


def test_two_schemes_with_one_code_funded_in_one_year_are_not_guessed(finance, allocation):
    AllocationFactory(
        amount=100 * MILLION,
        scheme__code=CODE,
        scheme__plan_year=2018,
        scheme__kind=Scheme.Kind.PILOT,
        plan=AnnualPlan.objects.get(pk=allocation.plan_id),
    )
    assert one_problem(finance) == (
        f"Dòng 2, cột 'Mã đề án': có 2 đề án mã {CODE} được duyệt kinh phí năm 2019, không rõ "
        "dòng này của đề án nào: ghi trên màn hình tài chính"
    )


def test_a_contractor_name_shared_by_two_units_is_not_guessed(finance, allocation):
    for kind in (Organisation.Kind.OTHER, Organisation.Kind.PROVINCIAL_CENTRE):
        Organisation.objects.create(
            kind=kind, name="Trung tâm Tư vấn", province=allocation.scheme.province
        )
    assert one_problem(finance, **{"Bên nhận": "trung tam tu van"}) == (
        "Dòng 2, cột 'Bên nhận': có 2 đơn vị cùng tên 'trung tam tu van': ghi tên đầy đủ"
    )


# --- Rules over the whole file ----------------------------------------------------------------


def test_the_rows_above_count_against_the_support_approved(finance, allocation):
    ContractFactory(allocation=allocation, value=100 * MILLION, number="1/HĐ-CU")
    content = file_of(
        KIND,
        row(**{"Số hợp đồng": "2/HĐ", "Giá trị (đồng)": "500.000.000"}),
        row(**{"Số hợp đồng": "3/HĐ", "Giá trị (đồng)": "400.000.001"}),
    )
    assert problems(KIND, finance, content) == [
        f"Dòng 3, cột 'Giá trị (đồng)': 400.000.001 đồng vượt kinh phí còn lại của đề án {CODE} "
        "năm 2019: được duyệt 1.000.000.000 đồng, đã ký 600.000.000 đồng (kể cả các dòng trên), "
        "còn 400.000.000 đồng"
    ]


def test_a_number_twice_in_the_file_is_refused(finance, allocation):
    content = file_of(
        KIND,
        row(**{"Giá trị (đồng)": "100.000.000"}),
        row(**{"Số hợp đồng": " 12/hd-kcqg", "Giá trị (đồng)": "200.000.000"}),
    )
    assert problems(KIND, finance, content) == [
        "Dòng 3, cột 'Số hợp đồng': trùng với dòng 2 (cùng số hợp đồng, cùng đề án và năm)"
    ]


def test_the_same_number_in_two_schemes_is_two_contracts(finance, allocation, other_allocation):
    content = file_of(KIND, row(), row(**{"Mã đề án": "KCQG-NHAP-02", "Giá trị (đồng)": "5"}))
    result, _written = run(KIND, finance, content)
    assert result.count("create") == 2


# --- Idempotency, amendments ------------------------------------------------------------------


def test_importing_the_same_file_twice_changes_nothing(finance, allocation, other_allocation):
    content = file_of(
        KIND,
        row(),
        row(**{"Số hợp đồng": "13/HĐ", "Giá trị (đồng)": "400.000.000"}),
        row(**{"Mã đề án": "KCQG-NHAP-02", "Giá trị (đồng)": "500.000.000"}),
    )
    run(KIND, finance, content)
    history = Contract.history.count()

    result, written = run(KIND, finance, content)

    assert [p.action for p in result.rows] == ["same", "same", "same"]
    assert written == []
    assert Contract.history.count() == history
    assert Contract.objects.count() == 3


def test_another_value_is_an_amendment_that_keeps_the_value_before(finance, allocation):
    run(KIND, finance, file_of(KIND, row()))
    amended = row(
        **{
            "Giá trị (đồng)": "800.000.000",
            "Số phụ lục": "01/PL",
            "Ngày ký phụ lục": "01/07/2019",
            "Lý do điều chỉnh": "Bổ sung thiết bị",
        }
    )
    result, written = run(KIND, finance, file_of(KIND, amended))

    assert [p.action for p in result.rows] == ["update"]
    contract = Contract.objects.get()
    assert contract.value == 800 * MILLION
    amendment = ContractAmendment.objects.get()
    assert (amendment.value_before, amendment.value_after, amendment.number) == (
        600 * MILLION,
        800 * MILLION,
        "01/PL",
    )
    assert written == [(amendment, "update")]
    # The amended file again: the contract already has that value.
    result, written = run(KIND, finance, file_of(KIND, amended))
    assert ([p.action for p in result.rows], written) == (["same"], [])


def test_another_value_without_an_amendment_is_refused(finance, allocation):
    run(KIND, finance, file_of(KIND, row()))
    assert one_problem(finance, **{"Giá trị (đồng)": "700.000.000"}) == (
        "Dòng 2, cột 'Giá trị (đồng)': Hợp đồng 12/HĐ-KCQG đã ghi với giá trị 600.000.000 đồng; "
        "để điều chỉnh thành 700.000.000 đồng, ghi 'Số phụ lục', 'Ngày ký phụ lục', 'Lý do điều "
        "chỉnh'"
    )


AMENDMENT = {
    "Số phụ lục": "01/PL",
    "Ngày ký phụ lục": "01/07/2019",
    "Lý do điều chỉnh": "Bổ sung thiết bị",
}


@pytest.fixture
def signed(finance, allocation):
    return contract_sign(
        allocation=allocation,
        kind=Contract.Kind.CONTRACT,
        number="12/HĐ-KCQG",
        signed_on=D(2019, 3, 15),
        value=600 * MILLION,
        contractor=allocation.scheme.implementing_unit,
        by=finance,
    )


def test_what_an_amendment_may_not_change(finance, signed, contractor):
    cases = [
        (
            {"Ngày ký": "16/03/2019"},
            "Dòng 2, cột 'Ngày ký': Hợp đồng 12/HĐ-KCQG đã ghi với ngày ký 15/03/2019: không sửa "
            "bằng tệp (sửa trên trang quản trị)",
        ),
        (
            {"Hình thức": "Giao nhiệm vụ"},
            "Dòng 2, cột 'Hình thức': Hợp đồng 12/HĐ-KCQG đã ghi với hình thức Hợp đồng: không "
            "sửa bằng tệp (sửa trên trang quản trị)",
        ),
        (
            {"Bên nhận": "Công ty TNHH Cơ khí Hoà Bình"},
            f"Dòng 2, cột 'Bên nhận': Hợp đồng 12/HĐ-KCQG đã ghi với bên nhận "
            f"{signed.contractor}: không sửa bằng tệp (sửa trên trang quản trị)",
        ),
        (
            {"Giá trị (đồng)": "1.000.000.001", **AMENDMENT},
            f"Dòng 2, cột 'Giá trị (đồng)': không điều chỉnh Hợp đồng 12/HĐ-KCQG lên "
            f"1.000.000.001 đồng được: đề án {CODE} năm 2019 được duyệt 1.000.000.000 đồng, các "
            "hợp đồng khác đã ký 0 đồng (kể cả các dòng trên), còn 1.000.000.000 đồng",
        ),
        (
            {"Giá trị (đồng)": "700.000.000", **AMENDMENT, "Ngày ký phụ lục": "01/03/2019"},
            "Dòng 2, cột 'Ngày ký phụ lục': ngày 01/03/2019 trước ngày ký Hợp đồng 12/HĐ-KCQG "
            "(15/03/2019)",
        ),
        (
            {"Giá trị (đồng)": "700.000.000", **AMENDMENT, "Ngày ký phụ lục": "01/01/2020"},
            "Dòng 2, cột 'Ngày ký phụ lục': ngày 01/01/2020 ngoài năm kế hoạch 2019",
        ),
    ]
    for overrides, message in cases:
        assert one_problem(finance, **overrides) == message


def test_an_amendment_below_what_was_paid_is_refused(finance, signed):
    disbursement_record(
        contract=signed,
        kind="payment",
        amount=300 * MILLION,
        paid_on=D(2019, 5, 1),
        voucher_number="UNC-1",
        by=finance,
    )
    assert one_problem(finance, **{"Giá trị (đồng)": "299.999.999", **AMENDMENT}) == (
        "Dòng 2, cột 'Giá trị (đồng)': không điều chỉnh Hợp đồng 12/HĐ-KCQG xuống 299.999.999 "
        "đồng được: đã giải ngân 300.000.000 đồng"
    )


def test_an_amendment_number_already_used_is_refused(finance, signed):
    run(KIND, finance, file_of(KIND, row(**{"Giá trị (đồng)": "700.000.000", **AMENDMENT})))
    assert one_problem(finance, **{"Giá trị (đồng)": "650.000.000", **AMENDMENT}) == (
        "Dòng 2, cột 'Số phụ lục': Hợp đồng 12/HĐ-KCQG đã có phụ lục số 01/PL"
    )


def test_no_amendment_of_a_liquidated_or_scheduled_contract(finance, signed):
    ContractTranche.objects.create(
        contract=signed, number=1, due_on=D(2019, 9, 1), amount=signed.value
    )
    assert one_problem(finance, **{"Giá trị (đồng)": "700.000.000", **AMENDMENT}) == (
        "Dòng 2, cột 'Giá trị (đồng)': Hợp đồng 12/HĐ-KCQG có lịch thanh toán: điều chỉnh giá "
        "trị cùng lịch mới trên màn hình tài chính"
    )
    ContractLiquidation.objects.create(
        contract=signed, number="TL-1", signed_on=D(2019, 12, 1), final_value=0
    )
    assert one_problem(finance, **{"Giá trị (đồng)": "700.000.000", **AMENDMENT}) == (
        "Dòng 2, cột 'Giá trị (đồng)': Hợp đồng 12/HĐ-KCQG đã thanh lý ngày 01/12/2019: không "
        "điều chỉnh giá trị"
    )


# --- Scope ------------------------------------------------------------------------------------


@pytest.fixture
def local_allocation(db):
    plan = AnnualPlan.objects.create(
        year=2019,
        fund=Fund.LOCAL,
        managing_unit=Organisation.objects.get(kind=Organisation.Kind.AGENCY),
        title="Kế hoạch khuyến công địa phương năm 2019",
    )
    return AllocationFactory(
        amount=300 * MILLION, scheme__code="KCDP-TN-01", scheme__fund=Fund.LOCAL, plan=plan
    )


def test_each_user_imports_within_the_scope_of_the_finance_screens(
    finance, thai_nguyen_user, ha_noi_user, allocation, local_allocation
):
    local = row(**{"Mã đề án": "KCDP-TN-01", "Giá trị (đồng)": "300.000.000"})
    national = row()
    content = file_of(KIND, national, local)

    assert problems(KIND, finance, content) == [
        "Dòng 3, cột 'Mã đề án': đề án KCDP-TN-01 năm 2019: Chứng từ giải ngân nguồn khuyến "
        "công địa phương do Sở Công Thương của tỉnh có đề án ghi."
    ]
    assert problems(KIND, thai_nguyen_user, content) == [
        f"Dòng 2, cột 'Mã đề án': đề án {CODE} năm 2019: Chứng từ giải ngân nguồn khuyến công "
        "quốc gia do cán bộ tài chính của Cục (Bộ Công Thương) ghi."
    ]
    assert len(problems(KIND, ha_noi_user, content)) == 2
    result, _written = run(KIND, thai_nguyen_user, file_of(KIND, local))
    assert result.count("create") == 1


@pytest.mark.parametrize("role", [Role.APPROVER, Role.REGIONAL])
def test_a_user_who_records_nothing_may_not_import(db, role):
    centre = Organisation.objects.filter(kind=Organisation.Kind.REGIONAL_CENTRE).first()
    user = UserFactory(
        role=role,
        username=f"khong-ghi-{role}",
        organisation=centre if role == Role.REGIONAL else None,
    )
    with pytest.raises(PermissionDenied) as error:
        KIND.may_import(user)
    assert str(error.value) == (
        "Nhập hợp đồng và chứng từ giải ngân dành cho cán bộ tài chính của Cục (nguồn quốc gia) "
        "và của Sở Công Thương (nguồn địa phương của tỉnh)."
    )


# --- All or nothing, queries ------------------------------------------------------------------


def test_a_refusal_while_writing_undoes_every_row(finance, allocation, other_allocation):
    content = file_of(
        KIND,
        row(**{"Mã đề án": "KCQG-NHAP-02", "Giá trị (đồng)": "100.000.000"}),
        row(**{"Giá trị (đồng)": "900.000.000"}),
    )
    result = check(KIND, finance, content)
    assert result.ok
    # Between the preview and the writing, someone signs for part of the first scheme's support.
    ContractFactory(allocation=allocation, value=200 * MILLION, number="99/HĐ")

    assert refused(KIND, finance, result) == [
        f"Giá trị hợp đồng 900.000.000 đồng vượt kinh phí còn lại của đề án {CODE}: được duyệt "
        "1.000.000.000 đồng, đã ký 200.000.000 đồng, còn 800.000.000 đồng."
    ]
    assert list(Contract.objects.values_list("number", flat=True)) == ["99/HĐ"]


def test_checking_costs_the_same_queries_for_2_rows_and_for_20(finance, db):
    allocations = [
        AllocationFactory(amount=1000 * MILLION, scheme__code=f"KCQG-Q-{n:02d}") for n in range(20)
    ]
    for allocation in allocations[::2]:
        ContractFactory(allocation=allocation, value=100 * MILLION, number="12/HĐ-KCQG")

    def count(n: int) -> int:
        rows = [
            row(**{"Mã đề án": a.scheme.code, "Giá trị (đồng)": "100.000.000"})
            for a in allocations[:n]
        ]
        content = file_of(KIND, *rows)
        with CaptureQueriesContext(connection) as queries:
            result = check(KIND, finance, content)
        assert result.ok and len(result.rows) == n
        return len(queries)

    assert count(2) == count(20)


# --- Undo -------------------------------------------------------------------------------------


def test_an_import_is_undone_and_can_be_imported_again(finance, allocation):
    content = file_of(KIND, row(), row(**{"Số hợp đồng": "13/HĐ", "Giá trị (đồng)": "1.000"}))
    _result, written = run(KIND, finance, content)

    undo(KIND, finance, written)

    assert not Contract.objects.exists()
    deleted = Contract.history.filter(history_type="-").order_by("history_id")
    assert [h.history_user for h in deleted] == [finance, finance]
    result, _written = run(KIND, finance, content)
    assert result.count("create") == 2


def test_an_amendment_is_undone_back_to_the_value_before(finance, signed):
    _result, written = run(
        KIND, finance, file_of(KIND, row(**{"Giá trị (đồng)": "900.000.000", **AMENDMENT}))
    )
    undo(KIND, finance, written)
    signed.refresh_from_db()
    assert signed.value == 600 * MILLION
    assert not ContractAmendment.objects.exists()


def test_nothing_is_undone_once_something_hangs_on_it(finance, allocation, approver):
    _result, written = run(KIND, finance, file_of(KIND, row()))
    contract = Contract.objects.get()
    disbursement_record(
        contract=contract,
        kind="advance",
        amount=100 * MILLION,
        paid_on=D(2019, 4, 1),
        voucher_number="UNC-1",
        by=finance,
    )
    with pytest.raises(ValidationError) as error:
        undo(KIND, finance, written)
    assert error.value.messages == [
        "Hợp đồng 12/HĐ-KCQG đã có chứng từ giải ngân trong sổ: không xoá được."
    ]

    _result, amended = run(
        KIND, finance, file_of(KIND, row(**{"Giá trị (đồng)": "900.000.000", **AMENDMENT}))
    )
    PeriodLock.objects.create(
        year=2019, fund=Fund.NATIONAL, closed_on=D(2020, 2, 1), closed_by=approver
    )
    with pytest.raises(ValidationError) as error:
        undo(KIND, finance, amended)
    assert "đã khoá ngày 01/02/2020" in error.value.messages[0]
    assert Contract.objects.get().value == 900 * MILLION


def test_an_amendment_is_not_undone_after_a_later_one(finance, signed):
    _result, first = run(
        KIND, finance, file_of(KIND, row(**{"Giá trị (đồng)": "700.000.000", **AMENDMENT}))
    )
    later = {**AMENDMENT, "Số phụ lục": "02/PL", "Ngày ký phụ lục": "01/08/2019"}
    run(KIND, finance, file_of(KIND, row(**{"Giá trị (đồng)": "800.000.000", **later})))
    with pytest.raises(ValidationError) as error:
        undo(KIND, finance, first)
    assert error.value.messages == [
        "Hợp đồng 12/HĐ-KCQG đã được điều chỉnh sau phụ lục 01/PL: không rút phụ lục này được."
    ]
    assert Decimal(Contract.objects.get().value) == 800 * MILLION


def test_an_amendment_is_not_undone_once_the_value_before_no_longer_holds(finance, signed):
    _result, up = run(
        KIND, finance, file_of(KIND, row(**{"Giá trị (đồng)": "900.000.000", **AMENDMENT}))
    )
    disbursement_record(
        contract=signed,
        kind="payment",
        amount=700 * MILLION,
        paid_on=D(2019, 8, 1),
        voucher_number="UNC-1",
        by=finance,
    )
    with pytest.raises(ValidationError) as error:
        undo(KIND, finance, up)
    assert error.value.messages == [
        "Không rút được phụ lục 01/PL: Hợp đồng 12/HĐ-KCQG đã giải ngân 700.000.000 đồng, hơn "
        "giá trị trước điều chỉnh 600.000.000 đồng."
    ]


def test_an_amendment_down_is_not_undone_once_the_support_went_to_another(finance, signed):
    _result, down = run(
        KIND, finance, file_of(KIND, row(**{"Giá trị (đồng)": "300.000.000", **AMENDMENT}))
    )
    run(
        KIND,
        finance,
        file_of(KIND, row(**{"Số hợp đồng": "13/HĐ", "Giá trị (đồng)": "700.000.000"})),
    )
    with pytest.raises(ValidationError) as error:
        undo(KIND, finance, down)
    assert error.value.messages == [
        f"Không rút được phụ lục 01/PL: đề án {CODE} được duyệt 1.000.000.000 đồng, các hợp đồng "
        "khác đã ký 700.000.000 đồng, không còn đủ cho giá trị trước điều chỉnh 600.000.000 đồng."
    ]
    assert Contract.objects.get(number="12/HĐ-KCQG").value == 300 * MILLION


def test_a_contract_with_a_schedule_is_not_removed(finance, allocation):
    _result, written = run(KIND, finance, file_of(KIND, row()))
    contract = Contract.objects.get()
    ContractTranche.objects.create(
        contract=contract, number=1, due_on=D(2019, 9, 1), amount=contract.value
    )
    with pytest.raises(ValidationError) as error:
        undo(KIND, finance, written)
    assert error.value.messages == ["Hợp đồng 12/HĐ-KCQG đã có lịch thanh toán: không xoá được."]


# --- Multi-year schemes and the template ------------------------------------------------------


def test_a_pilot_scheme_is_found_by_the_year_of_the_plan_that_funds_it(finance, allocation):
    Scheme.objects.filter(pk=allocation.scheme_id).update(kind=Scheme.Kind.PILOT)
    second_year = AllocationFactory(
        scheme=Scheme.objects.get(pk=allocation.scheme_id),
        plan=AnnualPlanFactory(year=2020),
        amount=400 * MILLION,
    )
    content = file_of(
        KIND,
        row(),
        row(**{"Năm kế hoạch": 2020, "Ngày ký": "10/02/2020", "Giá trị (đồng)": "400.000.000"}),
    )
    run(KIND, finance, content)
    assert dict(Contract.objects.values_list("allocation", "value")) == {
        allocation.pk: 600 * MILLION,
        second_year.pk: 400 * MILLION,
    }


@pytest.mark.parametrize("name", ["contracts", "disbursements"])
def test_the_template_reads_back_with_every_column(name):
    kind = REGISTRY[name]
    book = open_workbook(template_workbook(kind.title(), kind.columns(), kind.notes()))
    title, rows, found = read_rows(book, kind.columns())
    assert (title, found) == (kind.title(), [])
    assert [list(raw) for _n, raw in rows] == [[col.key for col in kind.columns()]]


def test_a_file_imported_before_the_year_closed_is_still_the_same_after(
    finance, allocation, approver
):
    content = file_of(KIND, row())
    run(KIND, finance, content)
    Settlement.objects.create(
        allocation=allocation,
        decision_number="9/QĐ-QT",
        settled_on=D(2020, 1, 20),
        settled_amount=0,
        returned_amount=allocation.amount,
    )
    PeriodLock.objects.create(
        year=2019, fund=Fund.NATIONAL, closed_on=D(2020, 2, 1), closed_by=approver
    )
    result = check(KIND, finance, content)
    assert (result.problems, [p.action for p in result.rows]) == ([], ["same"])
