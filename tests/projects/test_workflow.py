import threading
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection

from accounts.models import Role
from budgets.models import Allocation
from budgets.services import MoneyChainError, scheme_approve, schemes_approve
from projects import workflow
from projects.models import Scheme, SchemeStatusChange
from projects.services import TransitionError, scheme_transition
from provinces.models import Province
from tests.factories import PlanBatchFactory, SchemeFactory, UserFactory

S = Scheme.Status
BILLION = Decimal(1_000_000_000)


def _thai_nguyen_scheme(**kwargs):
    kwargs.setdefault("status", S.DRAFT)
    return SchemeFactory(province=Province.objects.get(code="19", map_version="63"), **kwargs)


def test_every_status_has_a_row_and_every_target_is_a_status():
    assert set(workflow.TRANSITIONS) == set(S.values)
    for targets in workflow.TRANSITIONS.values():
        assert set(targets) <= set(S.values)


def test_returns_rejections_withdrawals_and_stops_need_a_reason():
    for source, targets in workflow.TRANSITIONS.items():
        for target, transition in targets.items():
            if target in (S.RETURNED, S.REJECTED, S.STOPPED) or (
                target == S.DRAFT and source != S.DRAFT
            ):
                assert transition.needs_reason, (source, target)


def test_only_the_approval_allocates_money():
    allocating = [
        (source, target)
        for source, targets in workflow.TRANSITIONS.items()
        for target, transition in targets.items()
        if transition.allocates
    ]
    assert allocating == [(S.APPRAISED, S.APPROVED)]


def test_the_journey_to_approval_records_every_step(db, thai_nguyen_user, approver):
    ministry = UserFactory(role=Role.MINISTRY, username="thamdinh")
    scheme = _thai_nguyen_scheme(support_requested=BILLION)
    for to, by in (
        (S.SUBMITTED, thai_nguyen_user),
        (S.BASE_APPRAISED, thai_nguyen_user),
        (S.REGISTERED, thai_nguyen_user),
        (S.APPRAISED, ministry),
    ):
        scheme = scheme_transition(scheme=scheme, to=to, by=by)
    batch = PlanBatchFactory(amount=2 * BILLION)
    allocation = scheme_approve(scheme=scheme, batch=batch, by=approver)
    scheme.refresh_from_db()
    assert scheme.status == S.APPROVED
    assert allocation.amount == BILLION
    steps = list(SchemeStatusChange.objects.filter(scheme=scheme).values_list("to_status", "by"))
    assert steps == [
        (S.SUBMITTED, thai_nguyen_user.pk),
        (S.BASE_APPRAISED, thai_nguyen_user.pk),
        (S.REGISTERED, thai_nguyen_user.pk),
        (S.APPRAISED, ministry.pk),
        (S.APPROVED, approver.pk),
    ]
    assert SchemeStatusChange.objects.get(to_status=S.APPROVED).decision_number == (
        batch.decision_number
    )


@pytest.mark.parametrize(
    ("status", "to", "role", "error"),
    [
        (S.DRAFT, S.APPROVED, Role.APPROVER, TransitionError),  # not a move from draft
        (S.DRAFT, S.SUBMITTED, Role.APPROVER, PermissionDenied),  # not the approver's move
        (S.REGISTERED, S.APPRAISED, Role.PROVINCE, PermissionDenied),
        (S.SETTLED, S.STOPPED, Role.APPROVER, TransitionError),
    ],
)
def test_illegal_moves_are_refused_and_change_nothing(db, status, to, role, error):
    user = UserFactory(
        role=role,
        province=Province.objects.get(code="19", map_version="34") if role == "province" else None,
    )
    scheme = _thai_nguyen_scheme(status=status)
    with pytest.raises(error):
        scheme_transition(scheme=scheme, to=to, by=user)
    scheme.refresh_from_db()
    assert scheme.status == status
    assert not SchemeStatusChange.objects.exists()


def test_a_return_without_reason_is_refused(db, approver):
    scheme = _thai_nguyen_scheme(status=S.APPRAISED)
    with pytest.raises(TransitionError, match="lý do"):
        scheme_transition(scheme=scheme, to=S.RETURNED, by=approver, reason="  ")
    scheme_transition(scheme=scheme, to=S.RETURNED, by=approver, reason="Thiếu dự toán chi tiết")
    assert SchemeStatusChange.objects.get().reason == "Thiếu dự toán chi tiết"


