"""Celery tasks of the residents app: thin wrappers that read the clock and call one service."""

from celery import shared_task
from django.utils import timezone

from residents.importing.writer import run_job


@shared_task(acks_late=True)
def import_residents(job_id: int) -> dict:
    """Write a checked roster. Redelivery is harmless: a finished job is left as it is."""
    job = run_job(job_id=job_id, now=timezone.now())
    return {"status": job.status, "done": job.done}


@shared_task
def recover_import_jobs() -> dict:
    """Beat's watch over the imports: waiting jobs handed over again, dead ones failed."""
    from residents.importing.services import recover_jobs

    return recover_jobs(now=timezone.now())
