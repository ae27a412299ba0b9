"""One test with a real Celery worker: a committed decision goes through Redis to a worker
process, which writes the inbox rows in the same PostgreSQL database and e-mails them."""

import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.db import connection

from accounts.models import Role
from khuyencong.celery import app
from notifications.models import Notification
from projects.models import Scheme
from projects.services import scheme_transition
from provinces.models import Province
from tests.factories import SchemeFactory, UserFactory

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def celery_worker(postgres_only):
    """A worker on a queue of its own, reading the test database."""
    if not os.environ.get("REDIS_URL"):
        pytest.skip("needs REDIS_URL")
    queue = f"test-{uuid.uuid4().hex[:8]}"
    db = connection.settings_dict
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "khuyencong.settings.test",
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "CELERY_QUEUE": queue,
    }
    process = subprocess.Popen(  # noqa: S603 - our own worker, fixed arguments
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "khuyencong",
            "worker",
            "--pool=solo",
            "-Q",
            queue,
            "-l",
            "warning",
            "--without-heartbeat",
            "--without-gossip",
            "--without-mingle",
        ],
        cwd=ROOT,
        env=env,
    )
    previous = (app.conf.task_always_eager, app.conf.task_default_queue)
    app.conf.task_always_eager = False
    app.conf.task_default_queue = queue
    try:
        yield process
    finally:
        app.conf.task_always_eager, app.conf.task_default_queue = previous
        process.terminate()
        process.wait(timeout=30)


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
