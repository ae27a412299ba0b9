"""The finance entry screens (/tai-chinh/): who may record against which contract, the entry
form with Vietnamese input and its refusals (nothing saved), double submits, reversals, the
contract list's search, and query counts that do not grow with the data."""

import datetime
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from budgets.models import Disbursement
from budgets.permissions import can_record, contracts_recordable_by, ledger_scope
from budgets.services import disbursement_record
from organisations.models import Organisation
from projects.models import Fund
from provinces.models import Province
from tests.factories import ContractFactory, SchemeFactory, UserFactory

D = datetime.date
M = 1_000_000
K = Disbursement.Kind
LIST = "/tai-chinh/"


def ledger_url(contract) -> str:
    return reverse("budgets:contract-ledger", args=[contract.pk])


def reverse_url(entry) -> str:
    return reverse("budgets:disbursement-reverse", args=[entry.contract_id, entry.pk])


def _contract(code, fund, province_code, number, title="Hỗ trợ máy sấy chè"):
    scheme = SchemeFactory(
        code=code,
        title=title,
        fund=fund,
        province=Province.objects.get(code=province_code, map_version="63"),
    )
    return ContractFactory(
        allocation__scheme=scheme,
        allocation__amount=Decimal(1000 * M),
        value=Decimal(1000 * M),
        number=number,
        signed_on=D(2019, 3, 15),
    )


@pytest.fixture
def national(db):
    """A national-fund contract in Thái Nguyên (old province 19), 1 billion đồng."""
    return _contract("KCQG-TN-01", Fund.NATIONAL, "19", "15/2019/HĐ-KCQG")


@pytest.fixture
def local(db):
    """A Thái Nguyên local-fund contract, and one of Hà Nội."""
    return _contract("KCĐP-TN-01", Fund.LOCAL, "19", "07/2019/HĐ-KCĐP", title="Dệt thổ cẩm")


@pytest.fixture
def ha_noi_local(db):
    return _contract("KCĐP-HN-01", Fund.LOCAL, "01", "03/2019/HĐ-KCĐP", title="Gốm Bát Tràng")


@pytest.fixture
def users(db):
    def province(code):
        return Province.objects.get(code=code, map_version="34")

    return {
        "bo": UserFactory(
            role=Role.MINISTRY, username="ketoan-cuc", last_name="Trần Thị", first_name="Lan"
        ),
        "pheduyet": UserFactory(role=Role.APPROVER, username="pheduyet-t"),
        "quantri": UserFactory(role=Role.ADMIN, username="quantri-t", is_staff=True),
        "tinh19": UserFactory(role=Role.PROVINCE, username="tinh19-t", province=province("19")),
        "tinh01": UserFactory(role=Role.PROVINCE, username="tinh01-t", province=province("01")),
        "ipc1": UserFactory(
            role=Role.REGIONAL,
            username="ipc1-t",
            organisation=Organisation.objects.get(short_name="IPC1"),
        ),
    }


@pytest.fixture
def bo(client, users):
    client.force_login(users["bo"])
    return client


def entry_data(**overrides):
    data = {
        "kind": "payment",
        "amount": "250.000.000",
        "paid_on": "02/04/2019",
        "voucher_number": "UNC-0001",
        "note": "Thanh toán đợt 1",
    }
    data.update(overrides)
    return data


# Who may record.

LEDGER_ACCESS = {
    # user: (national contract in Thái Nguyên, Thái Nguyên local contract)
    "anonymous": (302, 302),
    "bo": (200, 403),
    "pheduyet": (403, 403),
    "quantri": (200, 200),
    "tinh19": (403, 200),
    "tinh01": (404, 404),
    "ipc1": (403, 403),
}


@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("user", LEDGER_ACCESS)
def test_who_may_record_against_which_contract(client, users, national, local, user, method):
    if user != "anonymous":
        client.force_login(users[user])
    for contract, expected in zip((national, local), LEDGER_ACCESS[user], strict=True):
        response = getattr(client, method)(ledger_url(contract), entry_data())
        status = 302 if (method == "post" and expected == 200) else expected
        assert response.status_code == status, (user, contract.number, method)
        recorded = contract.disbursements.exists()
        assert recorded is (method == "post" and expected == 200), (user, contract.number)


@pytest.mark.parametrize(
    ("user", "expected"),
    [
        ("anonymous", 302),
        ("bo", 200),
        ("quantri", 200),
        ("tinh19", 200),
        ("tinh01", 200),
        ("pheduyet", 403),
        ("ipc1", 403),
    ],
)
def test_the_start_page(client, users, user, expected):
    if user != "anonymous":
        client.force_login(users[user])
    assert client.get(LIST).status_code == expected


