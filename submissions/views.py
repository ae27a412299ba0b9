"""The provincial submission portal at /ho-so/: the user's dossiers, a draft's form, and a
dossier's page with its files, comments, history and the moves the user may make.

Each view authorises (every scheme is looked up in projects.permissions.schemes_visible_to: a
scheme the user may not see answers 404), reads its form, calls a service of
submissions/services.py and renders."""

from dataclasses import dataclass

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.forms import formset_factory
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.models import User
from core.exports import FORMATS, export_response
from projects.models import Scheme
from projects.permissions import schemes_visible_to
from projects.workflow import allowed_transitions
from submissions import services
from submissions.exports import dossier_source
from submissions.forms import (
    AttachmentForm,
    BaseCostLineFormSet,
    CommentForm,
    CostLineForm,
    NewEstablishmentFormSet,
    SchemeForm,
    TransitionForm,
)
from submissions.models import Attachment
from submissions.permissions import can_edit_dossier, owns, uses_portal
from submissions.reporting import REPORTING
from submissions.selectors import dossier_get, dossier_list, progress_schedule

S = Scheme.Status
PER_PAGE = 20
# Blank estimate rows offered: on a new draft, and below the lines of one being changed.
NEW_LINES, MORE_LINES = 5, 3

# The colour of a status badge on the portal's pages.
TONE = {
    S.DRAFT: "grey",
    S.SUBMITTED: "blue",
    S.RETURNED: "amber",
    S.REJECTED: "red",
    S.STOPPED: "red",
    S.BASE_APPRAISED: "blue",
    S.REGISTERED: "blue",
    S.APPRAISED: "blue",
}


def _require_portal_user(user: User) -> None:
    if not uses_portal(user):
        raise PermissionDenied(
            _("Trang hồ sơ đề án dành cho cán bộ tỉnh và trung tâm khuyến công vùng.")
        )


def _visible(user: User) -> QuerySet[Scheme]:
    return schemes_visible_to(user).select_related("province", "implementing_unit")


# The user's dossiers.


@login_required
@require_GET
def scheme_list(request):
    _require_portal_user(request.user)
    dossiers = dossier_list(request.user, request.GET.get("tab"))
    page = Paginator(dossiers.rows, PER_PAGE).get_page(request.GET.get("page"))
    for scheme in page.object_list:
        scheme.tone = TONE.get(scheme.status, "green")
    tab = f"?tab={dossiers.current.key}"
    context = {
        "dossiers": dossiers,
        "page": page,
        "export_xlsx": reverse("submissions:scheme-export", args=["xlsx"]) + tab,
        "export_csv": reverse("submissions:scheme-export", args=["csv"]) + tab,
    }
    return render(request, "submissions/scheme_list.html", context)


@login_required
@require_GET
def scheme_export(request, file_format):
    """Every row of the tab the list shows: at once, or by a worker when there are many."""
    if file_format not in FORMATS:
        raise Http404
    _require_portal_user(request.user)
    source = dossier_source(request.user, request.GET)
    source.by = request.user.get_full_name() or request.user.username
    source.generated = timezone.localtime()
    return export_response(source, file_format, table="portal", params=request.GET)


# A draft's form.


@dataclass
class ErrorLine:
    where: str
    message: str
    anchor: str


def _cost_line_formset(data, scheme: Scheme | None):
    initial = [
        {
            "id": line.pk,
            "item": line.item,
            "support_amount": line.support_amount,
            "counterpart_amount": line.counterpart_amount,
        }
        for line in (scheme.cost_lines.all() if scheme is not None else [])
    ]
    formset_class = formset_factory(
        CostLineForm,
        formset=BaseCostLineFormSet,
        extra=MORE_LINES if initial else NEW_LINES,
        can_delete=True,
        max_num=200,
    )
    return formset_class(data, initial=initial, prefix="lines")


def _error_summary(form, lines, new, refused: dict[str, list[str]]) -> list[ErrorLine]:
    summary = [ErrorLine("", error, "#form-errors") for error in form.non_field_errors()]
    for name, errors in form.errors.items():
        if name in form.fields:
            summary += [ErrorLine(str(form.fields[name].label), e, f"#f-{name}") for e in errors]
    for number, line in enumerate(lines.forms, start=1):
        where = _("Dòng kinh phí %(number)s") % {"number": number}
        for name, errors in line.errors.items():
            label = line.fields[name].label if name in line.fields else ""
            text = f"{where} – {label}" if label else where
            summary += [ErrorLine(text, e, f"#line-{number}") for e in errors]
    summary += [ErrorLine(_("Dự toán kinh phí"), e, "#lines") for e in lines.non_form_errors()]
    for number, row in enumerate(new.forms, start=1):
        where = _("Cơ sở thụ hưởng mới %(number)s") % {"number": number}
        for name, errors in row.errors.items():
            label = row.fields[name].label if name in row.fields else ""
            text = f"{where} – {label}" if label else where
            summary += [ErrorLine(text, e, f"#new-{number}") for e in errors]
    summary += [ErrorLine(_("Cơ sở thụ hưởng mới"), e, "#new") for e in new.non_form_errors()]
    sections = {"cost_lines": ("#lines", _("Dự toán kinh phí")), "new_beneficiaries": ("#new", "")}
    for key, errors in refused.items():
        anchor, where = sections.get(key, ("#form-errors", ""))
        summary += [ErrorLine(where, e, anchor) for e in errors]
    return summary


