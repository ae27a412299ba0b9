"""Comments on a dossier and its moves (submit, resubmit, withdraw, and the reviewers'
decisions), which go through projects.services.scheme_transition."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from projects.models import Scheme
from projects.permissions import schemes_visible_to
from projects.services import TransitionError, lock_for_transition, scheme_transition
from submissions.models import Comment
from submissions.permissions import owns

S = Scheme.Status


# Comments.


@transaction.atomic
def comment_add(*, scheme: Scheme, by: User, text: str) -> Comment:
    """A comment on a scheme by anyone who may see it (reviewers, and the province answering)."""
    if not schemes_visible_to(by).filter(pk=scheme.pk).exists():
        raise PermissionDenied(_("Bạn không có quyền với đề án này."))
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Hãy viết nội dung ý kiến.")})
    comment = Comment(scheme=scheme, author=by, text=text)
    try:
        comment.full_clean()
    except ValidationError as error:
        raise ValidationError({"text": error.messages}) from error
    comment.save()
    return comment


# Moves.


def _check_complete(scheme: Scheme) -> None:
    """What a dossier must hold before it is sent to the Sở."""
    missing = []
    if not scheme.cost_lines.exists() or scheme.support_requested <= 0:
        missing.append(_("dự toán kinh phí có kinh phí khuyến công đề nghị"))
    if not scheme.content_areas.exists():
        missing.append(_("nội dung khuyến công"))
    if not scheme.attachments.exists():
        missing.append(_("tệp thuyết minh đề án"))
    if missing:
        raise TransitionError(
            _("Hồ sơ đề án %(code)s chưa đủ để gửi: còn thiếu %(missing)s.")
            % {"code": scheme.code, "missing": "; ".join(missing)}
        )


@transaction.atomic
def dossier_transition(
    *, scheme: Scheme, to: str, by: User, reason: str = "", expected_status: str
) -> Scheme:
    """Move a dossier (submit, resubmit, withdraw; and the Sở's or the agency's moves for those
    who may make them) through projects.services.scheme_transition. `expected_status` is the
    status the user saw: a stale page or a second click is refused with the service's
    message. Submitting and withdrawing are for the unit that prepares the scheme, and a
    dossier is submitted only when complete."""
    locked, _transition = lock_for_transition(
        scheme=scheme, to=to, by=by, reason=reason, expected_status=expected_status
    )
    if to in {S.SUBMITTED, S.DRAFT} and not owns(by, locked):
        raise PermissionDenied(_("Chỉ đơn vị lập đề án mới được gửi hoặc rút lại hồ sơ."))
    if to == S.SUBMITTED:
        _check_complete(locked)
    return scheme_transition(
        scheme=locked, to=to, by=by, reason=reason, expected_status=expected_status
    )
