"""Thin Celery tasks: they take ids, call a service, and may safely run twice."""

from smtplib import SMTPException

from celery import shared_task
from django.utils import timezone

RETRY = {"autoretry_for": (SMTPException, ConnectionError), "retry_backoff": True, "max_retries": 5}


@shared_task(name="notifications.status_change_notify", **RETRY)
def status_change_notify_task(change_id: int) -> int:
    from notifications.services import status_change_notify

    return status_change_notify(change_id=change_id)


@shared_task(name="notifications.reminders_send", **RETRY)
def reminders_send_task() -> int:
    from notifications.services import reminders_send

    return reminders_send(today=timezone.localdate())
