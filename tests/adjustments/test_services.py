import datetime
import threading
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction

from accounts.models import Role
from adjustments.models import AdjustmentRequest, Authority, ContentChange, Kind
from adjustments.services import adjustment_decide, adjustment_request, adjustment_withdraw
from budgets.models import Allocation
from notifications.models import Notification
from organisations.models import Organisation
from projects.models import Scheme, SchemeStatusChange
from provinces.models import Province
from tests.adjustments.conftest import BILLION, make_scheme
from tests.factories import ContractFactory, PlanBatchFactory, UserFactory

D = datetime.date
S = Scheme.Status
R = AdjustmentRequest.Status


def _request(scheme, by, kind=Kind.AMOUNT, **values):
    defaults = {Kind.AMOUNT: {"requested_amount": Decimal(1_200_000_000)}}
    return adjustment_request(
        scheme=scheme,
        kind=kind,
        reason="Giá máy móc tăng",
        by=by,
        **{**defaults.get(kind, {}), **values},
    )


def _approve(request, by, number="123/QĐ-BCT"):
    return adjustment_decide(request=request, approve=True, by=by, decision_number=number)


def _refuse(request, by, reason="Không đủ căn cứ"):
    return adjustment_decide(request=request, approve=False, by=by, reason=reason)


class TestRequest:
    def test_keeps_the_values_before_and_after_and_the_authority(self, scheme, sct):
        request = _request(scheme, sct)
        assert request.status == R.REQUESTED
        assert request.current_amount == BILLION
        assert request.requested_amount == Decimal(1_200_000_000)
        assert request.allocation == scheme.allocations.get()
        assert request.scheme_status == S.CONTRACTED
        assert request.current_end_date == D(2019, 11, 30)
        assert request.authority == Authority.MINISTER
        assert "tăng tổng kinh phí" in request.get_basis_display()
        assert request.history.count() == 1
        assert request.history.get().history_user == sct

    def test_only_the_unit_that_prepares_it(self, scheme, ha_noi_user, leader, ministry_user):
        for outsider in (ha_noi_user, leader, ministry_user):
            with pytest.raises(PermissionDenied):
                _request(scheme, outsider)
        assert not AdjustmentRequest.objects.exists()

    @pytest.mark.parametrize("status", [S.DRAFT, S.APPRAISED, S.ACCEPTED, S.STOPPED])
    def test_only_in_the_plan_before_acceptance(self, batch, sct, status):
        scheme = make_scheme(batch, status=status)
        with pytest.raises(ValidationError) as error:
            _request(scheme, sct)
        assert str(Scheme.Status(status).label) in error.value.messages[0]

    def test_one_open_request_per_scheme(self, scheme, sct):
        first = _request(scheme, sct)
        with pytest.raises(ValidationError) as error:
            _request(scheme, sct, kind=Kind.STOP)
        assert "đang có đề nghị “Điều chỉnh kinh phí hỗ trợ”" in error.value.messages[0]
        adjustment_withdraw(request=first, by=sct)
        assert _request(scheme, sct, kind=Kind.STOP).status == R.REQUESTED

    def test_the_database_also_holds_one_open_request(self, scheme, sct):
        first = _request(scheme, sct)
        twin = AdjustmentRequest.objects.get(pk=first.pk)
        twin.pk = None
        with pytest.raises(IntegrityError), transaction.atomic():
            twin.save()

    def test_reason_and_kind_values_are_required(self, scheme, sct):
        with pytest.raises(ValidationError) as error:
            adjustment_request(scheme=scheme, kind=Kind.STOP, reason="  ", by=sct)
        assert "lý do" in error.value.message_dict["reason"][0]
        with pytest.raises(ValidationError) as error:
            adjustment_request(scheme=scheme, kind=Kind.AMOUNT, reason="x", by=sct)
        assert "requested_amount" in error.value.message_dict
        with pytest.raises(ValidationError) as error:
            _request(scheme, sct, kind=Kind.SCHEDULE, requested_end_date=D(2019, 1, 1))
        assert "trước ngày bắt đầu của đề án (01/03/2019)" in str(error.value)
        with pytest.raises(ValidationError):
            _request(scheme, sct, kind=Kind.CONTENT)
        with pytest.raises(ValidationError):
            _request(scheme, sct, kind=Kind.UNIT, requested_unit=scheme.implementing_unit)
        assert not AdjustmentRequest.objects.exists()


