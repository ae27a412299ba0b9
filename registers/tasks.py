"""Thin Celery tasks: they call a service and may safely run twice."""

from celery import shared_task
from django.utils import timezone


@shared_task(name="registers.certificates_expire")
def certificates_expire_task() -> int:
    from registers.services.products import certificates_expire

    return certificates_expire(today=timezone.localdate())
