"""Fairs and conferences: the year's list, a month calendar, an event's page and its form."""

import calendar
import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from establishments.models import Establishment
from projects.permissions import provinces_visible_to, schemes_visible_to
from provinces.models import Province
from registers import exports, listing
from registers.forms import EventForm, ParticipantForm
from registers.models import EventParticipant, PromotionEvent
from registers.permissions import events_editable_by, events_visible_to, may_edit_registers
from registers.services import events as services
from registers.tables import EventTable
from registers.views.common import apply_refusal, export, require_editor, table_context


def _year(filterset) -> str:
    """The year the list is of, as validated (never the raw query string)."""
    if not filterset.form.is_valid() or filterset.form.cleaned_data.get("year") is None:
        return ""
    return str(int(filterset.form.cleaned_data["year"]))


@login_required
@require_GET
def event_list(request):
    filterset = listing.event_filter(request.user, request.GET)
    context = table_context(
        request, filterset, EventTable, section="events", export="registers:event-export"
    )
    context["year"] = _year(filterset)
    context["may_add"] = may_edit_registers(request.user)
    return render(request, "registers/event_list.html", context)


@login_required
@require_GET
def event_export(request, file_format):
    return export(request, file_format, exports.event_source, table="events")


def _month(request) -> datetime.date:
    text = request.GET.get("month", "")
    try:
        year, month = (int(part) for part in text.split("-"))
        if 1900 <= year <= 2100:
            return datetime.date(year, month, 1)
    except ValueError:
        pass
    return timezone.localdate().replace(day=1)


@login_required
@require_GET
def event_calendar(request):
    """A month grid, weeks from Monday; an event spanning several days shows on each."""
    first = _month(request)
    weeks = calendar.Calendar(firstweekday=0).monthdatescalendar(first.year, first.month)
    start, end = weeks[0][0], weeks[-1][-1]
    events = list(
        events_visible_to(request.user)
        .filter(starts_on__lte=end, ends_on__gte=start)
        .select_related("host_province")
        .order_by("starts_on", "pk")
    )
    grid = [
        [
            {
                "day": day,
                "in_month": day.month == first.month,
                "events": [e for e in events if e.starts_on <= day <= e.ends_on],
            }
            for day in week
        ]
        for week in weeks
    ]
    previous = (first - datetime.timedelta(days=1)).replace(day=1)
    following = (first + datetime.timedelta(days=32)).replace(day=1)
    context = {
        "first": first,
        "grid": grid,
        "previous": previous.strftime("%Y-%m"),
        "following": following.strftime("%Y-%m"),
        "today": timezone.localdate(),
        "weekdays": [
            _("Thứ Hai"),
            _("Thứ Ba"),
            _("Thứ Tư"),
            _("Thứ Năm"),
            _("Thứ Sáu"),
            _("Thứ Bảy"),
            _("Chủ Nhật"),
        ],
        "section": "events",
        "month_events": [
            e for e in events if e.starts_on.month == first.month or e.ends_on.month == first.month
        ],
    }
    return render(request, "registers/event_calendar.html", context)


def _participant_form(request, data=None):
    establishments = Establishment.objects.filter(province__in=provinces_visible_to(request.user))
    return ParticipantForm(data, establishments=establishments)


def _render_event(request, event, *, participant_form=None, status=200):
    context = {
        "event": event,
        "participants": event.participants.select_related("establishment__province"),
        "may_edit": events_editable_by(request.user).filter(pk=event.pk).exists(),
        "participant_form": participant_form or _participant_form(request),
        "section": "events",
    }
    return render(request, "registers/event_detail.html", context, status=status)


@login_required
@require_GET
def event_detail(request, pk):
    event = get_object_or_404(
        events_visible_to(request.user).select_related(
            "host_province", "region", "organiser", "scheme"
        ),
        pk=pk,
    )
    return _render_event(request, event)


def _event_form(request, event: PromotionEvent | None):
    if request.user.role == "province":
        provinces = Province.objects.filter(successor_id=request.user.province_id)
    else:
        provinces = Province.objects.all()
    form = EventForm(
        request.POST or None,
        instance=event,
        provinces=provinces.order_by("map_version", "name"),
        schemes=schemes_visible_to(request.user),
    )
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.event_save(event=form.save(commit=False), by=request.user)
        except ValidationError as error:
            apply_refusal(error, form)
        else:
            messages.success(request, _("Đã lưu “%(name)s”.") % {"name": saved.name})
            return redirect(saved)
    status = 400 if form.errors else 200
    return render(
        request,
        "registers/event_form.html",
        {"form": form, "event": event, "section": "events"},
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def event_create(request):
    require_editor(request.user)
    return _event_form(request, None)


@login_required
@require_http_methods(["GET", "POST"])
def event_edit(request, pk):
    require_editor(request.user)
    event = get_object_or_404(events_editable_by(request.user).select_related("scheme"), pk=pk)
    return _event_form(request, event)


@login_required
@require_POST
def participant_add(request, pk):
    require_editor(request.user)
    event = get_object_or_404(events_editable_by(request.user), pk=pk)
    form = _participant_form(request, request.POST)
    if form.is_valid():
        try:
            participant = services.participant_add(
                event=event,
                by=request.user,
                establishment=form.cleaned_data["establishment"],
                booths=form.cleaned_data["booths"],
                support=form.cleaned_data["support"],
            )
        except ValidationError as error:
            apply_refusal(error, form)
        else:
            messages.success(
                request,
                _("Đã thêm “%(name)s”.") % {"name": participant.establishment.name},
            )
            return redirect(event)
    return _render_event(request, event, participant_form=form, status=400)


@login_required
@require_POST
def participant_remove(request, pk, participant_pk):
    require_editor(request.user)
    event = get_object_or_404(events_editable_by(request.user), pk=pk)
    participant = get_object_or_404(EventParticipant, event=event, pk=participant_pk)
    services.participant_remove(participant=participant, by=request.user)
    messages.success(request, _("Đã bỏ “%(name)s”.") % {"name": participant.establishment.name})
    return redirect(event)
