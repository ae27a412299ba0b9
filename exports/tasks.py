"""Thin Celery tasks: they take ids, call a service, and may safely run twice."""

from celery import shared_task
from django.utils import timezone


@shared_task(name="exports.export_job_run")
def export_job_run_task(job_id: int) -> str:
    from exports.services import export_job_run

    return export_job_run(job_id=job_id).status


@shared_task(name="exports.export_jobs_expire")
def export_jobs_expire_task() -> int:
    from exports.services import export_jobs_expire

    return export_jobs_expire(now=timezone.now())
