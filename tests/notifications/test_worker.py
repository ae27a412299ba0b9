"""One test with a real Celery worker: a committed decision goes through Redis to a worker
process, which writes the inbox rows in the same PostgreSQL database and e-mails them."""

import time
from pathlib import Path

import pytest

from accounts.models import Role
from notifications.models import Notification
from projects.models import Scheme
from projects.services import scheme_transition
from provinces.models import Province
from tests.factories import SchemeFactory, UserFactory

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_delivers_a_decision(reference_data, celery_worker):
    submitter = UserFactory(
        role=Role.PROVINCE,
        province=Province.objects.get(code="19", map_version="34"),
        username="sct19-worker",
        email="sct19@example.vn",
    )
    approver = UserFactory(role=Role.APPROVER, username="ld-worker", email="ld@example.vn")
    scheme = SchemeFactory(
        status=Scheme.Status.APPRAISED, province=Province.objects.get(code="19", map_version="63")
    )
    # The submitter is the one who sent it: give the scheme that history first.
    scheme.status_changes.create(
        from_status=Scheme.Status.DRAFT, to_status=Scheme.Status.SUBMITTED, by=submitter
    )
    scheme_transition(scheme=scheme, to=Scheme.Status.RETURNED, by=approver, reason="Bổ sung hồ sơ")
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        note = Notification.objects.filter(recipient=submitter, emailed_at__isnull=False).first()
        if note is not None:
            break
        assert celery_worker.poll() is None, "the worker stopped"
        time.sleep(0.5)
    else:
        pytest.fail("the worker did not deliver the notification within 60 s")
    assert "Bổ sung hồ sơ" in note.body
    assert note.status_change.to_status == Scheme.Status.RETURNED
