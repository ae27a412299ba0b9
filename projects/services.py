"""Every change of a scheme's status goes through here (the approval, which also allocates
money, through budgets.services.scheme_approve, which uses the same checks and record).

Each call locks the scheme's row, checks that the status is still the one the user saw (a
stale form, a second approver or a double click is refused, not applied twice), that the
workflow allows the move for the user's role and that a required reason is given, then
writes the new status and one SchemeStatusChange row in the same transaction."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import BigIntegerField, CharField, DateTimeField, TextField, Value
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from core.db import CHUNK, insert_select
from projects import workflow
from projects.models import Scheme, SchemeStatusChange
from projects.permissions import schemes_visible_to
from projects.signals import status_changed


class TransitionError(ValidationError):
    """A status change the workflow or the moment does not allow."""


def lock_for_transition(
    *, scheme: Scheme, to: str, by: User, reason: str = "", expected_status: str | None = None
) -> tuple[Scheme, workflow.Transition]:
    """Lock the scheme and check the move; returns the locked scheme and the transition.
    Must run inside a transaction."""
    locked = schemes_visible_to(by).select_for_update(of=("self",)).filter(pk=scheme.pk).first()
    if locked is None:
        raise PermissionDenied(_("Bạn không có quyền với đề án này."))
    status_label = Scheme.Status(locked.status).label
    if expected_status is not None and locked.status != expected_status:
        raise TransitionError(
            _(
                "Đề án %(code)s vừa được người khác xử lý: trạng thái hiện nay là “%(status)s”. "
                "Hãy tải lại trang."
            )
            % {"code": locked.code, "status": status_label}
        )
    transition = workflow.transition_for(locked.status, to)
    if transition is None:
        raise TransitionError(
            _("Không thể chuyển đề án %(code)s từ “%(from)s” sang “%(to)s”.")
            % {"code": locked.code, "from": status_label, "to": Scheme.Status(to).label}
        )
    if to not in workflow.allowed_transitions(locked, by):
        raise PermissionDenied(
            _("Vai trò của bạn không được thực hiện “%(action)s” với đề án này.")
            % {"action": transition.label}
        )
    if transition.needs_reason and not reason.strip():
        raise TransitionError(_("Cần ghi rõ lý do để “%(action)s”.") % {"action": transition.label})
    return locked, transition


def record_transition(
    *, scheme: Scheme, to: str, by: User, reason: str = "", decision_number: str = ""
) -> SchemeStatusChange:
    """Write the new status and its history row (the scheme is locked by the caller)."""
    change = SchemeStatusChange.objects.create(
        scheme=scheme,
        from_status=scheme.status,
        to_status=to,
        by=by,
        reason=reason.strip(),
        decision_number=decision_number,
    )
    scheme.status = to
    scheme._history_user = by
    scheme._change_reason = reason.strip() or None
    scheme.save(update_fields=["status", "updated_at"])
    # Listeners (notifications) act only once the change is committed: a rolled-back decision
    # notifies nobody.
    transaction.on_commit(lambda: status_changed.send(sender=SchemeStatusChange, change=change))
    return change


@transaction.atomic
def scheme_transition(
    *, scheme: Scheme, to: str, by: User, reason: str = "", expected_status: str | None = None
) -> Scheme:
    """Move a scheme to `to` (any move but the approval, which allocates money)."""
    locked, transition = lock_for_transition(
        scheme=scheme, to=to, by=by, reason=reason, expected_status=expected_status
    )
    if transition.allocates:
        raise TransitionError(
            _("Phê duyệt đề án cần đợt giao kế hoạch và kinh phí: dùng chức năng phê duyệt.")
        )
    record_transition(scheme=locked, to=to, by=by, reason=reason)
    return locked


def schemes_record_imported(
    *, schemes: list[Scheme], by: User, reason: str, decision_numbers: list[str]
) -> None:
    """The history row of schemes an import created past draft (a plan already decided on
    paper): draft → their status, by the importer, with the import as the reason and the
    plan's decision number. Bulk, and nobody is notified: the decision was not taken here.
    Must run inside the import's transaction. Written by the database from the schemes' rows,
    one statement per decision number and 2.000 schemes (a file holds a plan's few)."""
    by_number: dict[str, list[int]] = {}
    for scheme, number in zip(schemes, decision_numbers, strict=True):
        if scheme.status != Scheme.Status.DRAFT:
            by_number.setdefault(number, []).append(scheme.pk)
    at = timezone.now()
    fields = ("scheme", "from_status", "to_status", "by", "at", "reason", "decision_number")
    for number, ids in by_number.items():
        for start in range(0, len(ids), CHUNK):
            insert_select(
                SchemeStatusChange,
                fields,
                Scheme.objects.filter(pk__in=ids[start : start + CHUNK])
                .order_by("pk")
                .annotate(
                    c_from=Value(Scheme.Status.DRAFT, CharField()),
                    c_by=Value(by.pk, BigIntegerField()),
                    c_at=Value(at, DateTimeField()),
                    c_reason=Value(reason, TextField()),
                    c_number=Value(number, CharField()),
                )
                .values_list("pk", "c_from", "status", "c_by", "c_at", "c_reason", "c_number"),
            )
