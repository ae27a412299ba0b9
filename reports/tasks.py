"""Thin Celery tasks: they take ids or nothing, call a service, and may safely run twice."""

from smtplib import SMTPException

from celery import shared_task
from django.utils import timezone


@shared_task(name="reports.report_generate")
def report_generate_task(issue_id: int) -> str | None:
    from reports.services import report_generate

    issue = report_generate(issue_id=issue_id)
    return issue.status if issue else None


@shared_task(
    name="reports.monthly_report_send",
    autoretry_for=(SMTPException, ConnectionError),
    retry_backoff=True,
    max_retries=5,
)
def monthly_report_send_task() -> int:
    from reports.services import monthly_report_send

    return monthly_report_send(today=timezone.localdate())


@shared_task(name="reports.abandoned_work_fail")
def abandoned_work_fail_task() -> int:
    from reports.services import abandoned_work_fail

    return abandoned_work_fail(now=timezone.now())
