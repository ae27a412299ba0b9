"""Every write of an adjustment request goes through here: the request of the unit that
prepares a scheme, its withdrawal, and the decision of the authority the rules name, which
applies the change through the services that own it (the ledger's allocation_set for the
money, the workflow's record_transition for a stop).

Locks are taken in the order of the rest of the system: the scheme first (as the workflow's
services do), then the request, then, through allocation_set, the plan and the allocation.
A decision re-reads the request under its lock, so a second approver, a stale form or a double
click is refused rather than applied twice; everything a decision writes is one transaction,
so a refusal of the ledger (the plan's remaining envelope) leaves the request open and nothing
changed."""

import datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Role, User
from adjustments.models import AdjustmentRequest, ContentChange, Kind
from adjustments.rules import authority_for, deciding_role
from budgets.models import Allocation
from budgets.services import allocation_set
from core.money import format_vnd
from organisations.models import Organisation
from projects.models import Scheme
from projects.permissions import prepares, schemes_visible_to
from projects.services import lock_for_transition, record_transition

S = Scheme.Status
R = AdjustmentRequest.Status
# In the approved plan and not yet accepted: what may still be adjusted or stopped.
ADJUSTABLE = (S.APPROVED, S.CONTRACTED, S.IN_PROGRESS)


def _day(value: datetime.date) -> str:
    return value.strftime("%d/%m/%Y")


def _lock_scheme(scheme: Scheme, by: User) -> Scheme:
    locked = (
        schemes_visible_to(by)
        .select_for_update(of=("self",))
        .select_related("province")
        .filter(pk=scheme.pk)
        .first()
    )
    if locked is None:
        raise PermissionDenied(_("Bạn không có quyền với đề án này."))
    return locked


def _require_adjustable(scheme: Scheme) -> None:
    if scheme.status not in ADJUSTABLE:
        raise ValidationError(
            _(
                "Đề án %(code)s đang ở trạng thái “%(status)s”: chỉ điều chỉnh hoặc ngừng được "
                "đề án đã phê duyệt, chưa nghiệm thu."
            )
            % {"code": scheme.code, "status": S(scheme.status).label}
        )


def adjustable_allocation(scheme: Scheme) -> Allocation | None:
    """The approved support an amount adjustment changes: the latest plan year's (a pilot
    scheme funded over several years changes the money of its current year)."""
    return scheme.allocations.select_related("batch").order_by("-plan__year").first()


def may_request(user: User, scheme: Scheme) -> bool:
    """For buttons: the unit that prepares the scheme, while it can be adjusted."""
    return (
        user.is_authenticated
        and user.role in (Role.PROVINCE, Role.REGIONAL)
        and prepares(user, scheme)
        and scheme.status in ADJUSTABLE
    )


def may_decide(user: User, request: AdjustmentRequest, scheme: Scheme) -> str:
    """Why the user may not decide this request ("" when the user may): the approver records
    the Minister's and the agency's decisions; the Sở's are its province's own staff's."""
    if not user.is_authenticated:
        return _("Cần đăng nhập.")
    role = Role.APPROVER if user.is_superuser else user.role
    wanted = deciding_role(request.authority)
    authority = AdjustmentRequest.Authority(request.authority).label
    if role != wanted:
        return _(
            "Đề nghị này do %(authority)s quyết định: vai trò của bạn không ghi được quyết định."
        ) % {"authority": authority}
    if wanted == Role.PROVINCE and user.province_id != scheme.province.successor_id:
        return _("Đề nghị này do Sở Công Thương của tỉnh có đề án quyết định.")
    if request.requested_by_id == user.pk:
        return _("Người gửi đề nghị không tự quyết định đề nghị của mình.")
    return ""


