"""A scheme's life as data: from each status, the statuses it may move to, who may move it and
whether a reason must be given (TT 36/2013; shared domain notes). Reads only; the writes are in
projects/services.py (and budgets/services.py for the approval, which also sets money)."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from accounts.models import Role
from projects.models import Scheme
from projects.permissions import prepares

S = Scheme.Status
PROVINCE, REGIONAL, MINISTRY, APPROVER = Role.PROVINCE, Role.REGIONAL, Role.MINISTRY, Role.APPROVER
SUBMITTERS = frozenset({PROVINCE, REGIONAL})


@dataclass(frozen=True)
class Transition:
    roles: frozenset[str]
    label: str
    needs_reason: bool = False
    # The approval also allocates money in a plan batch: only budgets.services.scheme_approve
    # takes it.
    allocates: bool = False


def _t(roles, label, needs_reason=False, allocates=False) -> Transition:
    return Transition(frozenset(roles), label, needs_reason, allocates)


WITHDRAW = _t(SUBMITTERS, _("Rút lại"), needs_reason=True)
STOP = _t({APPROVER}, _("Ngừng triển khai"), needs_reason=True)

TRANSITIONS: dict[str, dict[str, Transition]] = {
    S.DRAFT: {S.SUBMITTED: _t(SUBMITTERS, _("Gửi Sở Công Thương"))},
    S.SUBMITTED: {
        S.BASE_APPRAISED: _t({PROVINCE}, _("Sở thẩm định đạt")),
        S.RETURNED: _t({PROVINCE}, _("Trả lại để chỉnh sửa"), needs_reason=True),
        S.REJECTED: _t({PROVINCE}, _("Không chấp thuận"), needs_reason=True),
        S.DRAFT: WITHDRAW,
    },
    S.BASE_APPRAISED: {
        S.REGISTERED: _t(SUBMITTERS, _("Đăng ký với Cục")),
        S.DRAFT: WITHDRAW,
    },
    S.REGISTERED: {
        S.APPRAISED: _t({MINISTRY, REGIONAL}, _("Cục thẩm định đạt")),
        S.RETURNED: _t(
            {MINISTRY, REGIONAL, APPROVER}, _("Trả lại để chỉnh sửa"), needs_reason=True
        ),
        S.REJECTED: _t({APPROVER}, _("Không chấp thuận"), needs_reason=True),
        S.DRAFT: WITHDRAW,
    },
    S.APPRAISED: {
        S.APPROVED: _t({APPROVER}, _("Phê duyệt"), allocates=True),
        S.RETURNED: _t({APPROVER}, _("Trả lại để chỉnh sửa"), needs_reason=True),
        S.REJECTED: _t({APPROVER}, _("Không chấp thuận"), needs_reason=True),
        S.DRAFT: WITHDRAW,
    },
    S.RETURNED: {S.SUBMITTED: _t(SUBMITTERS, _("Gửi lại sau chỉnh sửa"))},
    S.APPROVED: {
        S.CONTRACTED: _t({MINISTRY}, _("Đã ký hợp đồng / giao nhiệm vụ")),
        S.STOPPED: STOP,
    },
    S.CONTRACTED: {
        S.IN_PROGRESS: _t({MINISTRY, PROVINCE}, _("Bắt đầu thực hiện")),
        S.STOPPED: STOP,
    },
    S.IN_PROGRESS: {
        S.ACCEPTED: _t({MINISTRY, PROVINCE}, _("Nghiệm thu")),
        S.STOPPED: STOP,
    },
    S.ACCEPTED: {S.LIQUIDATED: _t({MINISTRY}, _("Thanh lý hợp đồng"))},
    S.LIQUIDATED: {S.SETTLED: _t({MINISTRY}, _("Quyết toán"))},
    S.REJECTED: {},
    S.SETTLED: {},
    S.STOPPED: {},
}


def transition_for(status: str, to: str) -> Transition | None:
    return TRANSITIONS.get(status, {}).get(to)


def allowed_transitions(scheme: Scheme, user) -> dict[str, Transition]:
    """The moves this user may make on this scheme now (for buttons and checks alike).
    Visibility is checked by the caller through projects.permissions; on top of it, the
    submitter's steps (submit, withdraw, register, resubmit) belong to the unit that prepares
    the scheme: a regional centre appraises, not submits, the provinces' schemes."""
    if not user.is_authenticated:
        return {}
    role = Role.APPROVER if user.is_superuser else user.role
    allowed = {
        to: transition
        for to, transition in TRANSITIONS.get(scheme.status, {}).items()
        if role in transition.roles
    }
    if not prepares(user, scheme):
        allowed = {to: t for to, t in allowed.items() if t.roles != SUBMITTERS}
    return allowed


def roles_waited_for(status: str) -> set[str]:
    """The roles whose decision a scheme in this status waits for. Withdrawing (back to
    draft) is the submitter's own choice, not a decision the scheme waits for."""
    return {
        role
        for to, transition in TRANSITIONS.get(status, {}).items()
        if to != S.DRAFT or status == S.DRAFT
        for role in transition.roles
    }