def test_each_user_lists_what_they_may_record(client, users, national, local, ha_noi_local):
    expected = {
        "bo": {"KCQG-TN-01"},
        "quantri": {"KCQG-TN-01", "KCĐP-TN-01", "KCĐP-HN-01"},
        "tinh19": {"KCĐP-TN-01"},
        "tinh01": {"KCĐP-HN-01"},
    }
    for user, codes in expected.items():
        client.force_login(users[user])
        rows = client.get(LIST).context["page"].object_list
        assert {contract.allocation.scheme.code for contract in rows} == codes, user
        assert (
            set(
                contracts_recordable_by(users[user]).values_list(
                    "allocation__scheme__code", flat=True
                )
            )
            == codes
        )


def test_the_rule_says_why_not(users, national, local):
    scheme = national.allocation.scheme
    assert can_record(users["bo"], scheme)
    decision = can_record(users["tinh19"], scheme)
    assert not decision
    assert "cán bộ tài chính của Cục" in decision.reason
    assert "Sở Công Thương của tỉnh" in can_record(users["bo"], local.allocation.scheme).reason
    assert ledger_scope(users["pheduyet"]).nothing
    assert ledger_scope(users["ipc1"]).nothing


def test_a_province_records_for_the_old_provinces_merged_into_it(client, users, db):
    # Bắc Kạn (old 06) is part of Thái Nguyên since 2025.
    contract = _contract("KCĐP-BK-01", Fund.LOCAL, "06", "01/2019/HĐ-BK")
    client.force_login(users["tinh19"])
    assert client.get(ledger_url(contract)).status_code == 200
    client.force_login(users["tinh01"])
    assert client.get(ledger_url(contract)).status_code == 404


def test_the_scheme_page_links_to_the_ledger_for_those_who_record(client, users, national):
    scheme_url = reverse("projects:scheme-detail", args=[national.allocation.scheme_id])
    for user, linked in (("bo", True), ("pheduyet", False), ("tinh19", False)):
        client.force_login(users[user])
        assert (ledger_url(national) in client.get(scheme_url).text) is linked, user


# The entry form.


def test_the_form_starts_today_and_shows_what_remains(bo, national):
    disbursement_record(
        contract=national,
        kind=K.ADVANCE,
        amount=Decimal(300 * M),
        paid_on=D(2019, 4, 2),
        voucher_number="UNC-0000",
    )
    page = bo.get(ledger_url(national)).text
    assert f'value="{timezone.localdate():%d/%m/%Y}"' in page
    assert "Hiện còn 700.000.000 đồng chưa giải ngân." in page
    assert '"net": "300000000"' in page  # the figures the script reads, as exact digits
    assert "js/ledger-entry.js" in page
    assert "trần 70,00%: 700.000.000 đồng" in page  # the rule in force today


@pytest.mark.parametrize(
    ("amount", "expected"),
    [
        ("250.000.000", 250 * M),
        ("250 000 000", 250 * M),
        ("250000000 đồng", 250 * M),
        ("1.000.000.000", 1000 * M),
    ],
)
def test_good_input_is_recorded(bo, users, national, amount, expected):
    response = bo.post(ledger_url(national), entry_data(amount=amount), follow=True)
    entry = national.disbursements.get()
    assert (entry.kind, entry.amount, entry.paid_on, entry.voucher_number) == (
        "payment",
        Decimal(expected),
        D(2019, 4, 2),
        "UNC-0001",
    )
    assert entry.recorded_by == users["bo"]
    assert entry.note == "Thanh toán đợt 1"
    assert response.redirect_chain == [(ledger_url(national), 302)]
    page = response.text
    remaining = f"{1000 * M - expected:,}".replace(",", ".")
    assert f"Hợp đồng còn {remaining} đồng chưa giải ngân." in page
    assert response.context["figures"].remaining == Decimal(1000 * M - expected)


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("amount", "1,5", "tiền đồng không có phần lẻ"),
        ("amount", "abc", "'abc' không phải số tiền hợp lệ"),
        ("amount", "0", "Số tiền phải từ 1 đồng trở lên."),
        ("amount", "-5.000", "số tiền không được âm"),
        ("amount", "12.50.000", "dấu chấm chỉ dùng để tách từng nhóm 3 chữ số"),
        ("amount", "", "Nhập số tiền, ví dụ 1.250.000.000."),
        ("paid_on", "2019-04-02", "viết ngày/tháng/năm"),
        ("paid_on", "31/02/2019", "tháng 2 năm 2019 không có ngày 31"),
        ("paid_on", "", "Nhập ngày chứng từ"),
        ("voucher_number", "", "Nhập số chứng từ"),
        ("kind", "", "Chọn loại: tạm ứng, thanh toán hay thu hồi."),
        ("kind", "gift", "gift không nằm trong các lựa chọn cho phép"),
    ],
)
def test_each_bad_field_says_what_is_wrong_and_nothing_is_saved(
    bo, national, field, value, message
):
    response = bo.post(ledger_url(national), entry_data(**{field: value}))
    assert response.status_code == 200
    form = response.context["form"]
    assert list(form.errors) == [field]
    assert message in " ".join(form.errors[field])
    assert any(message in line[1] for line in response.context["summary"])
    assert f'href="#id_{field}"' in response.text
    assert not national.disbursements.exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            {"amount": "1.000.000.001"},
            "vượt phần còn lại của Hợp đồng 15/2019/HĐ-KCQG: giá trị 1.000.000.000 đồng, "
            "đã giải ngân 0 đồng, còn 1.000.000.000 đồng.",
        ),
        ({"kind": "refund", "amount": "1"}, "lớn hơn số đã giải ngân"),
        ({"paid_on": "14/03/2019"}, "Ngày chứng từ 14/03/2019 trước ngày ký"),
    ],
)
def test_a_refusal_of_the_ledger_is_shown_at_the_top_and_nothing_is_saved(
    bo, national, data, message
):
    response = bo.post(ledger_url(national), entry_data(**data))
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].non_field_errors())
    assert 'id="entry-errors"' in response.text
    assert not national.disbursements.exists()
    # What was typed is still there, to be corrected.
    assert "UNC-0001" in response.text


