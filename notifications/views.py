from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import F, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from notifications.services import waiting_for
from projects.models import SchemeStatusChange


@login_required
def inbox(request):
    """My messages, and the schemes waiting for a step I may take, longest wait first."""
    last_change = (
        SchemeStatusChange.objects.filter(scheme=OuterRef("pk")).order_by("-at").values("at")[:1]
    )
    waiting = (
        waiting_for(request.user)
        .select_related("province")
        .annotate(waiting_since=Coalesce(Subquery(last_change), F("created_at")))
        .order_by("waiting_since")[:50]
    )
    messages_page = Paginator(
        request.user.notifications.select_related("scheme").order_by("-created_at", "-pk"), 30
    ).get_page(request.GET.get("page"))
    return render(
        request,
        "notifications/inbox.html",
        {"waiting": waiting, "notifications": messages_page, "now": timezone.now()},
    )


@login_required
@require_POST
def mark_all_read(request):
    request.user.notifications.filter(read_at__isnull=True).update(read_at=timezone.now())
    return redirect("notifications:inbox")
