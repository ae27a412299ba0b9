"""The approval queue in the admin panel: schemes waiting for the agency's appraisal or the
approver's decision, filtered by year, province, region, content area and waiting time, and
decided alone or in bulk — approve in a plan batch (one decision number), return or reject with
one reason. Every decision goes through the services, all-or-nothing; the remaining envelope of
each plan is shown before approving."""

import datetime
from dataclasses import dataclass
from itertools import pairwise

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, F, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from budgets import services
from budgets.models import AnnualPlan, PlanBatch, SchemeAwaitingApproval, money_sum
from core.admin import FoldedSearchAdminMixin, money_column, year_column
from projects.models import Scheme, SchemeStatusChange
from projects.selectors import _M2M, FieldChange, _describe, _m2m_accessor
from projects.services import scheme_transition

S = Scheme.Status
WAITING = (S.REGISTERED, S.APPRAISED)
REVISIONS_URL = "budgets_schemeawaitingapproval_revisions"


class WaitingFilter(admin.SimpleListFilter):
    title = _("thời gian chờ")
    parameter_name = "waiting"
    BANDS = {"week": (0, 7), "month": (7, 30), "long": (30, None)}

    def lookups(self, request, model_admin):
        return [
            ("week", _("Dưới 7 ngày")),
            ("month", _("7–30 ngày")),
            ("long", _("Trên 30 ngày")),
        ]

    def queryset(self, request, queryset):
        band = self.BANDS.get(self.value())
        if band is None:
            return queryset
        now = timezone.now()
        low, high = band
        queryset = queryset.filter(waiting_since__lte=now - datetime.timedelta(days=low))
        if high is not None:
            queryset = queryset.filter(waiting_since__gt=now - datetime.timedelta(days=high))
        return queryset