class TestAmount:
    def test_a_raise_approved_by_the_approver_changes_the_ledger(self, scheme, sct, leader):
        request = _approve(_request(scheme, sct), leader)
        assert request.status == R.APPROVED
        assert (request.decided_by, request.decision_number) == (leader, "123/QĐ-BCT")
        allocation = scheme.allocations.get()
        assert allocation.amount == Decimal(1_200_000_000)
        amounts = [row.amount for row in allocation.history.order_by("history_date")]
        assert amounts == [BILLION, Decimal(1_200_000_000)]
        assert allocation.history.latest().history_user == leader
        # The ledger keeps the change with the decision that made it.
        change = allocation.changes.get()
        assert (change.amount_before, change.amount_after, change.decision_number) == (
            BILLION,
            Decimal(1_200_000_000),
            "123/QĐ-BCT",
        )
        assert change.decided_on == request.decided_on
        assert change.recorded_by == leader

    def test_a_cut_is_the_agencys(self, scheme, sct, leader):
        request = _request(scheme, sct, requested_amount=Decimal(800_000_000))
        assert request.authority == Authority.AGENCY
        _approve(request, leader)
        assert scheme.allocations.get().amount == Decimal(800_000_000)

    def test_refused_changes_nothing_and_needs_a_reason(self, scheme, sct, leader):
        request = _request(scheme, sct)
        with pytest.raises(ValidationError):
            _refuse(request, leader, reason="")
        refused = _refuse(request, leader)
        assert (refused.status, refused.decision_reason) == (R.REFUSED, "Không đủ căn cứ")
        assert scheme.allocations.get().amount == BILLION

    def test_above_the_remaining_envelope_nothing_is_half_made(self, batch, sct, leader):
        scheme = make_scheme(batch, amount=9 * BILLION)
        request = _request(scheme, sct, requested_amount=11 * BILLION)
        with pytest.raises(ValidationError) as error:
            _approve(request, leader)
        # 10 billion in the plan, none of it for other schemes: this one may have up to 10.
        assert "Không thể duyệt 11.000.000.000 đồng" in error.value.messages[0]
        assert "chỉ còn 10.000.000.000 đồng" in error.value.messages[0]
        request.refresh_from_db()
        assert (request.status, request.decided_by) == (R.REQUESTED, None)
        assert Allocation.objects.get(scheme=scheme).amount == 9 * BILLION

    def test_below_what_is_contracted_is_refused(self, scheme, sct, leader):
        ContractFactory(allocation=scheme.allocations.get(), value=Decimal(900_000_000))
        request = _request(scheme, sct, requested_amount=Decimal(500_000_000))
        with pytest.raises(ValidationError):
            _approve(request, leader)
        assert AdjustmentRequest.objects.get().status == R.REQUESTED

    def test_approval_needs_a_decision_number(self, scheme, sct, leader):
        with pytest.raises(ValidationError) as error:
            _approve(_request(scheme, sct), leader, number=" ")
        assert "decision_number" in error.value.message_dict

    def test_a_stale_amount_is_refused(self, scheme, batch, sct, leader):
        request = _request(scheme, sct)
        Allocation.objects.filter(scheme=scheme).update(amount=Decimal(700_000_000))
        with pytest.raises(ValidationError) as error:
            _approve(request, leader)
        assert "đã thay đổi từ khi gửi đề nghị" in error.value.messages[0]