@transaction.atomic
def adjustment_request(
    *,
    scheme: Scheme,
    kind: str,
    reason: str,
    by: User,
    content_change: str = "",
    requested_amount: Decimal | None = None,
    requested_end_date: datetime.date | None = None,
    requested_unit: Organisation | None = None,
) -> AdjustmentRequest:
    """File a request to adjust or stop a scheme; the deciding authority is computed here
    from the rules and kept with it. One open request per scheme at a time."""
    locked = _lock_scheme(scheme, by)
    if by.role not in (Role.PROVINCE, Role.REGIONAL) or not prepares(by, locked):
        raise PermissionDenied(
            _("Chỉ đơn vị lập đề án %(code)s mới được đề nghị điều chỉnh hoặc ngừng đề án.")
            % {"code": locked.code}
        )
    _require_adjustable(locked)
    if kind not in Kind.values:
        raise ValidationError({"kind": _("Hãy chọn loại đề nghị.")})
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Cần ghi rõ lý do đề nghị.")})
    open_request = AdjustmentRequest.objects.open().filter(scheme=locked).first()
    if open_request is not None:
        raise ValidationError(
            _(
                "Đề án %(code)s đang có đề nghị “%(kind)s” gửi ngày %(day)s chờ quyết định: "
                "chỉ gửi đề nghị mới khi đề nghị đó đã được quyết định hoặc rút lại."
            )
            % {
                "code": locked.code,
                "kind": open_request.get_kind_display(),
                "day": _day(timezone.localdate(open_request.created_at)),
            }
        )
    request = AdjustmentRequest(
        scheme=locked,
        kind=kind,
        reason=reason,
        scheme_status=locked.status,
        current_end_date=locked.end_date,
        current_unit_id=locked.implementing_unit_id,
        requested_by=by,
    )
    if kind == Kind.AMOUNT:
        _amount_request(request, locked, requested_amount)
    elif kind == Kind.SCHEDULE:
        _schedule_request(request, locked, requested_end_date)
    elif kind == Kind.UNIT:
        _unit_request(request, locked, requested_unit)
    elif kind == Kind.CONTENT:
        if content_change not in ContentChange.values:
            raise ValidationError(
                {"content_change": _("Hãy chọn phạm vi nội dung đề nghị điều chỉnh.")}
            )
        request.content_change = content_change
    ruling = authority_for(
        kind=kind,
        scheme_kind=locked.kind,
        content_change=request.content_change,
        current_amount=request.current_amount,
        requested_amount=request.requested_amount,
        current_end_date=request.current_end_date,
        requested_end_date=request.requested_end_date,
    )
    request.authority, request.basis = ruling.authority, ruling.basis
    request.full_clean()
    request._history_user = by
    request.save()
    _notify_on_commit(request, "requested")
    return request


def _amount_request(request: AdjustmentRequest, scheme: Scheme, amount: Decimal | None) -> None:
    if amount is None:
        raise ValidationError(
            {"requested_amount": _("Cần ghi kinh phí hỗ trợ đề nghị sau điều chỉnh.")}
        )
    if amount < 0:
        raise ValidationError({"requested_amount": _("Kinh phí không được âm.")})
    allocation = adjustable_allocation(scheme)
    if allocation is None:
        raise ValidationError(
            _("Đề án %(code)s chưa có kinh phí được duyệt trong kế hoạch nào để điều chỉnh.")
            % {"code": scheme.code}
        )
    if amount == allocation.amount:
        raise ValidationError(
            {
                "requested_amount": _(
                    "Kinh phí đề nghị bằng kinh phí đang được duyệt (%(amount)s)."
                )
                % {"amount": format_vnd(amount)}
            }
        )
    request.allocation = allocation
    request.current_amount = allocation.amount
    request.requested_amount = amount


def _schedule_request(
    request: AdjustmentRequest, scheme: Scheme, end_date: datetime.date | None
) -> None:
    if end_date is None:
        raise ValidationError({"requested_end_date": _("Cần ghi ngày kết thúc đề nghị.")})
    if end_date < scheme.start_date:
        raise ValidationError(
            {
                "requested_end_date": _(
                    "Ngày kết thúc đề nghị %(end)s trước ngày bắt đầu của đề án (%(start)s)."
                )
                % {"end": _day(end_date), "start": _day(scheme.start_date)}
            }
        )
    if end_date == scheme.end_date:
        raise ValidationError(
            {"requested_end_date": _("Ngày kết thúc đề nghị trùng ngày kết thúc hiện nay.")}
        )
    request.requested_end_date = end_date


def _unit_request(request: AdjustmentRequest, scheme: Scheme, unit: Organisation | None) -> None:
    if unit is None:
        raise ValidationError({"requested_unit": _("Hãy chọn đơn vị thực hiện mới.")})
    if unit.pk == scheme.implementing_unit_id:
        raise ValidationError(
            {"requested_unit": _("Đơn vị được chọn đang là đơn vị thực hiện đề án.")}
        )
    request.requested_unit = unit