def _apply_refusal(error: ValidationError, form) -> dict[str, list[str]]:
    """Put a service's refusal next to the fields it names; return what has no field."""
    elsewhere: dict[str, list[str]] = {}
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            texts = [message for item in errors for message in item.messages]
            if name in form.fields:
                form.add_error(name, texts)
            else:
                elsewhere.setdefault(name, []).extend(texts)
    else:
        elsewhere.setdefault("", []).extend(error.messages)
    return elsewhere


def _scheme_form(request, scheme: Scheme | None):
    user = request.user
    data = request.POST if request.method == "POST" else None
    form = SchemeForm(data, user=user, scheme=scheme)
    lines = _cost_line_formset(data, scheme)
    new = NewEstablishmentFormSet(data, prefix="new")
    refused: dict[str, list[str]] = {}
    if data is not None:
        valid = [form.is_valid(), lines.is_valid(), new.is_valid()]
        if all(valid):
            try:
                if scheme is None:
                    saved = services.draft_create(
                        by=user,
                        data=form.cleaned_data,
                        cost_lines=lines.lines(),
                        new_beneficiaries=new.rows(),
                    )
                    message = _("Đã lưu nháp đề án %(code)s.")
                else:
                    saved = services.draft_update(
                        scheme=scheme,
                        by=user,
                        data=form.cleaned_data,
                        cost_lines=lines.lines(),
                        new_beneficiaries=new.rows(),
                        expected_status=form.cleaned_data.get("expected_status") or None,
                    )
                    message = _("Đã lưu thay đổi của đề án %(code)s.")
            except ValidationError as error:
                refused = _apply_refusal(error, form)
            else:
                messages.success(request, message % {"code": saved.code})
                return redirect("submissions:scheme-detail", pk=saved.pk)
    context = {
        "form": form,
        "lines": lines,
        "new": new,
        "scheme": scheme,
        "refused": refused,
        "returned": _last_return(scheme),
        "summary": _error_summary(form, lines, new, refused) if data is not None else [],
    }
    return render(request, "submissions/scheme_form.html", context)


def _last_return(scheme: Scheme | None):
    """Why the scheme was returned, when it is: shown above its form."""
    if scheme is None or scheme.status != S.RETURNED:
        return None
    return (
        scheme.status_changes.filter(to_status=S.RETURNED)
        .select_related("by")
        .order_by("at", "pk")
        .last()
    )


@login_required
@require_http_methods(["GET", "POST"])
def scheme_create(request):
    _require_portal_user(request.user)
    return _scheme_form(request, None)


@login_required
@require_http_methods(["GET", "POST"])
def scheme_edit(request, pk):
    scheme = get_object_or_404(_visible(request.user), pk=pk)
    if not owns(request.user, scheme):
        raise PermissionDenied(_("Chỉ đơn vị lập đề án mới được sửa hồ sơ."))
    decision = can_edit_dossier(request.user, scheme)
    if not decision:
        messages.error(request, decision.reason)
        return redirect("submissions:scheme-detail", pk=scheme.pk)
    return _scheme_form(request, scheme)


# A dossier's page.


@dataclass
class Action:
    to: str
    label: str
    needs_reason: bool
    style: str


@dataclass
class ActionGroup:
    title: str
    actions: list[Action]


# Moves made by the unit that prepares the scheme; every other move is a reviewer's decision.
OWNER_MOVES = frozenset({S.SUBMITTED, S.DRAFT})


def _action_groups(scheme: Scheme, user: User) -> list[ActionGroup]:
    """The buttons of the moves the user may make now: the preparing unit's own (submit,
    resubmit, withdraw) first, then the reviewers' decisions. The approval, which allocates
    money, is made in the approval queue."""
    own, decisions = [], []
    for to, transition in allowed_transitions(scheme, user).items():
        if transition.allocates:
            continue
        if to in OWNER_MOVES and not owns(user, scheme):
            continue
        if to == S.SUBMITTED:
            style = "primary"
        elif transition.needs_reason:
            style = "danger"
        else:
            style = "secondary"
        action = Action(to, str(transition.label), transition.needs_reason, style)
        (own if to in OWNER_MOVES else decisions).append(action)
    groups = []
    if own:
        groups.append(ActionGroup(_("Đơn vị lập đề án") if decisions else "", own))
    if decisions:
        groups.append(ActionGroup(_("Thẩm định, quyết định") if own else "", decisions))
    return groups