class TestScheduleUnitContent:
    def test_schedule_within_the_year_approved(self, scheme, sct, leader):
        request = _request(scheme, sct, kind=Kind.SCHEDULE, requested_end_date=D(2019, 12, 20))
        assert request.authority == Authority.AGENCY
        _approve(request, leader)
        scheme.refresh_from_db()
        assert scheme.end_date == D(2019, 12, 20)
        latest = scheme.history.latest()
        assert (latest.history_user, latest.history_change_reason) == (leader, "Giá máy móc tăng")

    def test_schedule_into_next_year_is_the_ministers_and_refused(self, scheme, sct, leader):
        request = _request(scheme, sct, kind=Kind.SCHEDULE, requested_end_date=D(2020, 3, 1))
        assert request.authority == Authority.MINISTER
        _refuse(request, leader)
        scheme.refresh_from_db()
        assert scheme.end_date == D(2019, 11, 30)

    def test_unit_approved_and_refused(self, batch, scheme, sct, leader):
        other = Organisation.objects.filter(
            province__successor__code="19", province__successor__map_version="34"
        ).exclude(pk=scheme.implementing_unit_id)[0]
        request = _request(scheme, sct, kind=Kind.UNIT, requested_unit=other)
        assert request.changes()[0][1:] == (scheme.implementing_unit.name, other.name)
        _approve(request, leader)
        scheme.refresh_from_db()
        assert scheme.implementing_unit == other
        second = make_scheme(batch)
        _refuse(_request(second, sct, kind=Kind.UNIT, requested_unit=other), leader)
        second.refresh_from_db()
        assert second.implementing_unit != other

    def test_content_area_is_the_ministers(self, scheme, sct, leader):
        request = _request(scheme, sct, kind=Kind.CONTENT, content_change=ContentChange.AREA)
        assert request.authority == Authority.MINISTER
        assert _approve(request, leader).status == R.APPROVED
        second = make_scheme(scheme.allocations.get().batch)
        other = _request(second, sct, kind=Kind.CONTENT, content_change=ContentChange.OTHER)
        assert _refuse(other, leader).status == R.REFUSED

    def test_group_scheme_place_is_decided_by_its_own_so(self, batch, sct, so, leader, ha_noi_user):
        scheme = make_scheme(batch, kind=Scheme.Kind.GROUP)
        request = _request(scheme, sct, kind=Kind.CONTENT, content_change=ContentChange.PLACE)
        assert request.authority == Authority.DEPARTMENT
        with pytest.raises(PermissionDenied):
            _approve(request, leader)
        with pytest.raises(PermissionDenied):  # cannot even see the scheme
            _approve(request, ha_noi_user)
        with pytest.raises(PermissionDenied) as error:
            _approve(request, sct)
        assert "không tự quyết định" in str(error.value)
        assert _approve(request, so, number="45/SCT-QLCN").decided_by == so

    def test_the_approver_may_not_decide_for_another_authority_role(
        self, scheme, sct, ministry_user
    ):
        request = _request(scheme, sct, kind=Kind.STOP)
        with pytest.raises(PermissionDenied):
            _approve(request, ministry_user)


class TestStop:
    def test_approved_stop_moves_the_status_with_its_record(self, scheme, sct, leader):
        request = _request(scheme, sct, kind=Kind.STOP)
        assert request.authority == Authority.MINISTER
        adjustment_decide(
            request=request,
            approve=True,
            by=leader,
            decision_number="9/QĐ-BCT",
            reason="Cơ sở thụ hưởng giải thể",
        )
        scheme.refresh_from_db()
        assert scheme.status == S.STOPPED
        change = SchemeStatusChange.objects.get(scheme=scheme)
        assert (change.from_status, change.to_status, change.by) == (
            S.CONTRACTED,
            S.STOPPED,
            leader,
        )
        assert (change.reason, change.decision_number) == ("Cơ sở thụ hưởng giải thể", "9/QĐ-BCT")

    def test_refused_stop_leaves_the_status(self, scheme, sct, leader):
        _refuse(_request(scheme, sct, kind=Kind.STOP), leader)
        scheme.refresh_from_db()
        assert scheme.status == S.CONTRACTED
        assert not SchemeStatusChange.objects.exists()


