"""The monthly progress report form of the portal (/ho-so/<pk>/bao-cao-tien-do/): the unit that
prepares a scheme under way reports a month's progress; the page lists the months due and the
reports already filed. A scheme the user may not see answers 404."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from projects.models import Scheme
from projects.permissions import schemes_visible_to
from submissions import services
from submissions.forms import ProgressReportForm
from submissions.permissions import owns, uses_portal
from submissions.reporting import REPORTING, deadline_day
from submissions.selectors import progress_schedule


@login_required
@require_http_methods(["GET", "POST"])
def progress_report_add(request, pk):
    user = request.user
    if not uses_portal(user):
        raise PermissionDenied(
            _("Trang hồ sơ đề án dành cho cán bộ tỉnh và trung tâm khuyến công vùng.")
        )
    scheme = get_object_or_404(
        schemes_visible_to(user)
        .with_money()
        .select_related("province", "implementing_unit")
        .prefetch_related("progress_reports__reported_by"),
        pk=pk,
    )
    if not owns(user, scheme):
        raise PermissionDenied(_("Chỉ đơn vị lập đề án mới được báo cáo tiến độ."))
    if scheme.status not in REPORTING:
        messages.error(
            request,
            _(
                "Đề án %(code)s đang ở trạng thái “%(status)s”: chỉ báo cáo tiến độ khi đề án "
                "đã ký hợp đồng / giao nhiệm vụ hoặc đang thực hiện."
            )
            % {"code": scheme.code, "status": Scheme.Status(scheme.status).label},
        )
        return redirect("submissions:scheme-detail", pk=scheme.pk)
    today = timezone.localdate()
    periods = services.report_periods_open(scheme, today)
    data = request.POST if request.method == "POST" else None
    form = ProgressReportForm(data, periods=periods, deadline_day=deadline_day())
    if data is not None and form.is_valid():
        try:
            report = services.progress_report_submit(by=user, scheme=scheme, **form.cleaned_data)
        except ValidationError as error:
            refusals = error.error_dict if hasattr(error, "error_dict") else {"": error.messages}
            for name, errors in refusals.items():
                form.add_error(name if name in form.fields else None, errors)
        else:
            messages.success(
                request,
                _("Đã ghi báo cáo tiến độ tháng %(period)s của đề án %(code)s.")
                % {"period": report.period_label, "code": scheme.code},
            )
            return redirect("submissions:progress-report-add", pk=scheme.pk)
    context = {
        "scheme": scheme,
        "form": form,
        "schedule": progress_schedule(scheme, today),
        "deadline_day": deadline_day(),
    }
    return render(request, "submissions/progress_report_form.html", context)
