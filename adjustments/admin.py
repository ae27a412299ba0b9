"""The queue of adjustment requests in the admin panel, for the ministry's approvers: each
request with what it changes (before → after), the authority the rules name and why; approve
or refuse the selected ones with one decision number or reason, through
adjustments.services.adjustment_decide, all of them or, if one is refused, none. The rows are
never edited here. The Sở's decisions on group schemes are made in the portal."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Case, Value, When
from django.template.response import TemplateResponse
from django.utils.html import format_html_join
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from accounts.models import Role
from adjustments.models import AdjustmentRequest
from adjustments.services import adjustment_decide


def _is_approver(user) -> bool:
    return user.is_active and user.is_staff and (user.is_superuser or user.role == Role.APPROVER)


class ApproveForm(forms.Form):
    decision_number = forms.CharField(label=_("Số quyết định, văn bản"), max_length=60)
    reason = forms.CharField(
        label=_("Ý kiến"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )


class RefuseForm(forms.Form):
    decision_number = forms.CharField(label=_("Số văn bản trả lời"), max_length=60, required=False)
    reason = forms.CharField(
        label=_("Lý do không chấp thuận"), widget=forms.Textarea(attrs={"rows": 3})
    )


@admin.register(AdjustmentRequest)
class AdjustmentRequestAdmin(SimpleHistoryAdmin):
    list_display = (
        "scheme_code",
        "kind",
        "before_after",
        "authority",
        "status",
        "requested_by",
        "created_on",
    )
    list_filter = ("status", "kind", "authority", "scheme__plan_year", "scheme__fund")
    list_select_related = ("scheme", "requested_by", "current_unit", "requested_unit")
    search_fields = ("scheme__code", "scheme__search_text", "reason")
    # Open requests first, newest first within each group.
    ordering = (
        Case(When(status=AdjustmentRequest.Status.REQUESTED, then=Value(0)), default=Value(1)),
        "-created_at",
    )
    actions = ("approve_selected", "refuse_selected")
    fields = (
        "scheme",
        "kind",
        "content_change",
        "before_after",
        "reason",
        "authority",
        "basis",
        "status",
        "requested_by",
        "created_at",
        "decided_by",
        "decided_on",
        "decision_number",
        "decision_reason",
    )
    readonly_fields = fields

    # The queue belongs to the ministry's approvers, by role: the same rule as the service's.

    def has_module_permission(self, request) -> bool:
        return _is_approver(request.user) or super().has_module_permission(request)

    def has_view_permission(self, request, obj=None) -> bool:
        return _is_approver(request.user) or super().has_view_permission(request, obj)

    def has_change_permission(self, request, obj=None) -> bool:
        # Decisions are the actions; a row itself is never edited.
        return obj is None and _is_approver(request.user)

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def revert_disabled(self, request, obj=None) -> bool:
        return True

    @admin.display(description=_("đề án"), ordering="scheme__code")
    def scheme_code(self, obj: AdjustmentRequest) -> str:
        return obj.scheme.code

    @admin.display(description=_("ngày đề nghị"), ordering="created_at")
    def created_on(self, obj: AdjustmentRequest) -> str:
        return obj.created_at.strftime("%d/%m/%Y")

    @admin.display(description=_("trước → sau"))
    def before_after(self, obj: AdjustmentRequest):
        return format_html_join(
            "",
            "<div>{}: {} → <strong>{}</strong></div>",
            obj.changes(),
        )

    # Decisions.

    def _decide(self, request, queryset, *, approve: bool, form_class):
        title = gettext("Chấp thuận đề nghị") if approve else gettext("Không chấp thuận đề nghị")
        chosen = list(queryset.select_related(*self.list_select_related).order_by("pk"))
        form = form_class(request.POST if "confirm" in request.POST else None)
        if form.is_valid():
            try:
                with transaction.atomic():
                    for item in chosen:
                        adjustment_decide(
                            request=item,
                            approve=approve,
                            by=request.user,
                            decision_number=form.cleaned_data["decision_number"],
                            reason=form.cleaned_data["reason"],
                            expected_status=item.status,
                        )
            except (ValidationError, PermissionDenied) as error:
                text = " ".join(getattr(error, "messages", [str(error)]))
                self.message_user(request, text, messages.ERROR)
            else:
                self.message_user(
                    request,
                    gettext("%(action)s: %(count)d đề nghị.")
                    % {"action": title, "count": len(chosen)},
                    messages.SUCCESS,
                )
                return None
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("%(action)s: %(count)d đề nghị")
            % {"action": title, "count": len(chosen)},
            "opts": self.model._meta,
            "requests": chosen,
            "form": form,
            "action": request.POST.get("action"),
            "selected": request.POST.getlist(admin.helpers.ACTION_CHECKBOX_NAME),
        }
        return TemplateResponse(request, "admin/adjustments/decision.html", context)

    @admin.action(description=_("Chấp thuận các đề nghị đã chọn"))
    def approve_selected(self, request, queryset):
        return self._decide(request, queryset, approve=True, form_class=ApproveForm)

    @admin.action(description=_("Không chấp thuận các đề nghị đã chọn"))
    def refuse_selected(self, request, queryset):
        return self._decide(request, queryset, approve=False, form_class=RefuseForm)
