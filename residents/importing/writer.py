"""Writing a checked roster: places and residents in bulk, all in one transaction.

The rows were checked when the file was uploaded (``residents.importer.read``) and sealed
(``residents.importing.services.seal``): ID numbers arrive encrypted, hashed and masked. Here
buildings, units and rooms are found or created a level at a time (three queries a level),
pinyin initials are computed as ``Resident.save`` computes them, and residents are inserted
``BATCH`` at a time, reporting rows done after each batch.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction
from django.utils import timezone

from residents.importing.models import Failure, ImportJob, JobStatus
from residents.models.community import Community
from residents.models.place import Building, Room, Unit, place_key
from residents.models.resident import Resident, name_initials

logger = logging.getLogger(__name__)

BATCH = 500

Place = tuple[str, str, str]


class DuplicateIdNumbers(Exception):
    """Someone registered one of the file's ID numbers between the check and the write."""

    def __init__(self, lines: list[int]):
        super().__init__(lines)
        self.lines = lines


@dataclass
class Written:
    residents: int
    buildings: int
    units: int
    rooms: int


def floor_of(room_no: str) -> int:
    """501 is on the fifth floor, 1203 on the twelfth; anything else is put on the first."""
    return int(room_no[:-2]) if room_no.isdigit() and len(room_no) > 2 else 1


def _rooms(community: Community, places: set[Place]) -> tuple[dict[Place, int], list[int]]:
    """Room ids for every (building, unit, room) named, creating what is missing; and how many
    buildings, units and rooms were created. ``ignore_conflicts`` and a second read make a place
    someone else created meanwhile simply found."""
    numbers = {b for b, _u, _r in places}
    buildings = dict(Building.objects.in_community(community).filter(number__in=numbers).values_list("number", "id"))
    new_buildings = [Building(community=community, number=n) for n in sorted(numbers - buildings.keys())]
    if new_buildings:
        Building.objects.bulk_create(new_buildings, ignore_conflicts=True)
        buildings = dict(
            Building.objects.in_community(community).filter(number__in=numbers).values_list("number", "id")
        )

    wanted_units = {(buildings[b], u) for b, u, _r in places}
    building_ids = {b for b, _u in wanted_units}

    def read_units():
        found = Unit.objects.filter(building_id__in=building_ids).values_list("building_id", "number", "id")
        return {(b, n): pk for b, n, pk in found if (b, n) in wanted_units}

    units = read_units()
    new_units = [Unit(building_id=b, number=n) for b, n in sorted(wanted_units - units.keys())]
    if new_units:
        Unit.objects.bulk_create(new_units, ignore_conflicts=True)
        units = read_units()

    wanted_rooms = {(units[(buildings[b], u)], r) for b, u, r in places}
    unit_ids = {u for u, _r in wanted_rooms}

    def read_rooms():
        found = Room.objects.filter(unit_id__in=unit_ids).values_list("unit_id", "room_no", "id")
        return {(u, n): pk for u, n, pk in found if (u, n) in wanted_rooms}

    rooms = read_rooms()
    new_rooms = [
        Room(community=community, unit_id=u, room_no=n, floor_no=floor_of(n))
        for u, n in sorted(wanted_rooms - rooms.keys())
    ]
    if new_rooms:
        Room.objects.bulk_create(new_rooms, ignore_conflicts=True)
        rooms = read_rooms()
    ids = {(b, u, r): rooms[(units[(buildings[b], u)], r)] for b, u, r in places}
    return ids, [len(new_buildings), len(new_units), len(new_rooms)]


def write_rows(rows: list[dict], *, community: Community, progress: Callable[[int], None]) -> Written:
    """Insert every sealed row; raise DuplicateIdNumbers before writing anything if one of the
    ID numbers is registered already. Call inside a transaction: a failure leaves nothing."""
    lines_by_hash = {row["id_number_hash"]: row["line"] for row in rows if row["id_number_hash"]}
    taken = Resident.objects.in_community(community).filter(id_number_hash__in=lines_by_hash)
    duplicates = sorted(lines_by_hash[h] for h in taken.values_list("id_number_hash", flat=True))
    if duplicates:
        raise DuplicateIdNumbers(duplicates)
    rooms, (buildings, units, new_rooms) = _rooms(community, {(r["building"], r["unit"], r["room"]) for r in rows})
    residents = [
        Resident(
            community=community,
            room_id=rooms[(row["building"], row["unit"], row["room"])],
            place_key=place_key(row["building"], row["unit"], row["room"]),
            name=row["name"],
            name_initials=name_initials(row["name"]),
            gender=row["gender"],
            birth_date=date.fromisoformat(row["birth_date"]) if row["birth_date"] else None,
            phone=row["phone"],
            population_type=row["population_type"],
            relation=row["relation"],
            emergency_contact=row["emergency_contact"],
            emergency_phone=row["emergency_phone"],
            id_number_encrypted=row["id_number_encrypted"],
            id_number_hash=row["id_number_hash"],
            id_number_masked=row["id_number_masked"],
        )
        for row in rows
    ]
    for start in range(0, len(residents), BATCH):
        Resident.objects.bulk_create(residents[start : start + BATCH])
        progress(min(start + BATCH, len(residents)))
    return Written(residents=len(residents), buildings=buildings, units=units, rooms=new_rooms)