def test_a_second_identical_post_is_refused_not_duplicated(bo, national):
    first = bo.post(ledger_url(national), entry_data())
    second = bo.post(ledger_url(national), entry_data())
    assert first.status_code == 302
    assert second.status_code == 200
    errors = second.context["form"].errors
    assert list(errors) == ["voucher_number"]
    assert "Chứng từ số UNC-0001 đã có trong sổ của hợp đồng này" in errors["voucher_number"][0]
    assert national.disbursements.count() == 1


def test_the_ledger_shows_running_net_authors_and_reversals(bo, users, national):
    for kind, amount, day, voucher in (
        (K.ADVANCE, 600, D(2019, 4, 2), "UNC-1"),
        (K.PAYMENT, 300, D(2019, 11, 20), "UNC-2"),
        (K.REFUND, 50, D(2019, 12, 5), "NT-3"),
    ):
        disbursement_record(
            contract=national,
            kind=kind,
            amount=Decimal(amount * M),
            paid_on=day,
            voucher_number=voucher,
            by=users["bo"],
        )
    entry = national.disbursements.get(voucher_number="UNC-2")
    bo.post(
        reverse_url(entry),
        {"reason": "Trùng chứng từ", "voucher_number": "DAO-2", "paid_on": "10/12/2019"},
    )
    response = bo.get(ledger_url(national))
    rows = list(response.context["entries"])
    assert [(row.voucher_number, row.running) for row in rows] == [
        ("UNC-1", Decimal(600 * M)),
        ("UNC-2", Decimal(900 * M)),
        ("NT-3", Decimal(850 * M)),
        ("DAO-2", Decimal(550 * M)),
    ]
    figures = response.context["figures"]
    assert (figures.net, figures.remaining, figures.advances, figures.advanced) == (
        Decimal(550 * M),
        Decimal(450 * M),
        Decimal(600 * M),
        Decimal(550 * M),  # 600 advanced, 50 refunded
    )
    page = response.text
    assert "đã đảo bởi DAO-2" in page
    assert "đảo UNC-2" in page
    assert "Trần Thị Lan" in page
    assert '<td class="num">−300.000.000</td>' in page
    # Only entries neither reversed nor reversing offer the reverse action.
    links = re.findall(r"/chung-tu/(\d+)/dao/", page)
    assert sorted(int(pk) for pk in links) == sorted(
        national.disbursements.filter(voucher_number__in=["UNC-1", "NT-3"]).values_list(
            "pk", flat=True
        )
    )


# Reversal from the screen.


@pytest.fixture
def payment(national, users):
    return disbursement_record(
        contract=national,
        kind=K.PAYMENT,
        amount=Decimal(400 * M),
        paid_on=D(2019, 4, 2),
        voucher_number="UNC-1",
        by=users["bo"],
    )


def reverse_data(**overrides):
    data = {"reason": "Ghi nhầm hợp đồng", "voucher_number": "DAO-1", "paid_on": "03/04/2019"}
    data.update(overrides)
    return data