def _render_detail(request, scheme: Scheme, *, upload_form=None, comment_form=None):
    user = request.user
    editable = can_edit_dossier(user, scheme)
    limit = services.size_text(settings.ATTACHMENT_MAX_BYTES)
    context = {
        "scheme": scheme,
        "tone": TONE.get(scheme.status, "green"),
        "lines": scheme.cost_lines.all(),
        "attachments": scheme.attachments.all(),
        "comments": scheme.comments.all(),
        "timeline": scheme.status_changes.all(),
        "editable": bool(editable),
        "owner": owns(user, scheme),
        "action_groups": _action_groups(scheme, user),
        "upload_form": upload_form or AttachmentForm(limit_text=limit),
        "comment_form": comment_form or CommentForm(),
        "progress": progress_schedule(scheme, timezone.localdate()),
        "may_report": owns(user, scheme) and scheme.status in REPORTING,
    }
    return render(request, "submissions/scheme_detail.html", context)


@login_required
@require_GET
def scheme_detail(request, pk):
    return _render_detail(request, dossier_get(request.user, pk))


def _refusal_text(error: Exception) -> str:
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    return str(error) or _("Bạn không có quyền thực hiện thao tác này.")


@login_required
@require_POST
def scheme_transition(request, pk):
    scheme = get_object_or_404(_visible(request.user), pk=pk)
    form = TransitionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Yêu cầu không hợp lệ: hãy tải lại trang rồi thử lại."))
        return redirect("submissions:scheme-detail", pk=scheme.pk)
    to = form.cleaned_data["to"]
    try:
        moved = services.dossier_transition(
            scheme=scheme,
            to=to,
            by=request.user,
            reason=form.cleaned_data["reason"],
            expected_status=form.cleaned_data["expected_status"],
        )
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, _refusal_text(error))
    else:
        messages.success(
            request,
            _("Đề án %(code)s: đã chuyển sang “%(status)s”.")
            % {"code": moved.code, "status": S(moved.status).label},
        )
    return redirect("submissions:scheme-detail", pk=scheme.pk)


@login_required
@require_POST
def attachment_add(request, pk):
    scheme = get_object_or_404(_visible(request.user), pk=pk)
    limit = services.size_text(settings.ATTACHMENT_MAX_BYTES)
    form = AttachmentForm(request.POST, request.FILES, limit_text=limit)
    if form.is_valid():
        try:
            attachment = services.attachment_add(
                scheme=scheme,
                by=request.user,
                upload=form.cleaned_data["file"],
                kind=form.cleaned_data["kind"],
                label=form.cleaned_data["label"],
            )
        except ValidationError as error:
            for texts in _apply_refusal(error, form).values():
                form.add_error(None, texts)
        except PermissionDenied as error:
            messages.error(request, _refusal_text(error))
            return redirect("submissions:scheme-detail", pk=scheme.pk)
        else:
            messages.success(
                request, _("Đã đính kèm tệp “%(name)s”.") % {"name": attachment.original_name}
            )
            return redirect("submissions:scheme-detail", pk=scheme.pk)
    return _render_detail(request, dossier_get(request.user, pk), upload_form=form)


@login_required
@require_GET
def attachment_download(request, pk, attachment_pk):
    scheme = get_object_or_404(schemes_visible_to(request.user), pk=pk)
    attachment = get_object_or_404(Attachment, scheme=scheme, pk=attachment_pk)
    try:
        stream = services.attachment_open(attachment)
    except FileNotFoundError as error:
        raise Http404(_("Tệp không còn trên máy chủ.")) from error
    response = FileResponse(
        stream,
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_POST
def attachment_remove(request, pk, attachment_pk):
    scheme = get_object_or_404(_visible(request.user), pk=pk)
    attachment = get_object_or_404(
        Attachment.objects.select_related("scheme"), scheme=scheme, pk=attachment_pk
    )
    try:
        services.attachment_remove(attachment=attachment, by=request.user)
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, _refusal_text(error))
    else:
        messages.success(
            request, _("Đã gỡ tệp “%(name)s” khỏi hồ sơ.") % {"name": attachment.original_name}
        )
    return redirect("submissions:scheme-detail", pk=scheme.pk)


@login_required
@require_POST
def comment_add(request, pk):
    scheme = get_object_or_404(_visible(request.user), pk=pk)
    form = CommentForm(request.POST)
    if form.is_valid():
        try:
            services.comment_add(scheme=scheme, by=request.user, text=form.cleaned_data["text"])
        except ValidationError as error:
            for texts in _apply_refusal(error, form).values():
                form.add_error(None, texts)
        else:
            messages.success(request, _("Đã gửi ý kiến."))
            url = reverse("submissions:scheme-detail", args=[scheme.pk])
            return redirect(f"{url}#comments")
    return _render_detail(request, dossier_get(request.user, pk), comment_form=form)
