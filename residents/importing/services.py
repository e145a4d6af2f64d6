"""Turning a checked roster into a stored import job, and queueing it for the worker."""

from __future__ import annotations

from functools import partial

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from residents.importer import ImportReport
from residents.importing.models import ImportJob
from residents.models.community import Community
from residents.models.resident import Resident
from residents.tasks import import_residents


def seal(row: dict) -> dict:
    """A checked row as the job stores it: the ID number encrypted, hashed and masked exactly
    as ``Resident.set_id_number`` does it (never in clear), the date as ISO text."""
    resident = Resident()
    resident.set_id_number(row["id_number"])
    sealed = {key: value for key, value in row.items() if key != "id_number"}
    sealed.update(
        birth_date=row["birth_date"].isoformat() if row["birth_date"] else "",
        id_number_encrypted=resident.id_number_encrypted,
        id_number_hash=resident.id_number_hash,
        id_number_masked=resident.id_number_masked,
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
    transaction.on_commit(partial(import_residents.delay, job.pk), robust=True)
    return job
