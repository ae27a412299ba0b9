"""Thin Celery tasks: they take ids, call a service, and may safely run twice."""

from smtplib import SMTPException

from celery import shared_task

RETRY = {"autoretry_for": (SMTPException, ConnectionError), "retry_backoff": True, "max_retries": 5}


@shared_task(name="adjustments.adjustment_notify", **RETRY)
def adjustment_notify_task(request_id: int, event: str) -> int:
    from adjustments.services import adjustment_notify

    return adjustment_notify(request_id=request_id, event=event)