def test_another_province_cannot_touch_the_scheme(db, ha_noi_user):
    scheme = _thai_nguyen_scheme()
    with pytest.raises(PermissionDenied):
        scheme_transition(scheme=scheme, to=S.SUBMITTED, by=ha_noi_user)


def test_a_stale_form_or_double_click_is_refused(db, thai_nguyen_user):
    scheme = _thai_nguyen_scheme()
    scheme_transition(scheme=scheme, to=S.SUBMITTED, by=thai_nguyen_user, expected_status=S.DRAFT)
    with pytest.raises(TransitionError, match="vừa được người khác xử lý"):
        scheme_transition(
            scheme=scheme, to=S.SUBMITTED, by=thai_nguyen_user, expected_status=S.DRAFT
        )
    assert SchemeStatusChange.objects.count() == 1


def test_approval_beyond_the_envelope_changes_nothing(db, approver):
    scheme = _thai_nguyen_scheme(status=S.APPRAISED, support_requested=2 * BILLION)
    with pytest.raises(MoneyChainError):
        scheme_approve(scheme=scheme, batch=PlanBatchFactory(amount=BILLION), by=approver)
    scheme.refresh_from_db()
    assert scheme.status == S.APPRAISED
    assert not Allocation.objects.exists()
    assert not SchemeStatusChange.objects.exists()


def test_bulk_approval_is_all_or_nothing(db, approver):
    batch = PlanBatchFactory(amount=BILLION)
    fits = _thai_nguyen_scheme(status=S.APPRAISED, support_requested=BILLION / 2)
    too_much = _thai_nguyen_scheme(status=S.APPRAISED, support_requested=BILLION)
    with pytest.raises(MoneyChainError):
        schemes_approve(schemes=[fits, too_much], batch=batch, by=approver)
    assert not Allocation.objects.exists()
    fits.refresh_from_db()
    assert fits.status == S.APPRAISED
    other = _thai_nguyen_scheme(status=S.APPRAISED, support_requested=BILLION / 2)
    assert len(schemes_approve(schemes=[fits, other], batch=batch, by=approver)) == 2


@pytest.mark.django_db(transaction=True)
def test_two_approvers_at_the_same_moment(postgres_only, reference_data):
    """Two approvers press "approve" on the same scheme together: one approval, one refusal,
    one allocation, one history row."""
    first = UserFactory(role=Role.APPROVER, username="a1")
    second = UserFactory(role=Role.APPROVER, username="a2")
    scheme = _thai_nguyen_scheme(status=S.APPRAISED, support_requested=BILLION)
    batch = PlanBatchFactory(amount=10 * BILLION)
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def approve(user) -> None:
        try:
            barrier.wait(timeout=10)
            scheme_approve(scheme=scheme, batch=batch, by=user, expected_status=S.APPRAISED)
            outcomes.append("approved")
        except TransitionError:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=approve, args=(u,)) for u in (first, second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes) == ["approved", "refused"]
    assert Allocation.objects.filter(scheme=scheme).count() == 1
    assert SchemeStatusChange.objects.filter(scheme=scheme).count() == 1


def test_a_regional_centre_submits_only_its_own_schemes(db):
    from organisations.models import Organisation

    ipc1 = Organisation.objects.get(short_name="IPC1")
    staff = UserFactory(role=Role.REGIONAL, organisation=ipc1, username="ipc1-w")
    provinces_draft = _thai_nguyen_scheme()
    with pytest.raises(PermissionDenied):
        scheme_transition(scheme=provinces_draft, to=S.SUBMITTED, by=staff)
    own_draft = _thai_nguyen_scheme(implementing_unit=ipc1)
    scheme_transition(scheme=own_draft, to=S.SUBMITTED, by=staff)
    # It still appraises the provinces' registered schemes.
    registered = _thai_nguyen_scheme(status=S.REGISTERED)
    scheme_transition(scheme=registered, to=S.APPRAISED, by=staff)
