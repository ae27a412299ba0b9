"""The periodic report's page: ask for an issue, follow its making, download its files; and
the choice of receiving the monthly report by e-mail. Each view authorises first (403 for users
with no report, 404 for an issue outside the user's scope)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from reports import services, storage
from reports.forms import ReportRequestForm
from reports.models import ReportIssue, ReportSubscription
from reports.permissions import issues_visible_to, may_request_reports, may_subscribe, refusal
from reports.services import PDF_TYPE, XLSX_TYPE

FORMATS = {"xlsx": ("xlsx_path", XLSX_TYPE), "pdf": ("pdf_path", PDF_TYPE)}


def _authorise(user) -> None:
    if not may_request_reports(user):
        raise PermissionDenied(refusal(user))


def _issue(user, pk: int) -> ReportIssue:
    return get_object_or_404(issues_visible_to(user).select_related("province"), pk=pk)


def _status(issue: ReportIssue) -> dict:
    return {
        "id": issue.pk,
        "status": issue.status,
        "label": issue.get_status_display(),
        "progress": issue.progress,
        "finished": issue.is_finished,
        "error": issue.error,
        "files": {
            name: reverse("reports:issue-download", args=[issue.pk, name])
            for name, (field, _type) in FORMATS.items()
            if getattr(issue, field)
        },
    }


@login_required
def issue_list(request):
    """The request form, and the issues the user may read, newest first."""
    _authorise(request.user)
    if request.method == "POST":
        form = ReportRequestForm(request.POST)
        if form.is_valid():
            issue = services.report_request(by=request.user, **form.cleaned_data)
            messages.success(
                request,
                _("Đã ghi yêu cầu lập %(title)s; hệ thống đang lập báo cáo.")
                % {"title": issue.title.lower()},
            )
            return redirect(issue)
    else:
        form = ReportRequestForm(initial={"year": timezone.localdate().year})
    issues = issues_visible_to(request.user).select_related("province", "requested_by")
    page = Paginator(issues.order_by("-created_at", "-pk"), 20).get_page(request.GET.get("page"))
    subscription = None
    if may_subscribe(request.user):
        subscription = ReportSubscription.objects.filter(user=request.user).first()
    return render(
        request,
        "reports/issue_list.html",
        {
            "form": form,
            "issues": page,
            "scope": request.user.province if not request.user.sees_everything else None,
            "may_subscribe": may_subscribe(request.user),
            "subscribed": bool(subscription and subscription.monthly),
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_GET
def issue_status(request, pk):
    """Where an issue's making stands, for the page's polling script."""
    _authorise(request.user)
    response = JsonResponse(_status(_issue(request.user, pk)))
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_GET
def issue_download(request, pk, file_format):
    _authorise(request.user)
    issue = _issue(request.user, pk)
    if file_format not in FORMATS or issue.status != ReportIssue.Status.DONE:
        raise Http404(_("Báo cáo chưa có tệp này."))
    field, content_type = FORMATS[file_format]
    try:
        stream = storage.open_file(getattr(issue, field))
    except FileNotFoundError as error:
        raise Http404(_("Tệp không còn trên máy chủ.")) from error
    response = FileResponse(
        stream,
        as_attachment=True,
        filename=issue.file_name(file_format),
        content_type=content_type,
    )
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_POST
def issue_reissue(request, pk):
    _authorise(request.user)
    issue = services.report_reissue(issue=_issue(request.user, pk), by=request.user)
    messages.success(request, _("Đã ghi yêu cầu lập lại báo cáo với cùng tham số."))
    return redirect(issue)


@login_required
def subscription(request):
    """Receive the monthly report by e-mail, or stop receiving it (ministry staff)."""
    if not may_subscribe(request.user):
        raise PermissionDenied(_("Báo cáo hằng tháng qua thư dành cho cán bộ Bộ Công Thương."))
    if request.method == "POST":
        monthly = request.POST.get("monthly") == "1"
        services.subscription_set(user=request.user, monthly=monthly)
        messages.success(
            request,
            _("Anh/chị sẽ nhận báo cáo hằng tháng qua thư.")
            if monthly
            else _("Anh/chị đã thôi nhận báo cáo hằng tháng qua thư."),
        )
        return redirect("reports:subscription")
    current = ReportSubscription.objects.filter(user=request.user).first()
    return render(
        request,
        "reports/subscription.html",
        {"subscribed": bool(current and current.monthly)},
    )
