"""A large export through Redis to a real Celery worker writing the file from the same
PostgreSQL database (the worker fixture in tests/conftest.py); the browser-side path is
followed with the test client: export button, start page, progress JSON, download."""

import csv
import io
import time
from urllib.parse import parse_qs, urlparse

import pytest
from django.conf import settings as django_settings
from django.core.files.storage import FileSystemStorage
from django.urls import reverse

from accounts.models import Role
from exports.models import ExportJob
from tests.conftest import province
from tests.factories import UserFactory
from tests.projects.test_exports import INJECTION, make


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_builds_the_file(reference_data, celery_worker, client, settings):
    settings.KC_EXPORT_SYNC_LIMIT = 1
    user = UserFactory(role=Role.PROVINCE, province=province("19"), username="tn-export")
    make("A-TN", amount=800, paid=800)
    make("B-BK", province="06", amount=600, paid=100, title=INJECTION)
    make("C-HN", province="01", amount=1000)  # another province: never in the file
    client.force_login(user)

    button = client.get(reverse("projects:scheme-export", args=["csv"]), {"year": 2019})
    assert button.status_code == 302
    wanted = {k: v[0] for k, v in parse_qs(urlparse(button.url).query).items()}
    started = client.post(reverse("exports:job-new"), wanted)
    job = ExportJob.objects.get(user=user)
    assert started.url == job.get_absolute_url()

    status_url = reverse("exports:job-status", args=[job.pk])
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        body = client.get(status_url).json()
        if body["status"] in ("done", "failed"):
            break
        assert celery_worker.poll() is None, "the worker stopped"
        time.sleep(0.5)
    else:
        pytest.fail("the worker did not build the file within 60 s")
    assert body["status"] == "done", body
    assert body["percent"] == 100

    response = client.get(body["download_url"])
    data = b"".join(response.streaming_content)
    title, _header, *rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert sorted(row[0] for row in rows) == ["A-TN", "B-BK"]
    assert {row[0]: row[1] for row in rows}["B-BK"] == "'" + INJECTION
    assert "Bản đồ tỉnh: 63 tỉnh, thành" in title[0]
    job.refresh_from_db()
    FileSystemStorage(location=django_settings.MEDIA_ROOT).delete(job.stored_path)
