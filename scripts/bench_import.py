"""Time the resident import of N generated rows (`python manage.py import_residents`).

Run against a throwaway database, never real data, e.g.
  DATABASE_URL=postgres://fuhai:fuhai@127.0.0.1:5432/fuhai_bench_import PYTHONPATH=. \
    .venv/bin/python scripts/bench_import.py 5000
Each run imports into a new community, so runs can follow each other in one database."""

import os
import sys
import tempfile
import time
from io import StringIO
from pathlib import Path

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fuhai.settings")
django.setup()

from django.core.management import call_command  # noqa: E402

from residents.models.community import Community  # noqa: E402
from residents.models.resident import Resident  # noqa: E402
from tests.residents.roster_sample import write_sample  # noqa: E402


def main(rows: int) -> None:
    community = Community.objects.create(name=f"导入测试{Community.objects.count() + 1}")
    with tempfile.TemporaryDirectory() as folder:
        path = write_sample(Path(folder) / "roster.xlsx", rows)
        started = time.perf_counter()
        call_command("import_residents", str(path), community=community.name, stdout=StringIO(), stderr=StringIO())
        seconds = time.perf_counter() - started
    imported = Resident.objects.in_community(community).count()
    verdict = "ok" if seconds <= 10 else "FAIL"
    print(f"P10 import_rows={rows} imported={imported} seconds={seconds:.2f} target<=10 {verdict}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5000)