class Progress:
    """Rows done, written where the page can read them while the import's transaction is still
    open: through a connection of its own, which commits each update at once. SQLite lets one
    connection write at a time, so there (``make run``) the count only moves when the job ends."""

    def __init__(self, job_id: int, *, also: Callable[[int], None] | None = None):
        self.job_id = job_id
        self.also = also
        self.connection = connections.create_connection(DEFAULT_DB_ALIAS) if connection.vendor == "postgresql" else None

    def __call__(self, done: int) -> None:
        if self.connection is not None:
            with self.connection.cursor() as cursor:
                cursor.execute(f"UPDATE {ImportJob._meta.db_table} SET done = %s WHERE id = %s", [done, self.job_id])
        if self.also is not None:
            self.also(done)

    def close(self) -> None:
        if self.connection is not None:
            self.connection.close()


def run_job(*, job_id: int, now: datetime, on_progress: Callable[[int], None] | None = None) -> ImportJob:
    """Write a queued job's rows. Safe to run twice (a redelivered task, two workers): jobs of a
    community take turns on its row lock, and a job found finished is left as it is. Any failure
    rolls the whole import back and is stored on the job with a reason the page can show."""
    job = ImportJob.objects.get(pk=job_id)
    if job.finished:
        return job
    # Only a waiting job is started: a redelivered task finding it RUNNING (another worker is
    # writing it, or was killed) leaves its start time and its count as they are.
    ImportJob.objects.filter(pk=job_id, status=JobStatus.QUEUED).update(
        status=JobStatus.RUNNING, started_at=now, done=0
    )
    progress = Progress(job_id, also=on_progress)
    try:
        with transaction.atomic():
            # FOR NO KEY UPDATE: two imports into one community wait for each other, while
            # inserts elsewhere that only reference the community (FOR KEY SHARE) go on.
            community = Community.objects.select_for_update(no_key=True).get(pk=job.community_id)
            job = ImportJob.objects.get(pk=job_id)
            if job.finished:
                return job
            written = write_rows(job.payload, community=community, progress=progress)
            job.status = JobStatus.DONE
            job.done = written.residents
            job.report = {
                "residents": written.residents,
                "buildings": written.buildings,
                "units": written.units,
                "rooms": written.rooms,
                "households": len({(r["building"], r["unit"], r["room"]) for r in job.payload}),
                "first_line": min((r["line"] for r in job.payload), default=0),
                "last_line": max((r["line"] for r in job.payload), default=0),
            }
            job.payload = []
            job.finished_at = timezone.now()  # measured, not decided: how long the write took
            job.save(update_fields=["status", "done", "report", "payload", "finished_at"])
            return job
    except DuplicateIdNumbers as exc:
        return _fail(job_id, Failure.DUPLICATE, {"lines": exc.lines})
    except Exception:
        logger.exception("Resident import %s failed; nothing was written", job_id)
        return _fail(job_id, Failure.ERROR, {})
    finally:
        progress.close()


def _fail(job_id: int, failure: Failure, report: dict) -> ImportJob:
    ImportJob.objects.filter(pk=job_id).update(
        status=JobStatus.FAILED, failure=failure, report=report, payload=[], done=0, finished_at=timezone.now()
    )
    return ImportJob.objects.get(pk=job_id)


#: A job still waiting this long was probably never handed to the worker (the broker was down).
RESEND_AFTER = timedelta(minutes=2)
#: A job writing this long without holding its community's lock has lost its worker.
STOPPED_AFTER = timedelta(minutes=5)
#: Where the community's lock cannot be asked for (SQLite, `make run`): a write this old is dead.
STOPPED_AFTER_WITHOUT_LOCKS = timedelta(hours=1)


def waiting_too_long(*, now: datetime) -> list[int]:
    """Jobs still waiting after RESEND_AFTER: their message was probably lost with a broker
    that was down at the upload. Sending one that was only slow to start is harmless:
    run_job leaves a finished job as it is."""
    waiting = ImportJob.objects.filter(status=JobStatus.QUEUED, created_at__lt=now - RESEND_AFTER)
    return list(waiting.values_list("pk", flat=True))


def fail_stopped(*, now: datetime) -> list[int]:
    """Fail the jobs marked as writing whose worker is gone, with the reason STOPPED, their
    rows dropped. A write holds its community's row lock until it commits or rolls back; the
    lock free, the write is over, and a job still RUNNING then was rolled back with its worker
    (killed, out of memory): nothing of it was written. Retrying it could kill the next worker
    the same way, so the page asks for the file again instead."""
    postgres = connection.vendor == "postgresql"
    running = ImportJob.objects.filter(
        status=JobStatus.RUNNING, started_at__lt=now - (STOPPED_AFTER if postgres else STOPPED_AFTER_WITHOUT_LOCKS)
    )
    stopped = []
    for job in running.only("pk", "community_id"):
        with transaction.atomic():
            if postgres and not _lock_is_free(job.community_id):
                continue  # a write of this community is going on: this one's, or one it waits behind
            if ImportJob.objects.filter(pk=job.pk, status=JobStatus.RUNNING).update(
                status=JobStatus.FAILED, failure=Failure.STOPPED, report={}, payload=[], done=0, finished_at=now
            ):
                stopped.append(job.pk)
    return stopped


def _lock_is_free(community_id: int) -> bool:
    """Whether nobody holds the community's row lock that run_job takes (held until this
    transaction ends, so no write can start on the job meanwhile)."""
    return Community.objects.select_for_update(no_key=True, skip_locked=True).filter(pk=community_id).exists()
