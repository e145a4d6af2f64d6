"""manage.py backup and restore: a round trip into a second, empty PostgreSQL database."""

import json
import subprocess
import tarfile
from io import BytesIO

import psycopg2
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import timezone
from PIL import Image

from fuhai.backups import MANIFEST, MEDIA, Target, row_counts
from issues import services
from residents import crypto
from tests.factories import ResidentFactory

pytestmark = pytest.mark.django_db(transaction=True)

ID_NUMBER = "11010519491231002X"
KEY = "a2V5LWZvci1mdWhhaS10ZXN0cy1vbmx5LTMyYnl0ZXM="


@pytest.fixture(autouse=True)
def field_key(monkeypatch):
    monkeypatch.setenv("FIELD_ENCRYPTION_KEY", KEY)


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def source(community, secretary):
    """A resident with an ID number and an item with a photo, committed for pg_dump to see."""
    resident = ResidentFactory(community=community, name="王秀英")
    resident.set_id_number(ID_NUMBER)
    resident.save()
    issue = services.log_issue(community=community, by=secretary, now=timezone.now(), text="楼道灯坏了")
    buffer = BytesIO()
    Image.new("RGB", (8, 8), "red").save(buffer, "PNG")
    photo = SimpleUploadedFile("p.png", buffer.getvalue(), "image/png")
    services.add_followup(issue, by=secretary, now=timezone.now(), kind="photo", photos=[photo])
    return Target.from_settings(name=connection.settings_dict["NAME"])


def _admin(target: Target):
    conn = psycopg2.connect(
        dbname="postgres",
        user=target.user,
        password=target.password,
        host=target.host or None,
        port=target.port or None,
    )
    conn.autocommit = True
    return conn


@pytest.fixture
def empty_database(source):
    """A second database made as scripts/with-services makes them: UTF-8 from template0."""
    target = Target.from_settings(name=f"{source.name}_restore")
    conn = _admin(target)
    with conn.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{target.name}" WITH (FORCE)')
        cursor.execute(
            f"CREATE DATABASE \"{target.name}\" TEMPLATE template0 ENCODING 'UTF8' "
            "LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8'"
        )
    conn.close()
    yield target
    conn = _admin(target)
    with conn.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{target.name}" WITH (FORCE)')
    conn.close()


@pytest.fixture
def backup_folder(source, tmp_path):
    call_command("backup", str(tmp_path / "backups"))
    (folder,) = (tmp_path / "backups").iterdir()
    return folder


@pytest.fixture
def restored(backup_folder, empty_database, tmp_path):
    call_command(
        "restore", str(backup_folder), database_name=empty_database.name, media_root=str(tmp_path / "restored-media")
    )
    return empty_database


def _query(target: Target, sql: str):
    with target.connect() as conn, conn.cursor() as cursor:
        cursor.execute(sql)
        return cursor.fetchall()


def test_it_writes_a_dated_folder_with_the_dump_the_media_and_the_row_counts(backup_folder):
    assert backup_folder.name.startswith(f"fuhai-{timezone.localdate():%Y%m%d}-")
    assert (backup_folder / "database.dump").read_bytes()[:5] == b"PGDMP"
    manifest = json.loads((backup_folder / MANIFEST).read_text())
    assert manifest["rows"]["residents_resident"] == 1


def test_it_puts_the_photos_in_the_backup(backup_folder):
    with tarfile.open(backup_folder / MEDIA) as tar:
        assert any(name.endswith(".png") for name in tar.getnames())


def test_a_save_while_the_backup_runs_does_not_fail_its_restore(
    source, empty_database, tmp_path, monkeypatch, community, secretary
):
    """Items saved after pg_dump read its snapshot (and the roll-up's changes the beat folds
    within the minute) are in neither the dump nor the manifest's counts."""
    run = subprocess.run

    def dump_then_save(args, **kwargs):
        result = run(args, **kwargs)
        if "--format=custom" in args:
            services.log_issue(community=community, by=secretary, now=timezone.now(), text="备份时刚记的一件")
        return result

    monkeypatch.setattr("fuhai.backups.subprocess.run", dump_then_save)
    call_command("backup", str(tmp_path / "backups"))
    (folder,) = (tmp_path / "backups").iterdir()
    call_command("restore", str(folder), database_name=empty_database.name, media_root=str(tmp_path / "restored"))
    assert row_counts(empty_database)["issues_issue"] == row_counts(source)["issues_issue"] - 1


def test_it_restores_the_same_rows_into_an_empty_database(source, restored):
    counts = row_counts(restored)
    assert counts == row_counts(source)
    assert counts["residents_resident"] == 1 and counts["issues_attachment"] == 1


def test_it_restores_the_append_only_trigger_of_the_access_log(restored):
    triggers = _query(restored, "SELECT tgname FROM pg_trigger WHERE tgrelid = 'residents_accesslog'::regclass")
    assert ("residents_accesslog_append_only",) in triggers


def test_it_restores_id_numbers_that_decrypt_with_the_key(restored):
    ((token,),) = _query(restored, "SELECT id_number_encrypted FROM residents_resident")
    assert token and ID_NUMBER not in token
    assert crypto.decrypt(token) == ID_NUMBER


def test_it_restores_the_photos(restored, tmp_path):
    assert list((tmp_path / "restored-media").rglob("*.png"))


def test_it_refuses_to_restore_into_a_database_that_is_not_empty(backup_folder, source, tmp_path):
    with pytest.raises(CommandError, match="is not empty"):
        call_command("restore", str(backup_folder), database_name=source.name, media_root=str(tmp_path / "m"))


def test_it_refuses_a_folder_that_is_not_a_backup(tmp_path, empty_database):
    with pytest.raises(CommandError, match="is not a Fuhai backup"):
        call_command("restore", str(tmp_path), database_name=empty_database.name)


def test_it_keeps_the_encryption_key_out_of_the_backup(backup_folder):
    key = KEY.encode()
    with tarfile.open(backup_folder / MEDIA) as tar:
        media = b"".join(tar.extractfile(m).read() for m in tar.getmembers() if m.isfile())
    assert key not in (backup_folder / MANIFEST).read_bytes() + media