class TestStaleAndDouble:
    def test_a_second_decision_is_refused(self, scheme, sct, leader):
        request = _request(scheme, sct)
        _refuse(request, leader)
        with pytest.raises(ValidationError) as error:
            _approve(request, leader)
        assert "vừa được xử lý: hiện là “Không được chấp thuận”" in error.value.messages[0]
        assert scheme.allocations.get().amount == BILLION

    def test_a_withdrawn_request_cannot_be_decided(self, scheme, sct, leader):
        request = _request(scheme, sct)
        adjustment_withdraw(request=request, by=sct)
        with pytest.raises(ValidationError):
            _approve(request, leader)

    def test_a_stale_form_is_refused(self, scheme, sct, leader):
        request = _request(scheme, sct)
        with pytest.raises(ValidationError):
            adjustment_decide(
                request=request,
                approve=True,
                by=leader,
                decision_number="1",
                expected_status=R.REFUSED,
            )

    def test_only_the_requesting_unit_withdraws(self, scheme, sct, leader, so):
        request = _request(scheme, sct)
        with pytest.raises(PermissionDenied):
            adjustment_withdraw(request=request, by=leader)
        assert adjustment_withdraw(request=request, by=so).status == R.WITHDRAWN


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_decisions_apply_once(postgres_only, reference_data):
    """Two approvers approve the same raise at once: one applies it, the other is refused."""
    batch = PlanBatchFactory(amount=10 * BILLION)
    scheme = make_scheme(batch)
    sct = UserFactory(
        role=Role.PROVINCE, province=Province.objects.get(code="19", map_version="34")
    )
    leaders = [UserFactory(role=Role.APPROVER) for _ in range(2)]
    request = _request(scheme, sct)
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def decide(user) -> None:
        try:
            barrier.wait(timeout=10)
            _approve(request, user)
            outcomes.append("ok")
        except ValidationError:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=decide, args=(user,)) for user in leaders]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes) == ["ok", "refused"]
    assert Allocation.objects.get(scheme=scheme).amount == Decimal(1_200_000_000)
    assert Allocation.objects.get(scheme=scheme).history.count() == 2


class TestNotifications:
    def test_the_request_reaches_the_deciders_and_the_decision_the_requester(
        self, scheme, sct, so, leader, ministry_user, django_capture_on_commit_callbacks, mailoutbox
    ):
        with django_capture_on_commit_callbacks(execute=True):
            request = _request(scheme, sct)
        told = Notification.objects.filter(reminder_key=f"adjustment:{request.pk}:requested")
        assert list(told.values_list("recipient__username", flat=True)) == ["lanh-dao"]
        note = told.get()
        assert note.scheme == scheme
        assert "1.000.000.000 đồng → 1.200.000.000 đồng" in note.body
        with django_capture_on_commit_callbacks(execute=True):
            _approve(request, leader)
        decided = Notification.objects.get(reminder_key=f"adjustment:{request.pk}:decided")
        assert decided.recipient == sct
        assert "Đã chấp thuận" in decided.subject
        assert "123/QĐ-BCT" in decided.body
        assert {m.to[0] for m in mailoutbox} == {"ld@bo.vn", "lap@tn.vn"}

    def test_group_place_requests_go_to_the_so_and_its_decision_to_the_agency(
        self, batch, sct, so, leader, ministry_user, django_capture_on_commit_callbacks
    ):
        scheme = make_scheme(batch, kind=Scheme.Kind.GROUP)
        with django_capture_on_commit_callbacks(execute=True):
            request = _request(scheme, sct, kind=Kind.CONTENT, content_change=ContentChange.PLACE)
        requested = Notification.objects.filter(reminder_key__endswith=":requested")
        assert list(requested.values_list("recipient", flat=True)) == [so.pk]
        with django_capture_on_commit_callbacks(execute=True):
            _refuse(request, so)
        decided = Notification.objects.filter(reminder_key__endswith=":decided")
        assert set(decided.values_list("recipient", flat=True)) == {sct.pk, ministry_user.pk}

    def test_a_withdrawal_tells_the_deciders(
        self, scheme, sct, leader, django_capture_on_commit_callbacks
    ):
        request = _request(scheme, sct)
        with django_capture_on_commit_callbacks(execute=True):
            adjustment_withdraw(request=request, by=sct)
        told = Notification.objects.get(reminder_key=f"adjustment:{request.pk}:withdrawn")
        assert told.recipient == leader
        assert "rút lại" in told.subject

    def test_running_twice_sends_nothing_twice(self, scheme, sct, leader):
        from adjustments.services import adjustment_notify

        request = _request(scheme, sct)
        assert adjustment_notify(request_id=request.pk, event="requested") == 1
        assert adjustment_notify(request_id=request.pk, event="requested") == 0