def test_reverse_an_entry(bo, users, national, payment):
    assert "Đảo chứng từ UNC-1" in bo.get(reverse_url(payment)).text
    response = bo.post(reverse_url(payment), reverse_data(), follow=True)
    assert response.redirect_chain == [(ledger_url(national), 302)]
    counter = payment.reversed_by
    assert (counter.amount, counter.kind, counter.recorded_by) == (
        Decimal(-400 * M),
        K.PAYMENT,
        users["bo"],
    )
    assert "Đã đảo chứng từ UNC-1 bằng chứng từ DAO-1" in response.text
    assert "Hợp đồng còn 1.000.000.000 đồng chưa giải ngân." in response.text


def test_a_second_reverse_post_is_refused(bo, national, payment):
    bo.post(reverse_url(payment), reverse_data())
    again = bo.post(reverse_url(payment), reverse_data(voucher_number="DAO-2"))
    assert again.status_code == 200
    assert "đã được đảo bằng chứng từ DAO-1 ngày 03/04/2019" in again.text
    assert national.disbursements.count() == 2


def test_reverse_needs_a_reason_and_says_where(bo, national, payment):
    response = bo.post(reverse_url(payment), reverse_data(reason=""))
    assert response.context["form"].errors == {"reason": ["Ghi lý do đảo chứng từ."]}
    response = bo.post(reverse_url(payment), reverse_data(paid_on="01/04/2019"))
    assert "trước ngày của chứng từ UNC-1" in response.context["form"].errors["paid_on"][0]
    assert national.disbursements.count() == 1


def test_reverse_of_another_contracts_entry_is_404(bo, national, payment, db):
    other = _contract("KCQG-TN-02", Fund.NATIONAL, "19", "16/2019/HĐ-KCQG")
    url = reverse("budgets:disbursement-reverse", args=[other.pk, payment.pk])
    assert bo.get(url).status_code == 404


@pytest.mark.parametrize(("user", "expected"), [("tinh19", 403), ("tinh01", 404), ("ipc1", 403)])
def test_reverse_follows_the_same_rule(client, users, payment, user, expected):
    client.force_login(users[user])
    assert client.post(reverse_url(payment), reverse_data()).status_code == expected
    assert not Disbursement.objects.filter(reverses=payment).exists()


# The start page's search.


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("", {"KCQG-TN-01", "KCQG-TN-02"}),
        ("kcqg-tn-02", {"KCQG-TN-02"}),
        ("may say", {"KCQG-TN-01"}),
        ("máy sấy", {"KCQG-TN-01"}),
        ("15/2019/hd", {"KCQG-TN-01"}),
        ("HĐ-KCQG", {"KCQG-TN-01", "KCQG-TN-02"}),
        ("gom bat trang", set()),
    ],
)
def test_search_ignores_diacritics(bo, national, query, found):
    _contract("KCQG-TN-02", Fund.NATIONAL, "19", "16/2019/HĐ-KCQG", title="Dệt lụa tơ tằm")
    response = bo.get(LIST, {"q": query})
    assert {c.allocation.scheme.code for c in response.context["page"].object_list} == found


# Query counts.


def _grow(contract, start, count, by):
    for index in range(start, start + count):
        disbursement_record(
            contract=contract,
            kind=K.PAYMENT,
            amount=Decimal(10 * M),
            paid_on=D(2019, 4, 2) + datetime.timedelta(days=index),
            voucher_number=f"UNC-{index}",
            by=by,
        )


def test_ledger_query_count_does_not_grow(bo, users, national, django_assert_num_queries):
    _grow(national, 0, 3, users["bo"])
    bo.get(ledger_url(national))
    with django_assert_num_queries(5) as few:
        bo.get(ledger_url(national))
    _grow(national, 3, 9, users["quantri"])
    with django_assert_num_queries(len(few.captured_queries)):
        response = bo.get(ledger_url(national))
    assert len(response.context["entries"]) == 12


def test_start_page_query_count_does_not_grow(bo, national, django_assert_num_queries):
    bo.get(LIST)
    with django_assert_num_queries(4):
        bo.get(LIST)
    for index in range(6):
        _contract(f"KCQG-X-{index}", Fund.NATIONAL, "19", f"{index}/2019/HĐ-X")
    with django_assert_num_queries(4):
        response = bo.get(LIST)
    assert len(response.context["page"].object_list) == 7


def test_reverse_page_query_count_is_fixed(bo, payment, django_assert_num_queries):
    bo.get(reverse_url(payment))
    with django_assert_num_queries(4):
        bo.get(reverse_url(payment))


def test_the_ledger_in_english(bo, national, payment):
    page = bo.get(ledger_url(national), HTTP_ACCEPT_LANGUAGE="en").text
    assert "Disbursement ledger" in page
    assert "After recording: {net} đồng disbursed, {remaining} đồng left." in page
    assert "400.000.000 đồng" in page  # amounts are written as officials write them
