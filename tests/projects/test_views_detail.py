"""The scheme page (/de-an/<pk>/): facts, the money chain, contracts and their ledger, the
schedule, the status timeline and the change log, in a fixed number of queries; 404 for a scheme
the user may not see."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from establishments.models import Establishment
from organisations.models import Organisation
from projects.models import Scheme
from provinces.models import Province
from reference.models import ContentArea
from tests.factories import (
    AllocationFactory,
    ContractFactory,
    DisbursementFactory,
    EstablishmentFactory,
    SchemeFactory,
)

D = datetime.date
M = 1_000_000
S = Scheme.Status


def url(scheme) -> str:
    return reverse("projects:scheme-detail", args=[scheme.pk])


def save_as(scheme, user, **changes):
    for name, value in changes.items():
        setattr(scheme, name, value)
    scheme._history_user = user
    scheme.save()


@pytest.fixture
def scheme(db, ministry_user):
    """A Bắc Kạn scheme of 2019 (Bắc Kạn is part of Thái Nguyên since 2025), approved for
    1 billion, contracted for 900 million, with an advance, a payment and a refund."""
    scheme = SchemeFactory(
        code="KCQG-2019-042",
        title="Hỗ trợ máy sấy miến dong",
        province=Province.objects.get(code="06", map_version="63"),
        counterpart_funding=Decimal(350 * M),
        kind=Scheme.Kind.PILOT,
    )
    scheme.coordinating_units.set([Organisation.objects.get(short_name="IPC1")])
    scheme.beneficiaries.set(
        [
            EstablishmentFactory(
                name="Hợp tác xã miến dong Côn Minh",
                legal_form=Establishment.LegalForm.COOPERATIVE,
                registration_code="4700123456",
                commune="xã Côn Minh",
            )
        ]
    )
    allocation = AllocationFactory(scheme=scheme, amount=Decimal(1000 * M))
    contract = ContractFactory(
        allocation=allocation, number="42/HĐ-KCQG", value=Decimal(900 * M), signed_on=D(2019, 3, 15)
    )
    for kind, amount, day, voucher in (
        ("advance", 600, D(2019, 4, 2), "UNC-0001"),
        ("payment", 300, D(2019, 11, 20), "UNC-0002"),
        ("refund", 50, D(2019, 12, 5), "NTNS-0003"),
    ):
        DisbursementFactory(
            contract=contract,
            kind=kind,
            amount=Decimal(amount * M),
            paid_on=day,
            voucher_number=voucher,
        )
    save_as(scheme, ministry_user, status=S.CONTRACTED)
    save_as(scheme, ministry_user, title="Hỗ trợ ứng dụng máy sấy miến dong")
    save_as(scheme, ministry_user, status=S.IN_PROGRESS)
    return scheme


@pytest.fixture
def client_bo(client, ministry_user):
    client.force_login(ministry_user)
    return client


def test_anonymous_visitors_are_sent_to_sign_in(client, scheme):
    response = client.get(url(scheme))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_a_province_sees_its_own_and_gets_404_for_others(
    client, scheme, thai_nguyen_user, ha_noi_user
):
    client.force_login(thai_nguyen_user)  # Bắc Kạn merged into Thái Nguyên
    assert client.get(url(scheme)).status_code == 200
    client.force_login(ha_noi_user)
    assert client.get(url(scheme)).status_code == 404


def test_unknown_scheme_is_404(client_bo, scheme):
    assert (
        client_bo.get(reverse("projects:scheme-detail", args=[scheme.pk + 999])).status_code == 404
    )


def test_facts(client_bo, scheme):
    page = client_bo.get(url(scheme)).text
    for text in (
        "KCQG-2019-042",
        "Hỗ trợ ứng dụng máy sấy miến dong",
        "Năm kế hoạch 2019",
        "Khuyến công quốc gia",
        "Đề án điểm",
        "Đang thực hiện",
        "3. Xây dựng mô hình trình diễn",
        "Tỉnh Bắc Kạn",  # as made
        "Tỉnh Thái Nguyên",  # its unit on the 34-unit map
        "Trung tâm Khuyến công tỉnh Bắc Kạn",
        "IPC1",
        "Hợp tác xã miến dong Côn Minh",
        "Hợp tác xã",
        "xã Côn Minh",
        "01/03/2019 – 30/11/2019",
        "1.000.000.000 đồng",  # support requested
        "350.000.000 đồng",  # counterpart
    ):
        assert text in page, text


def test_money_chain_and_ledger(client_bo, scheme):
    response = client_bo.get(url(scheme))
    money = response.context["money"]
    assert money.approved == Decimal(1000 * M)
    assert money.contracted == Decimal(900 * M)
    assert (money.advances, money.payments, money.refunds) == (
        Decimal(600 * M),
        Decimal(300 * M),
        Decimal(50 * M),
    )
    assert money.disbursed == Decimal(850 * M)
    assert money.remaining == Decimal(150 * M)
    # By today the deadline has passed: expected = contracted; 50 of 900 million (5,6%) is
    # within the margin.
    assert (money.expected, money.lag, money.behind) == (Decimal(900 * M), Decimal(50 * M), False)
    page = response.text
    for text in (
        "1.000.000.000",
        "900.000.000",
        "850.000.000",
        "150.000.000",
        "85,00% kinh phí duyệt",
        "42/HĐ-KCQG",
        "15/03/2019",
        "02/04/2019",
        "UNC-0001",
        "Tạm ứng",
        "Thanh toán",
        "Thu hồi, hoàn trả",
        "−50.000.000",
        "quyết định",
    ):
        assert text in page, text


def test_schedule_behind(client_bo, db):
    contract = ContractFactory(value=Decimal(1000 * M), signed_on=D(2019, 3, 15))
    DisbursementFactory(contract=contract, amount=Decimal(100 * M), paid_on=D(2019, 4, 1))
    response = client_bo.get(url(contract.allocation.scheme))
    money = response.context["money"]
    assert money.behind is True
    assert money.lag == Decimal(900 * M)
    assert "Chậm tiến độ" in response.text
    assert "90,00% giá trị hợp đồng" in response.text


def test_scheme_without_allocation(client_bo, db):
    scheme = SchemeFactory(status=S.SUBMITTED)
    response = client_bo.get(url(scheme))
    assert response.status_code == 200
    assert "chưa được phê duyệt trong kế hoạch nào" in response.text
    assert "Chưa ký hợp đồng" in response.text


def test_timeline_shows_only_status_changes(client_bo, scheme, ministry_user):
    timeline = client_bo.get(url(scheme)).context["timeline"]
    steps = [(step.old, step.new) for step in timeline]
    assert [(str(old) if old else None, str(new)) for old, new in steps] == [
        (None, "Đã phê duyệt"),
        ("Đã phê duyệt", "Đã ký hợp đồng / giao nhiệm vụ"),
        ("Đã ký hợp đồng / giao nhiệm vụ", "Đang thực hiện"),
    ]
    assert timeline[1].user == ministry_user
    page = client_bo.get(url(scheme)).text
    assert "Đã phê duyệt → <strong>Đã ký hợp đồng / giao nhiệm vụ</strong>" in page


def test_change_log_names_who_changed_what(client_bo, scheme, ministry_user):
    ministry_user.last_name, ministry_user.first_name = "Nguyễn Văn", "An"
    ministry_user.save()
    scheme.content_areas.set([ContentArea.objects.get(code="nd45-1")])
    save_as(scheme, ministry_user, implementing_unit=Organisation.objects.get(short_name="IPC1"))
    changes = client_bo.get(url(scheme)).context["changes"]
    newest = changes[0]
    assert newest.user == ministry_user
    assert [(c.label, c.old, c.new) for c in newest.changes] == [
        ("Đơn vị thực hiện", "Trung tâm Khuyến công tỉnh Bắc Kạn", "IPC1")
    ]
    # set() removes, then adds: simple_history keeps a row for each step.
    areas = [
        (c.old, c.new) for e in changes for c in e.changes if c.label == "Nội dung khuyến công"
    ]
    assert areas[:2] == [("—", "1. Đào tạo nghề"), ("3. Mô hình trình diễn, máy móc", "—")]
    titles = [c for entry in changes for c in entry.changes if c.label == "Tên đề án"]
    assert [(c.old, c.new) for c in titles] == [
        ("Hỗ trợ máy sấy miến dong", "Hỗ trợ ứng dụng máy sấy miến dong")
    ]
    assert changes[-1].created
    page = client_bo.get(url(scheme)).text
    assert "Nguyễn Văn An" in page
    assert (
        "<del>Hỗ trợ máy sấy miến dong</del> → <ins>Hỗ trợ ứng dụng máy sấy miến dong</ins>" in page
    )


def test_change_log_keeps_the_last_twenty(client_bo, scheme, ministry_user):
    for index in range(25):
        save_as(scheme, ministry_user, description=f"Lần sửa {index}")
    changes = client_bo.get(url(scheme)).context["changes"]
    assert len(changes) == 20
    assert changes[0].changes[0].new == "Lần sửa 24"
    assert changes[-1].changes[0].new == "Lần sửa 5"


def test_documents_are_not_faked(client_bo, scheme):
    page = client_bo.get(url(scheme)).text
    assert "Tài liệu" in page
    assert "chưa lưu tài liệu nào" in page


def _grow(scheme, user, start, count):
    allocation = scheme.allocations.get()
    for index in range(start, start + count):
        contract = ContractFactory(
            allocation=allocation,
            number=f"{index}/HĐ",
            value=Decimal(10 * M),
            signed_on=D(2019, 5, 2),
        )
        for kind in ("advance", "payment", "refund"):
            DisbursementFactory(
                contract=contract, kind=kind, amount=Decimal(M), voucher_number=f"{kind}-{index}"
            )
        save_as(scheme, user, description=f"Sửa {index}", status=S.IN_PROGRESS)
        save_as(scheme, user, status=S.CONTRACTED if index % 2 else S.IN_PROGRESS)
    scheme.beneficiaries.add(EstablishmentFactory())
    scheme.coordinating_units.add(Organisation.objects.filter(kind="department")[start])


def test_query_count_does_not_grow_with_contracts_ledger_or_history(
    client_bo, scheme, ministry_user
):
    _grow(scheme, ministry_user, 0, 3)
    client_bo.get(url(scheme))
    with CaptureQueriesContext(connection) as few:
        client_bo.get(url(scheme))
    _grow(scheme, ministry_user, 3, 6)
    with CaptureQueriesContext(connection) as more:
        response = client_bo.get(url(scheme))
    assert sum(1 for _ in response.context["scheme"].allocations.get().contracts.all()) == 10
    assert len(few) == len(more)
    assert len(more) <= 25, len(more)  # 18 today


def test_the_timeline_shows_the_workflow_with_reasons(client, ministry_user, approver):
    from projects.models import Scheme as SchemeModel
    from projects.services import scheme_transition
    from tests.factories import SchemeFactory

    scheme = SchemeFactory(status=SchemeModel.Status.APPRAISED)
    scheme_transition(
        scheme=scheme, to=SchemeModel.Status.RETURNED, by=approver, reason="Thiếu bản dự toán"
    )
    client.force_login(ministry_user)
    page = client.get(reverse("projects:scheme-detail", args=[scheme.pk])).text
    assert "Thiếu bản dự toán" in page
    assert "Trả lại để chỉnh sửa" in page
