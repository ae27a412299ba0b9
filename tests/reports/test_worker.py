"""With a real Celery worker: an issue asked for on the page is made by a worker process through
Redis, in the same PostgreSQL database, with the bytes this process makes from the same
parameters; the monthly task sends the report to the subscribers."""

import time
from pathlib import Path

import pytest
from django.db import transaction

from accounts.models import Role
from reports import storage
from reports.models import ReportDelivery, ReportIssue
from reports.services import report_generate, report_request, subscription_set
from reports.tasks import monthly_report_send_task
from tests.factories import UserFactory
from tests.reports.conftest import make_issue

ROOT = Path(__file__).resolve().parents[2]


def _wait_for(condition, worker, what: str, seconds: int = 90):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        assert worker.poll() is None, "the worker stopped"
        time.sleep(0.5)
    pytest.fail(f"the worker did not {what} within {seconds} s")


def _remove_files(issues) -> None:
    files = storage.storage()
    for issue in issues:
        for name in (issue.xlsx_path, issue.pdf_path):
            if name and files.exists(name):
                files.delete(name)


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_makes_the_files(reference_data, programme, celery_worker):
    user = UserFactory(role=Role.MINISTRY, username="bo-worker")
    with transaction.atomic():
        issue = report_request(
            by=user,
            period="q3",
            year=2019,
            fund="national",
            province_map="34",
            as_of=make_issue(period="q3").as_of,
        )
    done = _wait_for(
        lambda: ReportIssue.objects.filter(pk=issue.pk, status="done").first(),
        celery_worker,
        "make the report",
    )
    here = report_generate(issue_id=make_issue(period="q3", province_map="34").pk)
    try:
        assert (done.progress, done.error) == (100, "")
        assert storage.read(done.xlsx_path).startswith(b"PK")
        assert storage.read(done.pdf_path).startswith(b"%PDF")
        # Another process, another moment: the same bytes.
        assert (done.xlsx_sha256, done.pdf_sha256) == (here.xlsx_sha256, here.pdf_sha256)
    finally:
        _remove_files([done, here])


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_sends_the_monthly_report(reference_data, celery_worker):
    for index in range(2):
        user = UserFactory(
            role=Role.MINISTRY, username=f"bo-thu-{index}", email=f"bo{index}@example.vn"
        )
        subscription_set(user=user, monthly=True)
    UserFactory(role=Role.MINISTRY, username="bo-khong-nhan", email="khong@example.vn")
    monthly_report_send_task.delay()
    _wait_for(lambda: ReportDelivery.objects.count() == 2, celery_worker, "send the monthly report")
    issue = ReportIssue.objects.get(trigger=ReportIssue.Trigger.MONTHLY)
    try:
        assert issue.status == ReportIssue.Status.DONE
        assert set(ReportDelivery.objects.values_list("recipient__username", flat=True)) == {
            "bo-thu-0",
            "bo-thu-1",
        }
    finally:
        _remove_files([issue])
