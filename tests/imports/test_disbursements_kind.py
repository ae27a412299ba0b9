"""The ledger import: every voucher checked against the rules of disbursement_record before
anything is written, the rows above in the file included (the advance cap, disbursed ≤
contracted, refunds); idempotent; all or nothing; scoped as the finance screens; undone by
counter-entries, never by deleting an entry."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl.utils.datetime import to_excel

from accounts.models import Role
from budgets.advance_rules import add_statutory_rules
from budgets.models import (
    AdvanceRule,
    AnnualPlan,
    ContractLiquidation,
    Disbursement,
    PeriodLock,
    Settlement,
)
from budgets.services import contract_disbursed, disbursement_record, disbursement_reverse
from imports.kinds import REGISTRY
from organisations.models import Organisation
from projects.models import Fund, Scheme
from tests.factories import AllocationFactory, ContractFactory, UserFactory
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

KIND = REGISTRY["disbursements"]
CODE = "KCQG-GN-01"
K = Disbursement.Kind


@pytest.fixture(autouse=True)
def advance_rules(db):
    add_statutory_rules(AdvanceRule)  # 70% first advance, 70% cap, from 11/05/2018


@pytest.fixture
def contract(db):
    return ContractFactory(
        number="12/HĐ-KCQG",
        value=1000 * MILLION,
        signed_on=D(2019, 3, 15),
        allocation__amount=1000 * MILLION,
        allocation__scheme__code=CODE,
    )


@pytest.fixture
def finance(db):
    return UserFactory(role=Role.MINISTRY, username="ketoan-so")


def row(**overrides) -> dict:
    values = {
        "Mã đề án": CODE,
        "Năm kế hoạch": 2019,
        "Số hợp đồng": "12/HĐ-KCQG",
        "Loại chứng từ": "Thanh toán",
        "Ngày chứng từ": "20/11/2019",
        "Số tiền (đồng)": "100.000.000",
        "Số chứng từ": "UNC-15",
        "Ghi chú": "",
    }
    values.update(overrides)
    return values


def one_problem(user, *rows: dict) -> str:
    found = problems(KIND, user, file_of(KIND, *rows))
    assert len(found) == 1, found
    return found[0]


def record(contract, kind, millions, day, voucher, by=None):
    return disbursement_record(
        contract=contract,
        kind=kind,
        amount=Decimal(millions) * MILLION,
        paid_on=day,
        voucher_number=voucher,
        by=by,
    )


# --- Good paths -------------------------------------------------------------------------------


def test_amounts_dates_and_kinds_as_officials_type_them(finance, contract):
    rows = [
        row(
            **{
                "Loại chứng từ": "tam ung",
                "Số tiền (đồng)": "400.000.000",
                "Số chứng từ": "1",
                "Ngày chứng từ": "01/04/2019",
            }
        ),
        row(
            **{
                "Loại chứng từ": "THANH TOAN",
                "Số tiền (đồng)": "100 000 000",
                "Số chứng từ": "2",
                "Ngày chứng từ": D(2019, 5, 2),
            }
        ),
        row(
            **{
                "Số tiền (đồng)": 50000000,
                "Số chứng từ": "3",
                "Ngày chứng từ": int(to_excel(D(2019, 6, 3))),
            }
        ),
        row(**{"Số tiền (đồng)": "25000000 ", "Số chứng từ": " 4 ", "Ngày chứng từ": " 4/7/2019 "}),
        row(
            **{
                "Loại chứng từ": "Thu hồi tạm ứng",
                "Số tiền (đồng)": 10000000.0,
                "Số chứng từ": "5",
                "Ghi chú": "Hoàn ứng thừa",
            }
        ),
        row(
            **{
                "Loại chứng từ": "thu hoi, hoan tra",
                "Số tiền (đồng)": "1.000.000 đồng",
                "Số chứng từ": "6",
            }
        ),
        # The settlement period: a voucher of 22 January counts in the plan year.
        row(
            **{
                "Số tiền (đồng)": "1\u00a0000",
                "Số chứng từ": "7",
                "Ngày chứng từ": "22/01/2020",
                "Mã đề án": CODE.lower(),
            }
        ),
    ]
    result, written = run(KIND, finance, file_of(KIND, *rows))

    assert [p.action for p in result.rows] == ["create"] * 7
    entries = {e.voucher_number: e for e in Disbursement.objects.all()}
    assert {v: (e.kind, e.paid_on, e.amount) for v, e in entries.items()} == {
        "1": (K.ADVANCE, D(2019, 4, 1), 400 * MILLION),
        "2": (K.PAYMENT, D(2019, 5, 2), 100 * MILLION),
        "3": (K.PAYMENT, D(2019, 6, 3), 50 * MILLION),
        "4": (K.PAYMENT, D(2019, 7, 4), 25 * MILLION),
        "5": (K.REFUND, D(2019, 11, 20), 10 * MILLION),
        "6": (K.REFUND, D(2019, 11, 20), 1 * MILLION),
        "7": (K.PAYMENT, D(2020, 1, 22), Decimal(1000)),
    }
    assert entries["5"].note == "Hoàn ứng thừa"
    assert {e.recorded_by for e in entries.values()} == {finance}
    assert contract_disbursed(contract) == Decimal(564_001_000)
    assert [record for record, _a in written] == sorted(entries.values(), key=lambda e: e.pk)


def test_the_same_voucher_number_under_two_contracts_is_two_entries(finance, contract):
    ContractFactory(
        allocation=contract.allocation, number="13/HĐ", value=1, signed_on=D(2019, 4, 1)
    )
    content = file_of(KIND, row(), row(**{"Số hợp đồng": "13/HĐ", "Số tiền (đồng)": "1"}))
    result, _written = run(KIND, finance, content)
    assert result.count("create") == 2


# --- Bad input, one message each --------------------------------------------------------------

BAD_CELLS = [
    (
        {"Số tiền (đồng)": "1,5 tỷ"},
        "Dòng 2, cột 'Số tiền (đồng)': '1,5 tỷ' không phải số tiền hợp lệ",
    ),
    (
        {"Số tiền (đồng)": "-100.000"},
        "Dòng 2, cột 'Số tiền (đồng)': '-100.000' không phải số tiền hợp lệ: số tiền không được "
        "âm.",
    ),
    ({"Số tiền (đồng)": -100}, "Dòng 2, cột 'Số tiền (đồng)': '-100' là số âm"),
    ({"Số tiền (đồng)": "0"}, "Dòng 2, cột 'Số tiền (đồng)': số tiền phải lớn hơn 0"),
    ({"Số tiền (đồng)": 2.5}, "Dòng 2, cột 'Số tiền (đồng)': '2.5' không phải số tiền hợp lệ"),
    (
        {"Số tiền (đồng)": "100.000.000,50"},
        "Dòng 2, cột 'Số tiền (đồng)': '100.000.000,50' không phải số tiền hợp lệ: tiền đồng "
        "không có phần lẻ, nhập số nguyên đồng, ví dụ 1.250.000.000.",
    ),
    (
        {"Loại chứng từ": "chuyen khoan"},
        "Dòng 2, cột 'Loại chứng từ': 'chuyen khoan' không phải loại chứng từ: ghi Tạm ứng; "
        "Thanh toán; Thu hồi, hoàn trả",
    ),
    ({"Loại chứng từ": ""}, "Dòng 2, cột 'Loại chứng từ': không được để trống"),
    (
        {"Ngày chứng từ": "20-11-2019"},
        "Dòng 2, cột 'Ngày chứng từ': '20-11-2019' không phải ngày hợp lệ: viết ngày/tháng/năm, "
        "ví dụ 31/12/2026.",
    ),
    (
        {"Ngày chứng từ": 100},
        "Dòng 2, cột 'Ngày chứng từ': '100' không phải ngày hợp lệ: viết ngày/tháng/năm, ví dụ "
        "31/12/2019",
    ),
    (
        {"Ngày chứng từ": "14/03/2019"},
        "Dòng 2, cột 'Ngày chứng từ': ngày 14/03/2019 trước ngày ký Hợp đồng 12/HĐ-KCQG "
        "(15/03/2019)",
    ),
    (
        {"Ngày chứng từ": "23/01/2020"},
        "Dòng 2, cột 'Ngày chứng từ': ngày 23/01/2020 ngoài năm kế hoạch 2019: chứng từ của kế "
        "hoạch năm 2019 ghi từ 01/01/2019 đến hạn quyết toán 22/01/2020",
    ),
    (
        {"Ngày chứng từ": "01/01/2099"},
        "Dòng 2, cột 'Ngày chứng từ': ngày 01/01/2099 ở tương lai: chỉ ghi những gì đã xảy ra",
    ),
    (
        {"Số hợp đồng": "99/HĐ"},
        f"Dòng 2, cột 'Số hợp đồng': đề án {CODE} năm 2019 không có hợp đồng số 99/HĐ",
    ),
    (
        {"Mã đề án": "KCQG-KHAC"},
        "Dòng 2, cột 'Mã đề án': không có đề án mã KCQG-KHAC được duyệt kinh phí trong kế "
        "hoạch năm 2019",
    ),
    (
        {"Năm kế hoạch": "năm 2019"},
        "Dòng 2, cột 'Năm kế hoạch': 'năm 2019' không phải số nguyên hợp lệ",
    ),
    ({"Số chứng từ": ""}, "Dòng 2, cột 'Số chứng từ': không được để trống"),
    ({"Số chứng từ": "U" * 61}, "Dòng 2, cột 'Số chứng từ': dài 61 ký tự, tối đa 60"),
    ({"Ghi chú": "g" * 256}, "Dòng 2, cột 'Ghi chú': dài 256 ký tự, tối đa 255"),
    (
        {"Số tiền (đồng)": "1.000.000.001"},
        "Dòng 2, cột 'Số tiền (đồng)': 1.000.000.001 đồng vượt phần còn lại của Hợp đồng "
        "12/HĐ-KCQG: giá trị 1.000.000.000 đồng, đã giải ngân 0 đồng (kể cả các dòng trên), còn "
        "1.000.000.000 đồng",
    ),
    (
        {"Loại chứng từ": "Tạm ứng", "Số tiền (đồng)": "700.000.001"},
        "Dòng 2, cột 'Số tiền (đồng)': tạm ứng lần đầu 700.000.001 đồng vượt mức 70,00% giá trị "
        "Hợp đồng 12/HĐ-KCQG (700.000.000 đồng) theo quy định tạm ứng áp dụng từ 11/05/2018",
    ),
    (
        {"Loại chứng từ": "Thu hồi", "Số tiền (đồng)": "1"},
        "Dòng 2, cột 'Số tiền (đồng)': thu hồi 1 đồng lớn hơn số đã giải ngân của Hợp đồng "
        "12/HĐ-KCQG đến ngày 20/11/2019 (kể cả các dòng trên): 0 đồng",
    ),
]


@pytest.mark.parametrize(("overrides", "message"), BAD_CELLS)
def test_each_bad_cell_is_named_by_row_and_column(finance, contract, overrides, message):
    assert one_problem(finance, row(**overrides)) == message
    assert not Disbursement.objects.exists()


def test_a_formula_is_refused(finance, contract):
    headers = [col.header for col in KIND.columns()]
    values = row(**{"Số tiền (đồng)": "=B2*2"})
    content = workbook(headers, [[values.get(h, "") for h in headers]])
    assert problems(KIND, finance, content) == [
        "Dòng 2, cột 'Số tiền (đồng)': ô chứa công thức; hãy ghi giá trị (dán bằng “Paste Values”)",
    ]


def test_a_closed_year_and_a_settled_allocation_are_refused(finance, contract, approver):
    lock = PeriodLock.objects.create(
        year=2019, fund=Fund.NATIONAL, closed_on=D(2020, 2, 1), closed_by=approver
    )
    assert one_problem(finance, row()) == (
        "Dòng 2, cột 'Ngày chứng từ': sổ năm 2019 (Khuyến công quốc gia) đã khoá ngày "
        "01/02/2020: không ghi thêm số liệu tiền của năm này"
    )
    lock.delete()
    Settlement.objects.create(
        allocation=contract.allocation,
        decision_number="9/QĐ-QT",
        settled_on=D(2020, 1, 20),
        settled_amount=0,
        returned_amount=contract.allocation.amount,
    )
    assert one_problem(finance, row()) == (
        f"Dòng 2, cột 'Mã đề án': kinh phí của đề án {CODE} năm 2019 đã quyết toán: không ghi thêm"
    )


def test_no_advance_after_the_liquidation_nor_beyond_its_value(finance, contract):
    record(contract, K.PAYMENT, 500, D(2019, 6, 1), "UNC-1")
    ContractLiquidation.objects.create(
        contract=contract, number="TL-1", signed_on=D(2019, 11, 1), final_value=600 * MILLION
    )
    assert one_problem(finance, row(**{"Loại chứng từ": "Tạm ứng"})) == (
        "Dòng 2, cột 'Số tiền (đồng)': không tạm ứng cho Hợp đồng 12/HĐ-KCQG: đã thanh lý ngày "
        "01/11/2019"
    )
    assert one_problem(finance, row(**{"Số tiền (đồng)": "100.000.001"})) == (
        "Dòng 2, cột 'Số tiền (đồng)': 100.000.001 đồng vượt phần còn lại của Hợp đồng "
        "12/HĐ-KCQG: giá trị thanh lý 600.000.000 đồng, đã giải ngân 500.000.000 đồng (kể cả "
        "các dòng trên), còn 100.000.000 đồng"
    )


def test_a_pilot_schemes_own_first_advance_rate_applies(finance, contract):
    Scheme.objects.filter(pk=contract.allocation.scheme_id).update(kind=Scheme.Kind.PILOT)
    AdvanceRule.objects.create(
        valid_from=D(2019, 1, 1),
        scheme_kind=Scheme.Kind.PILOT,
        first_advance_rate=Decimal(30),
        advance_cap_rate=Decimal(50),
        legal_basis="Quy định thử nghiệm",
    )
    assert one_problem(
        finance, row(**{"Loại chứng từ": "Tạm ứng", "Số tiền (đồng)": "300.000.001"})
    ) == (
        "Dòng 2, cột 'Số tiền (đồng)': tạm ứng lần đầu 300.000.001 đồng vượt mức 30,00% giá trị "
        "Hợp đồng 12/HĐ-KCQG (300.000.000 đồng) theo quy định tạm ứng áp dụng từ 01/01/2019"
    )


# --- Rules over the whole file ----------------------------------------------------------------


def test_two_advances_of_40_percent_break_the_70_percent_cap(finance, contract):
    content = file_of(
        KIND,
        row(
            **{
                "Loại chứng từ": "Tạm ứng",
                "Số tiền (đồng)": "400.000.000",
                "Số chứng từ": "TU-1",
                "Ngày chứng từ": "01/04/2019",
            }
        ),
        row(
            **{
                "Loại chứng từ": "Tạm ứng",
                "Số tiền (đồng)": "400.000.000",
                "Số chứng từ": "TU-2",
                "Ngày chứng từ": "01/05/2019",
            }
        ),
    )
    assert problems(KIND, finance, content) == [
        "Dòng 3, cột 'Số tiền (đồng)': tạm ứng 400.000.000 đồng vượt mức tạm ứng tối đa 70,00% "
        "giá trị Hợp đồng 12/HĐ-KCQG (700.000.000 đồng) theo quy định áp dụng từ 11/05/2018: đã "
        "tạm ứng (trừ số thu hồi, kể cả các dòng trên) 400.000.000 đồng, còn được tạm ứng "
        "300.000.000 đồng"
    ]


def test_a_refund_in_the_file_makes_room_under_the_cap(finance, contract):
    record(contract, K.ADVANCE, 600, D(2019, 4, 1), "TU-0")
    content = file_of(
        KIND,
        row(
            **{
                "Loại chứng từ": "Thu hồi",
                "Số tiền (đồng)": "200.000.000",
                "Số chứng từ": "NT-1",
                "Ngày chứng từ": "01/06/2019",
            }
        ),
        row(
            **{
                "Loại chứng từ": "Tạm ứng",
                "Số tiền (đồng)": "300.000.000",
                "Số chứng từ": "TU-2",
                "Ngày chứng từ": "01/07/2019",
            }
        ),
    )
    result, _written = run(KIND, finance, content)
    assert result.count("create") == 2
    assert contract_disbursed(contract) == 700 * MILLION


def test_the_rows_above_count_against_the_contract_value(finance, contract):
    record(contract, K.PAYMENT, 300, D(2019, 4, 1), "UNC-0")
    content = file_of(
        KIND,
        row(**{"Số tiền (đồng)": "600.000.000", "Số chứng từ": "UNC-1"}),
        row(**{"Số tiền (đồng)": "100.000.001", "Số chứng từ": "UNC-2"}),
    )
    assert problems(KIND, finance, content) == [
        "Dòng 3, cột 'Số tiền (đồng)': 100.000.001 đồng vượt phần còn lại của Hợp đồng "
        "12/HĐ-KCQG: giá trị 1.000.000.000 đồng, đã giải ngân 900.000.000 đồng (kể cả các dòng "
        "trên), còn 100.000.000 đồng"
    ]


def test_a_refund_counts_only_what_was_out_by_its_date(finance, contract):
    content = file_of(
        KIND,
        row(
            **{
                "Số tiền (đồng)": "300.000.000",
                "Số chứng từ": "UNC-1",
                "Ngày chứng từ": "01/09/2019",
            }
        ),
        row(
            **{
                "Loại chứng từ": "Thu hồi",
                "Số tiền (đồng)": "100.000.000",
                "Số chứng từ": "NT-1",
                "Ngày chứng từ": "01/08/2019",
            }
        ),
    )
    assert problems(KIND, finance, content) == [
        "Dòng 3, cột 'Số tiền (đồng)': thu hồi 100.000.000 đồng lớn hơn số đã giải ngân của Hợp "
        "đồng 12/HĐ-KCQG đến ngày 01/08/2019 (kể cả các dòng trên): 0 đồng"
    ]


def test_a_voucher_twice_in_the_file_is_refused(finance, contract):
    content = file_of(KIND, row(), row(**{"Số chứng từ": "UNC-15 ", "Số tiền (đồng)": "5"}))
    assert problems(KIND, finance, content) == [
        "Dòng 3, cột 'Số chứng từ': trùng với dòng 2 (cùng số chứng từ, cùng hợp đồng)"
    ]


# --- Vouchers already in the ledger -----------------------------------------------------------


def test_importing_the_same_file_twice_changes_nothing(finance, contract):
    content = file_of(
        KIND,
        row(
            **{
                "Loại chứng từ": "Tạm ứng",
                "Số chứng từ": "TU-1",
                "Ngày chứng từ": "01/04/2019",
                "Số tiền (đồng)": "700.000.000",
            }
        ),
        row(**{"Số chứng từ": "UNC-2", "Số tiền (đồng)": "300.000.000", "Ghi chú": "Đợt cuối"}),
    )
    run(KIND, finance, content)
    history = Disbursement.history.count()

    result, written = run(KIND, finance, content)

    assert [p.action for p in result.rows] == ["same", "same"]
    assert written == []
    assert Disbursement.history.count() == history
    assert contract_disbursed(contract) == 1000 * MILLION


def test_a_recorded_voucher_with_other_values_is_refused(finance, contract):
    record(contract, K.PAYMENT, 100, D(2019, 11, 19), "UNC-15")
    assert one_problem(finance, row()) == (
        "Dòng 2, cột 'Số chứng từ': chứng từ UNC-15 đã ghi cho hợp đồng này khác dòng này "
        "(thanh toán ngày 19/11/2019, 100.000.000 đồng): chứng từ đã ghi không sửa được; nếu ghi "
        "nhầm, đảo chứng từ trên màn hình tài chính rồi ghi chứng từ đúng với số khác"
    )


def test_a_reversed_voucher_or_a_counter_entry_is_refused(finance, contract):
    entry = record(contract, K.PAYMENT, 100, D(2019, 11, 20), "UNC-15")
    disbursement_reverse(
        entry=entry, reason="Ghi nhầm", voucher_number="DAO-15", paid_on=D(2019, 11, 21), by=finance
    )
    assert one_problem(finance, row()) == (
        "Dòng 2, cột 'Số chứng từ': chứng từ UNC-15 đã ghi rồi được đảo bằng chứng từ DAO-15 "
        "ngày 21/11/2019 (Ghi nhầm): chứng từ đã đảo không ghi lại với cùng số; nếu cần ghi "
        "lại, dùng số chứng từ khác"
    )
    assert one_problem(finance, row(**{"Số chứng từ": "DAO-15"})) == (
        "Dòng 2, cột 'Số chứng từ': số chứng từ DAO-15 là bút toán đảo của chứng từ UNC-15"
    )


# --- Scope ------------------------------------------------------------------------------------


@pytest.fixture
def local_contract(db):
    plan = AnnualPlan.objects.create(
        year=2019,
        fund=Fund.LOCAL,
        managing_unit=Organisation.objects.get(kind=Organisation.Kind.AGENCY),
        title="Kế hoạch khuyến công địa phương năm 2019",
    )
    allocation = AllocationFactory(
        amount=300 * MILLION, scheme__code="KCDP-TN-01", scheme__fund=Fund.LOCAL, plan=plan
    )
    return ContractFactory(allocation=allocation, number="5/HĐ-TN", signed_on=D(2019, 4, 1))


def test_each_user_imports_within_the_scope_of_the_finance_screens(
    finance, thai_nguyen_user, ha_noi_user, contract, local_contract
):
    local = row(**{"Mã đề án": "KCDP-TN-01", "Số hợp đồng": "5/HĐ-TN"})
    content = file_of(KIND, row(), local)

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


def test_a_user_who_records_nothing_may_not_import(approver):
    with pytest.raises(PermissionDenied) as error:
        KIND.may_import(approver)
    assert "cán bộ tài chính của Cục" in str(error.value)


# --- All or nothing, queries ------------------------------------------------------------------


def test_a_refusal_while_writing_undoes_every_row(finance, contract):
    content = file_of(
        KIND,
        row(**{"Số chứng từ": "UNC-1", "Số tiền (đồng)": "500.000.000"}),
        row(**{"Số chứng từ": "UNC-2", "Số tiền (đồng)": "500.000.000"}),
    )
    result = check(KIND, finance, content)
    assert result.ok
    # Between the preview and the writing, a payment is recorded on the finance screen.
    record(contract, K.PAYMENT, 1, D(2019, 10, 1), "UNC-MAN")

    assert refused(KIND, finance, result) == [
        "Số tiền 500.000.000 đồng vượt phần còn lại của Hợp đồng 12/HĐ-KCQG: giá trị "
        "1.000.000.000 đồng, đã giải ngân 501.000.000 đồng, còn 499.000.000 đồng."
    ]
    assert list(Disbursement.objects.values_list("voucher_number", flat=True)) == ["UNC-MAN"]


def test_checking_costs_the_same_queries_for_2_rows_and_for_20(finance, db):
    contracts = [
        ContractFactory(
            value=1000 * MILLION,
            signed_on=D(2019, 3, 15),
            allocation__amount=1000 * MILLION,
            allocation__scheme__code=f"KCQG-Q-{n:02d}",
        )
        for n in range(10)
    ]
    for contract in contracts[::2]:
        record(contract, K.ADVANCE, 100, D(2019, 4, 1), "TU-0")

    def line(i: int) -> dict:
        contract = contracts[i % 10]
        values = {"Mã đề án": contract.allocation.scheme.code, "Số hợp đồng": contract.number}
        if i < 10 and i % 2 == 0:  # the advance already in the ledger: "same"
            return row(
                **values,
                **{
                    "Loại chứng từ": "Tạm ứng",
                    "Số chứng từ": "TU-0",
                    "Ngày chứng từ": "01/04/2019",
                    "Số tiền (đồng)": "100.000.000",
                },
            )
        kind = "Tạm ứng" if i < 10 else "Thanh toán"
        return row(**values, **{"Loại chứng từ": kind, "Số chứng từ": f"CT-{i}"})

    def count(n: int) -> int:
        rows = [line(i) for i in range(n)]
        with CaptureQueriesContext(connection) as queries:
            result = check(KIND, finance, file_of(KIND, *rows))
        assert result.ok and len(result.rows) == n, [str(p) for p in result.problems]
        assert result.count("same") == len([i for i in range(min(n, 10)) if i % 2 == 0])
        return len(queries)

    assert count(2) == count(20)


# --- Undo -------------------------------------------------------------------------------------

THREE_ENTRIES = [
    {
        "Loại chứng từ": "Tạm ứng",
        "Số chứng từ": "TU-1",
        "Ngày chứng từ": "01/04/2019",
        "Số tiền (đồng)": "400.000.000",
    },
    {"Số chứng từ": "UNC-2", "Ngày chứng từ": "01/06/2019", "Số tiền (đồng)": "200.000.000"},
    {
        "Loại chứng từ": "Thu hồi",
        "Số chứng từ": "NT-3",
        "Ngày chứng từ": "01/07/2019",
        "Số tiền (đồng)": "50.000.000",
    },
]


def test_an_import_is_undone_by_counter_entries_on_the_same_days(finance, contract):
    content = file_of(KIND, *(row(**entry) for entry in THREE_ENTRIES))
    _result, written = run(KIND, finance, content)
    assert contract_disbursed(contract) == 550 * MILLION

    undo(KIND, finance, written)

    counters = Disbursement.objects.filter(reverses__isnull=False).order_by("reverses__pk")
    assert [(c.voucher_number, c.kind, c.amount, c.paid_on, c.note) for c in counters] == [
        ("TU-1/ĐẢO", K.ADVANCE, -400 * MILLION, D(2019, 4, 1), "Huỷ lần nhập tệp giải ngân"),
        ("UNC-2/ĐẢO", K.PAYMENT, -200 * MILLION, D(2019, 6, 1), "Huỷ lần nhập tệp giải ngân"),
        ("NT-3/ĐẢO", K.REFUND, -50 * MILLION, D(2019, 7, 1), "Huỷ lần nhập tệp giải ngân"),
    ]
    assert {c.recorded_by for c in counters} == {finance}
    # The ledger nets out on every day, as if the file had never been imported.
    for day in (D(2019, 4, 1), D(2019, 6, 1), D(2019, 7, 1), D(2019, 12, 31)):
        assert contract_disbursed(contract, on=day) == 0
    # The entries stay, so the same file is refused row by row, saying why.
    found = problems(KIND, finance, content)
    assert len(found) == 3
    assert found[0] == (
        "Dòng 2, cột 'Số chứng từ': chứng từ TU-1 đã ghi rồi được đảo bằng chứng từ TU-1/ĐẢO "
        "ngày 01/04/2019 (Huỷ lần nhập tệp giải ngân): chứng từ đã đảo không ghi lại với cùng "
        "số; nếu cần ghi lại, dùng số chứng từ khác"
    )


def test_an_entry_reversed_by_hand_is_left_as_it_is(finance, contract):
    _result, written = run(KIND, finance, file_of(KIND, row()))
    disbursement_reverse(
        entry=written[0][0], reason="Ghi nhầm", voucher_number="DAO-1", paid_on=None, by=finance
    )
    undo(KIND, finance, written)
    assert Disbursement.objects.count() == 2
    assert contract_disbursed(contract) == 0


def test_an_entry_a_later_refund_needs_is_not_undone(finance, contract):
    _result, written = run(KIND, finance, file_of(KIND, row(**{"Số tiền (đồng)": "300.000.000"})))
    record(contract, K.REFUND, 200, D(2019, 12, 1), "NT-9")

    with pytest.raises(ValidationError) as error:
        undo(KIND, finance, written)

    assert error.value.messages == [
        "Không thể đảo chứng từ UNC-15 (300.000.000 đồng): đến ngày 01/12/2019 Hợp đồng "
        "12/HĐ-KCQG chỉ có 100.000.000 đồng đã giải ngân, số thu hồi sẽ lớn hơn số đã chi. Đảo "
        "chứng từ thu hồi trước."
    ]
    assert not Disbursement.objects.filter(reverses__isnull=False).exists()


def test_nothing_is_undone_in_a_closed_year(finance, contract, approver):
    _result, written = run(KIND, finance, file_of(KIND, row()))
    PeriodLock.objects.create(
        year=2019, fund=Fund.NATIONAL, closed_on=D(2020, 2, 1), closed_by=approver
    )
    with pytest.raises(ValidationError) as error:
        undo(KIND, finance, written)
    assert "Sổ năm 2019 (Khuyến công quốc gia) đã khoá ngày 01/02/2020" in error.value.messages[0]
    assert Disbursement.objects.count() == 1


def test_a_long_voucher_gets_a_counter_voucher_that_fits(finance, contract):
    voucher = "U" * 60
    _result, written = run(KIND, finance, file_of(KIND, row(**{"Số chứng từ": voucher})))
    undo(KIND, finance, written)
    counter = Disbursement.objects.get(reverses__isnull=False)
    assert counter.voucher_number == f"ĐẢO-{written[0][0].pk}"


def test_a_file_imported_before_the_year_closed_is_still_the_same_after(
    finance, contract, approver
):
    content = file_of(KIND, row())
    run(KIND, finance, content)
    Settlement.objects.create(
        allocation=contract.allocation,
        decision_number="9/QĐ-QT",
        settled_on=D(2020, 1, 20),
        settled_amount=100 * MILLION,
        returned_amount=900 * MILLION,
    )
    PeriodLock.objects.create(
        year=2019, fund=Fund.NATIONAL, closed_on=D(2020, 2, 1), closed_by=approver
    )
    result = check(KIND, finance, content)
    assert (result.problems, [p.action for p in result.rows]) == ([], ["same"])
