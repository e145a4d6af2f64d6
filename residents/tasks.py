"""Celery tasks of the residents app: thin wrappers that read the clock and call one service."""

from datetime import datetime

from celery import shared_task
from django.utils import timezone

from residents.importing.writer import fail_stopped, run_job, waiting_too_long


@shared_task(acks_late=True)
def import_residents(job_id: int) -> dict:
    """Write a checked roster. Redelivery is harmless: a finished job is left as it is."""
    job = run_job(job_id=job_id, now=timezone.now())
    return {"status": job.status, "done": job.done}


def recover_jobs(*, now: datetime) -> dict[str, list[int]]:
    """No import waits or spins for ever: jobs waiting too long are handed to the worker
    again, jobs whose worker died are failed (residents.importing.writer says how each is told)."""
    waiting = waiting_too_long(now=now)
    for pk in waiting:
        import_residents.delay(pk)
    return {"resent": waiting, "stopped": fail_stopped(now=now)}


@shared_task
def recover_import_jobs() -> dict:
    """Beat's watch over the imports, every two minutes."""
    return recover_jobs(now=timezone.now())