def _lock_request(request: AdjustmentRequest, scheme: Scheme) -> AdjustmentRequest:
    return AdjustmentRequest.objects.select_for_update().get(pk=request.pk, scheme=scheme)


def _refuse_if_decided(locked: AdjustmentRequest, expected_status: str | None) -> None:
    if locked.status != R.REQUESTED or (
        expected_status is not None and locked.status != expected_status
    ):
        raise ValidationError(
            _(
                "Đề nghị “%(kind)s” của đề án %(code)s vừa được xử lý: hiện là “%(status)s”. "
                "Hãy tải lại trang."
            )
            % {
                "kind": locked.get_kind_display(),
                "code": locked.scheme.code,
                "status": locked.get_status_display(),
            }
        )


@transaction.atomic
def adjustment_withdraw(
    *, request: AdjustmentRequest, by: User, expected_status: str | None = R.REQUESTED
) -> AdjustmentRequest:
    """The unit that asked takes its open request back."""
    scheme = _lock_scheme(request.scheme, by)
    locked = _lock_request(request, scheme)
    locked.scheme = scheme
    if by.role not in (Role.PROVINCE, Role.REGIONAL) or not prepares(by, scheme):
        raise PermissionDenied(_("Chỉ đơn vị lập đề án mới được rút đề nghị của mình."))
    _refuse_if_decided(locked, expected_status)
    locked.status = R.WITHDRAWN
    locked.full_clean()
    locked._history_user = by
    locked.save(update_fields=["status", "updated_at"])
    _notify_on_commit(locked, "withdrawn")
    return locked


@transaction.atomic
def adjustment_decide(
    *,
    request: AdjustmentRequest,
    approve: bool,
    by: User,
    decision_number: str = "",
    reason: str = "",
    expected_status: str | None = R.REQUESTED,
    decided_on: datetime.date | None = None,
) -> AdjustmentRequest:
    """Approve or refuse a request, as the authority the rules named. An approval applies the
    change in the same transaction: the approved support (allocation_set, refused beyond the
    plan's remaining envelope or below what is contracted), the end date, the implementing
    unit, or the stop (the workflow's record, with the reason). A content adjustment's approval
    is the decision itself: the dossier's details follow it."""
    scheme = _lock_scheme(request.scheme, by)
    locked = _lock_request(request, scheme)
    locked.scheme = scheme
    _refuse_if_decided(locked, expected_status)
    refusal = may_decide(by, locked, scheme)
    if refusal:
        raise PermissionDenied(refusal)
    decision_number = (decision_number or "").strip()
    reason = (reason or "").strip()
    if not approve and not reason:
        raise ValidationError({"reason": _("Cần ghi rõ lý do không chấp thuận đề nghị.")})
    if approve and not decision_number:
        raise ValidationError(
            {"decision_number": _("Cần ghi số quyết định (văn bản) chấp thuận điều chỉnh.")}
        )
    decided_on = decided_on or timezone.localdate()
    if approve:
        _apply(locked, scheme, by=by, decision_number=decision_number, reason=reason, on=decided_on)
    locked.status = R.APPROVED if approve else R.REFUSED
    locked.decided_by = by
    locked.decided_on = decided_on
    locked.decision_number = decision_number
    locked.decision_reason = reason
    locked.full_clean()
    locked._history_user = by
    locked.save()
    _notify_on_commit(locked, "decided")
    return locked


def _apply(
    request: AdjustmentRequest,
    scheme: Scheme,
    *,
    by: User,
    decision_number: str,
    reason: str,
    on: datetime.date,
) -> None:
    why = reason or request.reason
    if request.kind == Kind.STOP:
        locked, _transition = lock_for_transition(scheme=scheme, to=S.STOPPED, by=by, reason=why)
        record_transition(
            scheme=locked, to=S.STOPPED, by=by, reason=why, decision_number=decision_number
        )
        return
    _require_adjustable(scheme)
    if request.kind == Kind.AMOUNT:
        _apply_amount(request, scheme, by=by, decision_number=decision_number, reason=why, on=on)
    elif request.kind == Kind.SCHEDULE:
        _stale_if(scheme.end_date != request.current_end_date, request)
        scheme.end_date = request.requested_end_date
        _save_scheme(scheme, ["end_date"], by=by, reason=why)
    elif request.kind == Kind.UNIT:
        _stale_if(scheme.implementing_unit_id != request.current_unit_id, request)
        scheme.implementing_unit_id = request.requested_unit_id
        _save_scheme(scheme, ["implementing_unit"], by=by, reason=why)