class ApproveForm(forms.Form):
    batch = forms.ModelChoiceField(
        label=_("Đợt giao kế hoạch"),
        queryset=PlanBatch.objects.none(),
        help_text=_("Kinh phí được duyệt bằng kinh phí đề nghị của từng đề án."),
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Lý do"), widget=forms.Textarea(attrs={"rows": 3}))


def _plans_with_room(years: set[int], funds: set[str]):
    """The plans the selected schemes may be approved in, with envelope, allocated and
    remaining (2 subqueries, whatever the number of plans)."""
    envelope = (
        PlanBatch.objects.filter(plan=OuterRef("pk"))
        .order_by()
        .values("plan")
        .annotate(total=money_sum("amount"))
        .values("total")
    )
    allocated = (
        AnnualPlan.objects.filter(pk=OuterRef("pk"))
        .annotate(total=money_sum("allocations__amount"))
        .values("total")
    )
    return (
        AnnualPlan.objects.filter(year__in=years, fund__in=funds)
        .select_related("managing_unit")
        .annotate(envelope=Subquery(envelope), allocated=Subquery(allocated))
        .annotate(remaining=F("envelope") - F("allocated"))
        .order_by("year", "fund", "managing_unit__name")
    )


# What an approver compares between two submissions: the scheme's own facts, not the workflow's
# bookkeeping.
_NOT_COMPARED = (*_M2M, "status", "created_at", "updated_at", "search_text")
_M2M_TARGET = {
    "content_areas": "contentarea",
    "coordinating_units": "organisation",
    "beneficiaries": "establishment",
}


@dataclass(frozen=True)
class Revision:
    """What changed from one submitted version of a scheme to the next."""

    title: str
    when: datetime.datetime
    user: object
    changes: list[FieldChange]


def scheme_revisions(scheme: Scheme) -> list[Revision]:
    """Each resubmission compared with the submission before it, and the scheme as it is now
    with its last submission when it changed since, newest first. A submitted version is the
    history row written when the scheme entered "submitted" (the dossier can be edited only
    before). Field-by-field (`diff_against`), with the many-to-many fields from prefetched
    snapshots and foreign keys named with one query per related model: a fixed number of
    queries, whatever the number of versions."""
    history_model = Scheme.history.model
    accessors = {name: _m2m_accessor(history_model, name) for name in _M2M}
    rows = list(
        Scheme.history.filter(id=scheme.pk)
        .select_related("history_user")
        .prefetch_related(*(f"{accessors[n]}__{_M2M_TARGET[n]}" for n in _M2M))
        .order_by("history_date", "history_id")
    )
    submitted = [
        row
        for previous, row in pairwise([None, *rows])
        if row.status == S.SUBMITTED and (previous is None or previous.status != S.SUBMITTED)
    ]
    pairs = [
        (
            gettext("Lần gửi %(new)d so với lần gửi %(old)d") % {"new": number + 1, "old": number},
            old,
            new,
        )
        for number, (old, new) in enumerate(pairwise(submitted), start=1)
    ]
    since = gettext("Hiện nay so với lần gửi gần nhất")
    if submitted and rows[-1] is not submitted[-1]:
        pairs.append((since, submitted[-1], rows[-1]))

    diffs = []
    for title, old, new in pairs:
        delta = new.diff_against(old, excluded_fields=_NOT_COMPARED)
        m2m = []
        for name in _M2M:
            before = {getattr(r, _M2M_TARGET[name]) for r in getattr(old, accessors[name]).all()}
            after = {getattr(r, _M2M_TARGET[name]) for r in getattr(new, accessors[name]).all()}
            if before != after:
                m2m.append((name, sorted(before, key=str), sorted(after, key=str)))
        changes = [*delta.changes, *m2m]
        if changes or title != since:  # the workflow's moves since are not a change
            diffs.append((title, new, changes))

    wanted: dict[type, set] = {}
    for _title, _row, changes in diffs:
        for change in changes:
            if not isinstance(change, tuple):
                field = Scheme._meta.get_field(change.field)
                if field.is_relation:
                    wanted.setdefault(field.related_model, set()).update({change.old, change.new})
    named = {model: model.objects.in_bulk(ids - {None}) for model, ids in wanted.items()}
    revisions = [
        Revision(
            title=title,
            when=row.history_date,
            user=row.history_user,
            changes=[_describe(change, named) for change in changes],
        )
        for title, row, changes in diffs
    ]
    revisions.reverse()
    return revisions


@admin.register(SchemeAwaitingApproval)
class ApprovalQueueAdmin(FoldedSearchAdminMixin, admin.ModelAdmin):
    list_display = (
        "code",
        "title",
        "year",
        "fund",
        "province_name",
        "requested_vnd",
        "status",
        "waiting_days",
        "revisions_link",
    )
    list_display_links = ("code", "title")
    list_filter = (
        "status",
        "plan_year",
        "fund",
        "province__region",
        "content_areas",
        WaitingFilter,
        "province__map_version",
    )
    list_select_related = ("province",)
    search_fields = ("search_text", "province__search_text")
    ordering = ("plan_year", "code")
    actions = ("appraise_selected", "approve_selected", "return_selected", "reject_selected")

    year = year_column("plan_year", _("năm kế hoạch"))
    requested_vnd = money_column("support_requested", _("kinh phí đề nghị"))

    def get_queryset(self, request):
        last_change = (
            SchemeStatusChange.objects.filter(scheme=OuterRef("pk"))
            .order_by("-at")
            .values("at")[:1]
        )
        submissions = (
            SchemeStatusChange.objects.filter(scheme=OuterRef("pk"), to_status=S.SUBMITTED)
            .order_by()
            .values("scheme")
            .annotate(count=Count("pk"))
            .values("count")
        )
        return (
            super()
            .get_queryset(request)
            .filter(status__in=WAITING)
            .annotate(waiting_since=Coalesce(Subquery(last_change), F("created_at")))
            .annotate(submissions=Coalesce(Subquery(submissions), 0))
        )

    def get_urls(self):
        view = self.admin_site.admin_view(self.revisions_view)
        return [
            path("<int:object_id>/thay-doi/", view, name=REVISIONS_URL),
            *super().get_urls(),
        ]

    def revisions_view(self, request, object_id: int):
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        scheme = get_object_or_404(
            self.get_queryset(request).select_related("province"), pk=object_id
        )
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Thay đổi giữa các lần gửi: %(code)s") % {"code": scheme.code},
            "opts": self.opts,
            "scheme": scheme,
            "revisions": scheme_revisions(scheme),
        }
        return TemplateResponse(request, "admin/budgets/approval_revisions.html", context)

    @admin.display(description=_("thay đổi giữa các lần gửi"), ordering="submissions")
    def revisions_link(self, scheme: Scheme) -> str:
        url = reverse(f"admin:{REVISIONS_URL}", args=[scheme.pk])
        return format_html(
            '<a href="{}">{}</a>',
            url,
            gettext("%(count)d lần gửi – xem thay đổi") % {"count": scheme.submissions},
        )

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        # The decisions are the actions below; the row itself is edited on the scheme's page.
        return obj is None and super().has_change_permission(request, obj)

    @admin.display(description=_("tỉnh, thành phố"), ordering="province__name")
    def province_name(self, scheme: Scheme) -> str:
        return scheme.province.name

    @admin.display(description=_("số ngày chờ"), ordering="waiting_since")
    def waiting_days(self, scheme: Scheme) -> str:
        return str((timezone.now() - scheme.waiting_since).days)

    # Decisions.

    def _decide(self, request, queryset, title: str, form, on_confirm, extra=None):
        """Show the decision page; on confirmation run `on_confirm(cleaned_data)` inside one
        transaction, and report its refusal without changing anything."""
        schemes = list(queryset.select_related("province").order_by("pk"))
        if "confirm" in request.POST and form.is_valid():
            try:
                with transaction.atomic():
                    on_confirm(schemes, form.cleaned_data)
            except (ValidationError, PermissionDenied) as error:
                text = " ".join(getattr(error, "messages", [str(error)]))
                self.message_user(request, text, messages.ERROR)
            else:
                self.message_user(
                    request,
                    gettext("%(action)s: %(count)d đề án.")
                    % {"action": title, "count": len(schemes)},
                    messages.SUCCESS,
                )
                return None
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("%(action)s: %(count)d đề án")
            % {"action": title, "count": len(schemes)},
            "opts": self.model._meta,
            "schemes": schemes,
            "form": form,
            "action": request.POST.get("action"),
            "selected": request.POST.getlist(admin.helpers.ACTION_CHECKBOX_NAME),
            "total_requested": queryset.aggregate(total=money_sum("support_requested"))["total"],
            **(extra or {}),
        }
        return TemplateResponse(request, "admin/budgets/approval_decision.html", context)

    @admin.action(description=_("Cục thẩm định đạt các đề án đã chọn"))
    def appraise_selected(self, request, queryset):
        def appraise(schemes, data):
            for scheme in schemes:
                scheme_transition(
                    scheme=scheme, to=S.APPRAISED, by=request.user, expected_status=scheme.status
                )

        form = forms.Form(request.POST if "confirm" in request.POST else None)
        return self._decide(request, queryset, gettext("Thẩm định đạt"), form, appraise)

    @admin.action(description=_("Phê duyệt các đề án đã chọn"))
    def approve_selected(self, request, queryset):
        years = set(queryset.values_list("plan_year", flat=True))
        funds = set(queryset.values_list("fund", flat=True))
        form = ApproveForm(request.POST if "confirm" in request.POST else None)
        form.fields["batch"].queryset = PlanBatch.objects.filter(
            plan__year__in=years, plan__fund__in=funds
        ).select_related("plan")

        def approve(schemes, data):
            services.schemes_approve(schemes=schemes, batch=data["batch"], by=request.user)

        return self._decide(
            request,
            queryset,
            gettext("Phê duyệt"),
            form,
            approve,
            extra={"plans": _plans_with_room(years, funds)},
        )

    def _with_reason(self, request, queryset, to: str, title: str):
        form = ReasonForm(request.POST if "confirm" in request.POST else None)

        def decide(schemes, data):
            for scheme in schemes:
                scheme_transition(
                    scheme=scheme,
                    to=to,
                    by=request.user,
                    reason=data["reason"],
                    expected_status=scheme.status,
                )

        return self._decide(request, queryset, title, form, decide)

    @admin.action(description=_("Trả lại các đề án đã chọn để chỉnh sửa"))
    def return_selected(self, request, queryset):
        return self._with_reason(request, queryset, S.RETURNED, gettext("Trả lại để chỉnh sửa"))

    @admin.action(description=_("Không chấp thuận các đề án đã chọn"))
    def reject_selected(self, request, queryset):
        return self._with_reason(request, queryset, S.REJECTED, gettext("Không chấp thuận"))
