"""Turning a checked roster into a stored import job, and queueing it for the worker."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.contrib.auth.models import AbstractBaseUser
from django.db import connection, transaction

from residents import crypto
from residents.importer import ImportReport
from residents.importing.models import Failure, ImportJob, JobStatus
from residents.models.community import Community
from residents.tasks import import_residents


def seal(row: dict) -> dict:
    """A checked row as the job stores it: the ID number encrypted and masked as
    ``Resident.set_id_number`` does it, with the keyed hash the check computed (never in
    clear), the date as ISO text."""
    number = row["id_number"]
    sealed = {key: value for key, value in row.items() if key != "id_number"}
    sealed.update(
        birth_date=row["birth_date"].isoformat() if row["birth_date"] else "",
        id_number_encrypted=crypto.encrypt(number),
        id_number_masked=crypto.mask_id_number(number),
    )
    return sealed


def create_job(*, community: Community, by: AbstractBaseUser | None, file_name: str, report: ImportReport) -> ImportJob:
    """Store a report without errors as a job waiting to be written."""
    if not report.ok:
        raise ValueError("A report with errors is never imported.")
    return ImportJob.objects.create(
        community=community,
        created_by=by,
        file_name=file_name[:255],
        total=len(report.rows),
        payload=[seal(row) for row in report.rows],
    )


@transaction.atomic
def queue_job(*, community: Community, by: AbstractBaseUser, file_name: str, report: ImportReport) -> ImportJob:
    """Store the job and hand it to the Celery worker once it is committed. If the broker cannot
    be reached the job stays waiting (robust: the upload still answers) and its page says so."""
    job = create_job(community=community, by=by, file_name=file_name, report=report)

    def send() -> None:
        import_residents.delay(job.pk)

    # A named function, not a partial: Django logs a robust callback's failure by its name.
    transaction.on_commit(send, robust=True)
    return job


#: A job still waiting this long was probably never handed to the worker (the broker was down).
RESEND_AFTER = timedelta(minutes=2)
#: A job writing this long without holding its community's lock has lost its worker.
STOPPED_AFTER = timedelta(minutes=5)
#: Where the community's lock cannot be asked for (SQLite, `make run`): a write this old is dead.
STOPPED_AFTER_WITHOUT_LOCKS = timedelta(hours=1)


def recover_jobs(*, now: datetime) -> dict[str, list[int]]:
    """What beat runs every few minutes so that no import waits or spins for ever:

    - a job still waiting after RESEND_AFTER is handed to the worker again (its message was
      lost with a broker that was down at the upload; a job that was only slow to start is
      harmless to send twice: run_job leaves a finished job as it is);
    - a job marked as writing whose worker is gone is failed with the reason STOPPED, its rows
      dropped. A write holds its community's row lock until it commits or rolls back; the lock
      free, the write is over, and a job still RUNNING then was rolled back with its worker
      (killed, out of memory): nothing of it was written. Retrying it could kill the next
      worker the same way, so the page asks for the file again instead.
    """
    waiting = ImportJob.objects.filter(status=JobStatus.QUEUED, created_at__lt=now - RESEND_AFTER)
    waiting = list(waiting.values_list("pk", flat=True))
    for pk in waiting:
        import_residents.delay(pk)
    running = ImportJob.objects.filter(status=JobStatus.RUNNING)
    if connection.vendor == "postgresql":
        running = running.filter(started_at__lt=now - STOPPED_AFTER)
    else:
        running = running.filter(started_at__lt=now - STOPPED_AFTER_WITHOUT_LOCKS)
    stopped = []
    for job in running.only("pk", "community_id"):
        with transaction.atomic():
            if connection.vendor == "postgresql" and not _lock_is_free(job.community_id):
                continue  # a write of this community is going on: this one's, or one it waits behind
            if ImportJob.objects.filter(pk=job.pk, status=JobStatus.RUNNING).update(
                status=JobStatus.FAILED, failure=Failure.STOPPED, report={}, payload=[], done=0, finished_at=now
            ):
                stopped.append(job.pk)
    return {"resent": waiting, "stopped": stopped}


def _lock_is_free(community_id: int) -> bool:
    """Whether nobody holds the community's row lock that run_job takes (held until this
    transaction ends, so no write can start on the job meanwhile)."""
    return Community.objects.select_for_update(no_key=True, skip_locked=True).filter(pk=community_id).exists()
