"""Backups that restore: a dated folder with a pg_dump (custom format), a tar of MEDIA_ROOT and a
manifest of row counts; restore brings both back into an empty database and checks the counts.

The Fernet key (FIELD_ENCRYPTION_KEY) is never written here: a stolen backup must not decrypt
ID numbers, so the key is kept apart from the backups."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import tarfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import dj_database_url
import psycopg2
from django.apps import apps
from django.conf import settings

DUMP = "database.dump"
MEDIA = "media.tar.gz"
MANIFEST = "manifest.json"


class BackupError(Exception):
    """A backup or restore that cannot go on, with one sentence saying why."""


@dataclass(frozen=True)
class Target:
    """Where to connect: the app's database, or another one given as a URL."""

    name: str
    user: str
    password: str
    host: str
    port: str

    @classmethod
    def from_settings(cls, url: str = "", name: str = "") -> Target:
        db = dj_database_url.parse(url) if url else settings.DATABASES["default"]
        return cls(
            name=name or db["NAME"],
            user=db.get("USER") or "",
            password=db.get("PASSWORD") or "",
            host=db.get("HOST") or "",
            port=str(db.get("PORT") or ""),
        )

    def env(self) -> dict[str, str]:
        values = {"PGUSER": self.user, "PGPASSWORD": self.password, "PGHOST": self.host, "PGPORT": self.port}
        return {**os.environ, **{k: v for k, v in values.items() if v}}

    def connect(self):
        return psycopg2.connect(
            dbname=self.name, user=self.user, password=self.password, host=self.host or None, port=self.port or None
        )


def _tables() -> list[str]:
    return sorted({m._meta.db_table for m in apps.get_models() if m._meta.managed and not m._meta.proxy})


def row_counts(target: Target) -> dict[str, int]:
    """Rows per table of the app's models, as the manifest records and restore compares them."""
    with target.connect() as conn, conn.cursor() as cursor:
        return _count_rows(cursor)


def _count_rows(cursor) -> dict[str, int]:
    cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
    present = {row[0] for row in cursor.fetchall()}
    counts = {}
    for table in _tables():
        if table in present:
            cursor.execute(f'SELECT count(*) FROM "{table}"')
            counts[table] = cursor.fetchone()[0]
    return counts


def user_tables(target: Target) -> int:
    with target.connect() as conn, conn.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_tables WHERE schemaname NOT IN ('pg_catalog', 'information_schema')")
        return cursor.fetchone()[0]


def _server_major(target: Target) -> int:
    with target.connect() as conn, conn.cursor() as cursor:
        cursor.execute("SHOW server_version_num")
        return int(cursor.fetchone()[0]) // 10000


def pg_tool(name: str, target: Target) -> str:
    """The client of the server's own major version (Debian installs one per version)."""
    major = _server_major(target)
    for candidate in (Path(f"/usr/lib/postgresql/{major}/bin/{name}"), shutil.which(name)):
        if candidate and Path(candidate).exists():
            version = subprocess.run([str(candidate), "--version"], capture_output=True, text=True, check=True)
            found = re.search(r"\)\s+(\d+)", version.stdout)  # "pg_dump (PostgreSQL) 15.20 (Debian …)"
            if found and int(found.group(1)) >= major:
                return str(candidate)
    raise BackupError(f"{name} for PostgreSQL {major} is missing: install postgresql-client-{major} (apt-get install).")


def backup(destination: Path, *, target: Target, media_root: Path, now: datetime) -> Path:
    """Write ``destination/fuhai-YYYYMMDD-HHMMSS/`` with the dump, the media and the manifest."""
    folder = Path(destination) / f"fuhai-{now:%Y%m%d-%H%M%S}"
    folder.mkdir(parents=True, exist_ok=False)
    # The dump and the manifest's counts read one snapshot: a write meanwhile (a save, the
    # reminder sweep, the beat's fold of the monthly roll-up's changes) is in neither, so it
    # cannot make a good backup fail its restore's check.
    with target.connect() as conn, conn.cursor() as cursor:
        conn.set_session(isolation_level="REPEATABLE READ", readonly=True)
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot = cursor.fetchone()[0]
        dump = [pg_tool("pg_dump", target), "--format=custom", f"--snapshot={snapshot}", f"--file={folder / DUMP}"]
        result = subprocess.run([*dump, target.name], env=target.env(), capture_output=True, text=True)
        if result.returncode:
            raise BackupError(f"pg_dump failed: {result.stderr.strip()}")
        rows = _count_rows(cursor)
    with tarfile.open(folder / MEDIA, "w:gz") as tar:
        if Path(media_root).is_dir():
            tar.add(media_root, arcname=".")
    manifest = {"created_at": now.isoformat(), "database": target.name, "rows": rows}
    (folder / MANIFEST).write_text(json.dumps(manifest, indent=1, ensure_ascii=False), encoding="utf-8")
    return folder


def restore(folder: Path, *, target: Target, media_root: Path) -> dict[str, int]:
    """Bring a backup folder back into an EMPTY database and an empty media folder; returns the
    restored row counts, which must equal the manifest's."""
    folder = Path(folder)
    if not all((folder / name).is_file() for name in (DUMP, MEDIA, MANIFEST)):
        raise BackupError(f"{folder} is not a Fuhai backup: it needs {DUMP}, {MEDIA} and {MANIFEST}.")
    tables = user_tables(target)
    if tables:
        raise BackupError(
            f"The database {target.name} is not empty ({tables} tables): restore only into a new, empty "
            "database (createdb with ENCODING UTF8 and LC_CTYPE C.UTF-8), never over a live one."
        )
    media_root = Path(media_root)
    if media_root.is_dir() and any(media_root.iterdir()):
        raise BackupError(f"The media folder {media_root} is not empty: restore the photos into an empty folder.")
    command = [pg_tool("pg_restore", target), "--no-owner", "--exit-on-error", "--single-transaction"]
    result = subprocess.run(
        [*command, f"--dbname={target.name}", str(folder / DUMP)], env=target.env(), capture_output=True, text=True
    )
    if result.returncode:
        raise BackupError(f"pg_restore failed: {result.stderr.strip()}")
    media_root.mkdir(parents=True, exist_ok=True)
    with tarfile.open(folder / MEDIA, "r:gz") as tar:
        tar.extractall(media_root, filter="data")
    expected = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))["rows"]
    restored = row_counts(target)
    missing = {t: (n, restored.get(t)) for t, n in expected.items() if restored.get(t) != n}
    if missing:
        raise BackupError(f"Restored row counts differ from the backup's: {missing}")
    return restored
