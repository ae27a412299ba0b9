import datetime
from decimal import Decimal

import pytest
from django.core import mail
from django.test import override_settings

from accounts.models import Role, User
from notifications.models import Notification
from notifications.services import reminders_send, status_change_notify
from projects.models import Scheme, SchemeStatusChange
from projects.services import scheme_transition
from provinces.models import Province
from tests.factories import SchemeFactory, UserFactory

S = Scheme.Status


@pytest.fixture
def people(db):
    thai_nguyen = Province.objects.get(code="19", map_version="34")
    return {
        "submitter": UserFactory(
            role=Role.PROVINCE, province=thai_nguyen, username="sct19", email="sct19@example.vn"
        ),
        "ha_noi": UserFactory(
            role=Role.PROVINCE,
            province=Province.objects.get(code="01", map_version="34"),
            username="sct01",
            email="sct01@example.vn",
        ),
        "ministry": UserFactory(role=Role.MINISTRY, username="cuc", email="cuc@example.vn"),
        "approver": UserFactory(role=Role.APPROVER, username="lanhdao", email="ld@example.vn"),
    }


def _scheme(status=S.DRAFT):
    return SchemeFactory(
        status=status,
        province=Province.objects.get(code="06", map_version="63"),  # Bắc Kạn, now Thái Nguyên
        support_requested=Decimal(500_000_000),
    )


@pytest.mark.django_db(transaction=True)
def test_decisions_reach_the_submitter_and_the_next_actors(reference_data, people):
    scheme = _scheme()
    for to in (S.SUBMITTED, S.BASE_APPRAISED, S.REGISTERED):
        scheme_transition(scheme=scheme, to=to, by=people["submitter"])
    # Registered: the ministry appraises next; the submitter made the move, so is not told.
    registered = Notification.objects.filter(status_change__to_status=S.REGISTERED)
    assert set(registered.values_list("recipient__username", flat=True)) == {"cuc", "lanhdao"}
    scheme_transition(
        scheme=scheme, to=S.RETURNED, by=people["approver"], reason="Thiếu dự toán chi tiết"
    )
    returned = Notification.objects.get(
        status_change__to_status=S.RETURNED, recipient=people["submitter"]
    )
    assert "Thiếu dự toán chi tiết" in returned.body
    assert returned.emailed_at is not None
    assert not Notification.objects.filter(recipient=people["ha_noi"]).exists()
    assert any(m.to == ["sct19@example.vn"] for m in mail.outbox)


def test_notifying_twice_sends_nothing_twice(people):
    scheme = _scheme(status=S.REGISTERED)
    change = SchemeStatusChange.objects.create(
        scheme=scheme, from_status=S.BASE_APPRAISED, to_status=S.REGISTERED, by=people["submitter"]
    )
    first = status_change_notify(change_id=change.pk)
    sent = len(mail.outbox)
    assert first == 2
    assert status_change_notify(change_id=change.pk) == 0
    assert len(mail.outbox) == sent


def test_rolled_back_decisions_notify_nobody(people):
    # In a test transaction nothing commits: the on-commit hook never fires.
    scheme_transition(scheme=_scheme(), to=S.SUBMITTED, by=people["submitter"])
    assert not Notification.objects.exists()


@pytest.mark.parametrize(
    ("today", "status", "plan_year", "key"),
    [
        (datetime.date(2026, 5, 10), S.DRAFT, 2027, "submission-due:2026"),
        (datetime.date(2026, 6, 10), S.BASE_APPRAISED, 2027, "registration-due:2026"),
        (datetime.date(2026, 9, 20), S.IN_PROGRESS, 2026, "progress-report:2026-09"),
    ],
)
def test_deadline_reminders_once_per_period(people, today, status, plan_year, key):
    scheme = SchemeFactory(
        status=status,
        plan_year=plan_year,
        province=Province.objects.get(code="19", map_version="34"),
    )
    assert reminders_send(today=today) == 1
    note = Notification.objects.get(reminder_key=key)
    assert note.recipient == people["submitter"]
    assert scheme.code in note.body
    assert reminders_send(today=today) == 0


def test_no_reminder_outside_the_windows(people):
    SchemeFactory(status=S.DRAFT, plan_year=2027)
    assert reminders_send(today=datetime.date(2026, 8, 2)) == 0


def test_contracts_late_after_approval(people):
    scheme = _scheme(status=S.APPROVED)
    change = SchemeStatusChange.objects.create(
        scheme=scheme, from_status=S.APPRAISED, to_status=S.APPROVED, by=people["approver"]
    )
    SchemeStatusChange.objects.filter(pk=change.pk).update(
        at=change.at - datetime.timedelta(days=31)
    )
    reminders_send(today=datetime.date(2026, 8, 2))
    note = Notification.objects.get(reminder_key="contract-overdue:2026-08-02")
    assert note.recipient == people["ministry"]
    assert scheme.code in note.body


def test_inbox_lists_what_waits_for_me(client, people):
    waiting = _scheme(status=S.REGISTERED)
    _scheme(status=S.DRAFT)
    client.force_login(people["ministry"])
    page = client.get("/hop-thu/").text
    assert waiting.code in page
    client.force_login(people["ha_noi"])
    assert waiting.code not in client.get("/hop-thu/").text


def test_unread_count_in_the_header_and_mark_read(client, people):
    Notification.objects.create(recipient=people["ministry"], subject="Một việc", body="…")
    client.force_login(people["ministry"])
    assert "Một việc" in client.get("/hop-thu/").text
    client.post("/hop-thu/da-doc/")
    assert not Notification.objects.filter(read_at__isnull=True).exists()


@override_settings(CELERY_TASK_ALWAYS_EAGER=True)
def test_the_beat_schedule_runs_the_reminders_daily():
    from django.conf import settings

    import notifications.tasks  # noqa: F401 - the worker's autodiscovery imports it the same way
    from khuyencong.celery import app

    entry = settings.CELERY_BEAT_SCHEDULE["reminders-daily"]
    assert entry["task"] == "notifications.reminders_send"
    assert "notifications.reminders_send" in app.tasks


def test_who_is_told_follows_the_visibility_doorway(people):
    """users_who_see(scheme) is projects.permissions' rule read from the scheme's side: the two
    must agree for every user."""
    from notifications.services import users_who_see
    from organisations.models import Organisation
    from projects.permissions import schemes_visible_to

    ipc1 = Organisation.objects.get(short_name="IPC1")
    UserFactory(role=Role.REGIONAL, organisation=ipc1, username="ipc1-n")
    schemes = [
        _scheme(),
        SchemeFactory(province=Province.objects.get(code="79", map_version="34")),
        SchemeFactory(
            province=Province.objects.get(code="79", map_version="34"), implementing_unit=ipc1
        ),
    ]
    for scheme in schemes:
        told = set(users_who_see(scheme))
        for user in User.objects.filter(is_active=True):
            assert (user in told) is schemes_visible_to(user).filter(pk=scheme.pk).exists(), (
                scheme.code,
                user.username,
            )
