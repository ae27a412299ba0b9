"""Thin Celery tasks: they call a service and may safely run twice."""

from celery import shared_task


@shared_task(name="imports.batch_check")
def batch_check_task(batch_id: int) -> str:
    from imports.services import batch_check

    return batch_check(batch_id=batch_id)
