"""Thin Celery tasks: they call a service and may safely run twice."""

import datetime
from smtplib import SMTPException

from celery import shared_task
from django.utils import timezone

RETRY = {"autoretry_for": (SMTPException, ConnectionError), "retry_backoff": True, "max_retries": 5}


@shared_task(name="monitoring.at_risk_warning_send", **RETRY)
def at_risk_warning_send_task(today: str | None = None) -> int:
    """`today` (ISO date) replaces the local date, for a rerun of a missed week."""
    from monitoring.services import at_risk_warning_send

    day = datetime.date.fromisoformat(today) if today else timezone.localdate()
    return at_risk_warning_send(today=day)
