from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import Role
from budgets.models import Allocation
from projects.models import Scheme, SchemeStatusChange
from provinces.models import Province
from tests.factories import PlanBatchFactory, SchemeFactory, UserFactory

URL = "/admin/budgets/schemeawaitingapproval/"
S = Scheme.Status
BILLION = Decimal(1_000_000_000)


@pytest.fixture
def approver_client(client, db):
    user = UserFactory(role=Role.APPROVER, username="pheduyet-q", is_staff=True)
    user.user_permissions.set(
        Permission.objects.filter(
            content_type__app_label__in=["projects", "budgets"], codename__startswith="view_"
        )
        | Permission.objects.filter(codename="change_schemeawaitingapproval")
    )
    client.force_login(user)
    return client


def _waiting(count, status=S.APPRAISED, requested=BILLION):
    province = Province.objects.get(code="19", map_version="63")
    return SchemeFactory.create_batch(
        count, status=status, support_requested=requested, province=province
    )


def _post(client, action, schemes, **data):
    payload = {"action": action, "_selected_action": [s.pk for s in schemes], **data}
    return client.post(URL, payload, follow=True)


def test_queue_lists_only_schemes_waiting_for_a_decision(approver_client):
    waiting = _waiting(2) + _waiting(1, status=S.REGISTERED)
    SchemeFactory(status=S.DRAFT, code="NOT-WAITING")
    page = approver_client.get(URL).text
    for scheme in waiting:
        assert scheme.code in page
    assert "NOT-WAITING" not in page


def test_approval_page_shows_the_remaining_envelope(approver_client):
    batch = PlanBatchFactory(amount=3 * BILLION)
    schemes = _waiting(2)
    page = _post(approver_client, "approve_selected", schemes).text
    assert "3.000.000.000 đồng" in page  # envelope and remaining, nothing allocated yet
    assert "2.000.000.000 đồng" in page  # total requested
    assert batch.decision_number in page


def test_bulk_approval_in_one_batch(approver_client):
    batch = PlanBatchFactory(amount=3 * BILLION)
    schemes = _waiting(2)
    response = _post(approver_client, "approve_selected", schemes, confirm="1", batch=batch.pk)
    assert "Phê duyệt: 2 đề án." in response.text
    assert Allocation.objects.filter(batch=batch).count() == 2
    assert set(Scheme.objects.values_list("status", flat=True)) == {S.APPROVED}
    assert set(SchemeStatusChange.objects.values_list("decision_number", flat=True)) == {
        batch.decision_number
    }


def test_approval_beyond_the_envelope_is_refused_whole(approver_client):
    batch = PlanBatchFactory(amount=BILLION + BILLION // 2)
    schemes = _waiting(2)
    response = _post(approver_client, "approve_selected", schemes, confirm="1", batch=batch.pk)
    assert "chỉ còn 500.000.000 đồng" in response.text
    assert not Allocation.objects.exists()
    assert set(Scheme.objects.values_list("status", flat=True)) == {S.APPRAISED}


def test_return_needs_a_reason_and_records_it(approver_client):
    schemes = _waiting(2)
    response = _post(approver_client, "return_selected", schemes, confirm="1", reason="")
    assert "Trường này là bắt buộc." in response.text
    assert not SchemeStatusChange.objects.exists()
    _post(approver_client, "return_selected", schemes, confirm="1", reason="Bổ sung dự toán")
    assert set(SchemeStatusChange.objects.values_list("to_status", "reason")) == {
        (S.RETURNED, "Bổ sung dự toán")
    }
    assert SchemeStatusChange.objects.count() == 2


def test_an_approver_cannot_appraise_and_nothing_changes(approver_client):
    schemes = _waiting(1, status=S.REGISTERED)
    response = _post(approver_client, "appraise_selected", schemes, confirm="1")
    assert "Vai trò của bạn không được" in response.text
    assert Scheme.objects.get().status == S.REGISTERED


def test_queue_query_count_does_not_grow(approver_client):
    _waiting(3)
    approver_client.get(URL)
    with CaptureQueriesContext(connection) as first:
        approver_client.get(URL)
    _waiting(3, status=S.REGISTERED)
    with CaptureQueriesContext(connection) as second:
        approver_client.get(URL)
    assert len(first) == len(second)