def _stale_if(changed: bool, request: AdjustmentRequest) -> None:
    if changed:
        raise ValidationError(
            _(
                "Số liệu của đề án %(code)s đã thay đổi từ khi gửi đề nghị “%(kind)s”: đơn vị "
                "lập đề án cần rút đề nghị này và gửi đề nghị mới."
            )
            % {"code": request.scheme.code, "kind": request.get_kind_display()}
        )


def _save_scheme(scheme: Scheme, fields: list[str], *, by: User, reason: str) -> None:
    scheme.full_clean(exclude=["content_areas", "coordinating_units", "beneficiaries"])
    scheme._history_user = by
    scheme._change_reason = reason
    scheme.save(update_fields=[*fields, "updated_at"])


def _apply_amount(
    request: AdjustmentRequest,
    scheme: Scheme,
    *,
    by: User,
    decision_number: str,
    reason: str,
    on: datetime.date,
) -> None:
    allocation = Allocation.objects.select_related("batch__plan").get(pk=request.allocation_id)
    _stale_if(allocation.amount != request.current_amount, request)
    # The ledger records the change (budgets.AllocationChange) with the decision's particulars.
    allocation_set(
        scheme=scheme,
        batch=allocation.batch,
        amount=request.requested_amount,
        by=by,
        decided_on=on,
        decision_number=decision_number,
        reason=reason,
    )


# Notifications: who must decide, when a request is filed or withdrawn; the requester, when it
# is decided (and the agency, which is told of the Sở's decisions).


def _notify_on_commit(request: AdjustmentRequest, event: str) -> None:
    from adjustments.tasks import adjustment_notify_task

    request_id = request.pk
    transaction.on_commit(lambda: adjustment_notify_task.delay(request_id, event))


def _deciders(request: AdjustmentRequest) -> list[int]:
    users = User.objects.filter(is_active=True)
    if request.authority == AdjustmentRequest.Authority.DEPARTMENT:
        users = users.filter(role=Role.PROVINCE, province_id=request.scheme.province.successor_id)
    else:
        users = users.filter(role=Role.APPROVER)
    return list(users.exclude(pk=request.requested_by_id).values_list("pk", flat=True))


def adjustment_notify(*, request_id: int, event: str) -> int:
    """Inbox rows (and e-mails) for one event of a request; safe to run twice."""
    from notifications.services import notify

    request = AdjustmentRequest.objects.select_related(
        "scheme__province", "requested_by", "decided_by"
    ).get(pk=request_id)
    scheme = request.scheme
    changes = "\n".join(
        f"- {label}: {before} → {after}" for label, before, after in request.changes()
    )
    values = {
        "code": scheme.code,
        "kind": request.get_kind_display(),
        "title": scheme.title,
        "changes": changes,
        "reason": request.reason,
        "authority": request.get_authority_display(),
    }
    if event == "decided":
        recipients = [request.requested_by_id]
        if request.authority == AdjustmentRequest.Authority.DEPARTMENT:
            recipients += User.objects.filter(is_active=True, role=Role.MINISTRY).values_list(
                "pk", flat=True
            )
        subject = _("Đề án %(code)s – %(kind)s: %(status)s") % {
            **values,
            "status": request.get_status_display(),
        }
        body = _("%(title)s\n%(who)s: %(status)s%(number)s%(why)s.\n%(changes)s") % {
            **values,
            "who": request.decided_by,
            "status": request.get_status_display(),
            "number": f" ({request.decision_number})" if request.decision_number else "",
            "why": f" – {request.decision_reason}" if request.decision_reason else "",
        }
    elif event == "withdrawn":
        recipients = _deciders(request)
        subject = _("Đề án %(code)s – %(kind)s: đề nghị đã được rút lại") % values
        body = _("%(title)s\n%(changes)s") % values
    else:
        recipients = _deciders(request)
        subject = _("Đề án %(code)s – đề nghị %(kind)s chờ %(authority)s quyết định") % values
        body = _("%(title)s\nLý do: %(reason)s\n%(changes)s") % values
    url = _("Xem: %(url)s") % {"url": reverse("projects:scheme-detail", args=[scheme.pk])}
    return notify(
        recipient_ids=sorted(set(recipients) - {None}),
        key=f"adjustment:{request.pk}:{event}",
        subject=subject,
        body=f"{body}\n{url}",
        scheme=scheme,
    )
