"""Time the resident import of N generated rows, two ways:

1. `python manage.py import_residents FILE` end to end (check, then write with the progress bar);
2. the web: the upload request (check every row, store the job), then the worker's write.

Run against a throwaway database, never real data, with an in-memory broker (the web upload
queues the task; the script writes the job itself, as the worker would), e.g.
  DATABASE_URL=postgres://fuhai:fuhai@127.0.0.1:5432/fuhai_bench_import CELERY_BROKER_URL=memory:// \\
    PYTHONPATH=. .venv/bin/python scripts/bench_import.py 5000
Each run imports into new communities, so runs can follow each other in one database."""

import os
import sys
import tempfile
import time
from io import StringIO
from pathlib import Path

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fuhai.settings")
django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from residents.importing.models import ImportJob  # noqa: E402
from residents.importing.writer import run_job  # noqa: E402
from residents.models.community import Community, Membership, Role  # noqa: E402
from residents.models.resident import Resident  # noqa: E402
from tests.residents.roster_sample import write_sample  # noqa: E402


def new_community() -> Community:
    return Community.objects.create(name=f"导入测试{Community.objects.count() + 1}")


def by_command(path: Path) -> tuple[float, float, int]:
    community = new_community()
    started, cpu = time.perf_counter(), time.process_time()
    call_command("import_residents", str(path), community=community.name, stdout=StringIO(), stderr=StringIO())
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    return seconds, cpu, Resident.objects.in_community(community).count()


def by_web(path: Path) -> tuple[float, float, int]:
    community = new_community()
    user = get_user_model().objects.create_user(f"bench{community.pk}")
    Membership.objects.create(user=user, community=community, role=Role.STAFF)
    client = Client()
    client.force_login(user)
    started = time.perf_counter()
    upload = SimpleUploadedFile(path.name, path.read_bytes())
    response = client.post(reverse("residents:resident_import"), {"file": upload}, secure=True)
    upload = time.perf_counter() - started
    assert response.status_code == 302, response.status_code
    job = ImportJob.objects.get(community=community)
    started = time.perf_counter()
    run_job(job_id=job.pk, now=timezone.now())
    write = time.perf_counter() - started
    return upload, write, Resident.objects.in_community(community).count()


def main(rows: int) -> None:
    setup_test_environment()
    with tempfile.TemporaryDirectory() as folder:
        path = write_sample(Path(folder) / "roster.xlsx", rows)
        seconds, cpu, imported = by_command(path)
        verdict = "ok" if seconds <= 10 else "FAIL"
        print(f"P10 import_rows={rows} imported={imported} seconds={seconds:.2f} target<=10 {verdict}")
        print(f"    command: {cpu:.2f} s CPU in this process; load average {os.getloadavg()[0]:.1f}")
        upload, write, imported = by_web(path)
        print(f"    web: upload request (check, store job) {upload:.2f} s; worker write {write:.2f} s")
        print(f"    web: imported={imported}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5000)
