"""Turning a checked roster into a stored import job, and queueing it for the worker."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from residents import crypto
from residents.importer import ImportReport
from residents.importing.models import ImportJob
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
