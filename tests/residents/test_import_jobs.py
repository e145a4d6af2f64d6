"""Import jobs: failures roll back and say why, redelivery is harmless, progress is visible
while the transaction is open, the job's pages are scoped and their queries bounded."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connections
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook

from fuhai.celery import app
from residents import crypto, importer
from residents.importing import services, writer
from residents.importing.models import Failure, ImportJob, JobStatus
from residents.importing.writer import run_job
from residents.models.place import Building, Room
from residents.models.resident import Resident
from residents.tasks import recover_jobs
from tests.factories import UserFactory
from tests.residents.conftest import ID_NUMBER
from tests.residents.roster_sample import sample_rows, sample_workbook

HEADER = ["姓名", "楼号", "单元", "房间号", "性别", "出生日期", "身份证号", "电话"]
GOOD = ["王秀英", "3", "2", "501", "女", "1949-12-31", ID_NUMBER, "13812348000"]
OTHER = ["李建国", "7", "1", "302", "男", "1950-01-01", "", "13900001111"]


def workbook(*rows) -> bytes:
    book = Workbook()
    book.active.append(HEADER)
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def queued(community, content, *, by=None) -> ImportJob:
    report = importer.read(io.BytesIO(content), community=community)
    return services.create_job(community=community, by=by, file_name="名单.xlsx", report=report)


def test_it_fails_a_job_whose_id_number_was_registered_after_the_check(community, room):
    job = queued(community, workbook(OTHER, GOOD))
    taken = Resident(community=community, room=room, name="王秀英")
    taken.set_id_number(ID_NUMBER)
    taken.save()
    job = run_job(job_id=job.pk, now=timezone.now())
    assert (job.status, job.failure, job.report) == (JobStatus.FAILED, Failure.DUPLICATE, {"lines": [3]})
    # Nothing of the file is left: not 李建国, not the building 7 made for him.
    assert list(Resident.objects.values_list("name", flat=True)) == ["王秀英"]
    assert not Building.objects.filter(number="7").exists()
    assert job.payload == []


def test_it_fails_a_job_the_database_refuses_and_rolls_back_everything(community):
    job = queued(community, workbook(OTHER, GOOD))
    job.payload[1]["name"] = "王" * 60  # longer than the column: PostgreSQL refuses the insert
    job.save()
    job = run_job(job_id=job.pk, now=timezone.now())
    assert (job.status, job.failure) == (JobStatus.FAILED, Failure.ERROR)
    assert not Resident.objects.exists() and not Room.objects.exists()


def test_it_leaves_a_finished_job_alone_when_the_task_comes_again(community):
    job = queued(community, workbook(GOOD, OTHER))
    run_job(job_id=job.pk, now=timezone.now())
    again = run_job(job_id=job.pk, now=timezone.now())
    assert (again.status, Resident.objects.count()) == (JobStatus.DONE, 2)


def test_it_writes_a_large_file_in_batches_and_reports_each(community, monkeypatch):
    monkeypatch.setattr(writer, "BATCH", 40)
    seen = []
    job = queued(community, sample_workbook(sample_rows(100)))
    job = run_job(job_id=job.pk, now=timezone.now(), on_progress=seen.append)
    assert seen == [40, 80, 100]
    assert (job.done, Resident.objects.in_community(community).count()) == (100, 100)


@pytest.mark.django_db(transaction=True)
def test_it_shows_rows_done_to_others_while_the_transaction_is_open(community, monkeypatch):
    monkeypatch.setattr(writer, "BATCH", 2)
    job = queued(community, workbook(GOOD, OTHER, ["张三", "3", "2", "502"], ["李四", "3", "2", "503"]))
    watcher = connections.create_connection("default")
    seen = []

    def look(done):
        with watcher.cursor() as cursor:
            cursor.execute("SELECT done FROM residents_importjob WHERE id = %s", [job.pk])
            done_seen = cursor.fetchone()[0]
            cursor.execute("SELECT count(*) FROM residents_resident")
            seen.append((done_seen, cursor.fetchone()[0]))

    try:
        run_job(job_id=job.pk, now=timezone.now(), on_progress=look)
    finally:
        watcher.close()
    # The count moves while nobody else can see a single resident yet.
    assert seen == [(2, 0), (4, 0)]
    assert Resident.objects.count() == 4


# --- pages ---------------------------------------------------------------------------


def job_url(job):
    return reverse("residents:import_job", args=[job.pk])


def progress_url(job):
    return reverse("residents:import_job_progress", args=[job.pk])


def test_it_polls_while_the_job_runs_and_stops_when_it_has_ended(staff_client, community):
    job = queued(community, workbook(GOOD, OTHER))
    running = staff_client.get(progress_url(job)).content.decode()
    assert 'hx-trigger="every 1s"' in running and "已写入 0 / 2 行" in running
    run_job(job_id=job.pk, now=timezone.now())
    done = staff_client.get(progress_url(job)).content.decode()
    assert "hx-trigger" not in done
    assert "已导入 2 位居民" in done


def test_it_shows_which_rows_failed_in_chinese(staff_client, community, resident):
    job = queued(community, workbook(OTHER))
    job.payload.append({**job.payload[0], "line": 3, "id_number_hash": resident.id_number_hash})
    job.save()
    run_job(job_id=job.pk, now=timezone.now())
    page = staff_client.get(job_url(job)).content.decode()
    assert "未导入任何居民" in page and "<td>3</td>" in page


def test_it_keeps_the_result_on_the_import_page(staff_client, community, staff):
    job = queued(community, workbook(GOOD, OTHER), by=staff)
    run_job(job_id=job.pk, now=timezone.now())
    page = staff_client.get(reverse("residents:resident_import")).content.decode()
    assert job_url(job) in page and "2/2" in page


def test_it_hides_another_communitys_job(login, outsider, community):
    job = queued(community, workbook(GOOD))
    client = login(outsider)
    assert client.get(job_url(job)).status_code == 404
    assert client.get(progress_url(job)).status_code == 404
    assert job_url(job) not in client.get(reverse("residents:resident_import")).content.decode()


def test_it_keeps_the_job_from_a_viewer(login, viewer, community):
    job = queued(community, workbook(GOOD))
    assert login(viewer).get(job_url(job)).status_code == 403


def test_a_grid_worker_may_not_import_as_they_may_not_add_a_resident(login, grid_worker, community):
    """Import writes residents with their ID numbers: the same people as 新增居民 (found by a
    tester: grid1 imported three residents through the address, with no link to it)."""
    job = queued(community, workbook(GOOD))
    client = login(grid_worker)
    for url in (reverse("residents:resident_import"), job_url(job), progress_url(job)):
        assert client.get(url).status_code == 403, url
    upload = {"file": SimpleUploadedFile("r.xlsx", workbook(OTHER))}
    assert client.post(reverse("residents:resident_import"), upload).status_code == 403
    assert ImportJob.objects.count() == 1
    assert reverse("residents:resident_import") not in client.get(reverse("residents:resident_list")).content.decode()


def test_it_says_when_no_worker_has_taken_the_job(staff_client, community):
    job = queued(community, workbook(GOOD))
    ImportJob.objects.filter(pk=job.pk).update(created_at=timezone.now() - timezone.timedelta(minutes=5))
    assert "Celery" in staff_client.get(progress_url(job)).content.decode()


PROGRESS_CEILING = 6
IMPORT_PAGE_CEILING = 6


@pytest.mark.parametrize("rows", [5, 50])
def test_it_keeps_the_progress_queries_bounded(staff_client, community, rows, django_assert_max_num_queries):
    job = queued(community, sample_workbook(sample_rows(rows)))
    with django_assert_max_num_queries(PROGRESS_CEILING):
        assert staff_client.get(progress_url(job)).status_code == 200
    run_job(job_id=job.pk, now=timezone.now())
    with django_assert_max_num_queries(PROGRESS_CEILING):
        assert staff_client.get(job_url(job)).status_code == 200


@pytest.mark.parametrize("jobs", [5, 50])
def test_it_keeps_the_import_page_bounded(staff_client, community, jobs, django_assert_max_num_queries):
    ImportJob.objects.bulk_create(
        ImportJob(community=community, created_by=UserFactory(), file_name=f"{n}.xlsx", total=n) for n in range(jobs)
    )
    with django_assert_max_num_queries(IMPORT_PAGE_CEILING):
        assert staff_client.get(reverse("residents:resident_import")).status_code == 200


def test_it_checks_a_realistic_roster_without_errors(community):
    report = importer.read(io.BytesIO(sample_workbook(sample_rows(300))), community=community)
    assert (report.errors, len(report.rows)) == ([], 300)
    assert all(crypto.id_number_is_valid(row["id_number"]) for row in report.rows if row["id_number"])


# --- no job waits or spins for ever (beat's recover_import_jobs) -----------------------------


def test_it_hands_a_job_lost_with_the_broker_to_the_worker_again(community, monkeypatch, staff_client):
    """The upload's message never reached Redis: the job waited for ever while its page said
    nothing is lost (found in review). Two minutes on, beat sends it again."""
    monkeypatch.setitem(app.conf, "task_always_eager", True)
    job = queued(community, workbook(GOOD))
    now = timezone.now()
    assert recover_jobs(now=now) == {"resent": [], "stopped": []}  # just uploaded: left alone
    assert recover_jobs(now=now + timezone.timedelta(minutes=3))["resent"] == [job.pk]
    job.refresh_from_db()
    assert (job.status, job.done, job.payload) == (JobStatus.DONE, 1, [])
    assert Resident.objects.in_community(community).count() == 1


def test_it_fails_a_job_whose_worker_died_while_writing_and_says_so(community, staff_client):
    """Killed mid-write, the worker's transaction rolled back but the job stayed RUNNING and its
    page polled every second for ever, with the rows (names, phones) kept in it."""
    job = queued(community, workbook(GOOD, OTHER))
    started = timezone.now() - timezone.timedelta(minutes=10)
    ImportJob.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING, started_at=started, done=1)
    assert recover_jobs(now=timezone.now()) == {"resent": [], "stopped": [job.pk]}
    job.refresh_from_db()
    assert (job.status, job.failure, job.payload, job.done) == (JobStatus.FAILED, Failure.STOPPED, [], 0)
    page = staff_client.get(progress_url(job)).content.decode()
    assert "hx-trigger" not in page and "后台任务在写入时中断" in page
    assert not Resident.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_it_leaves_alone_a_long_write_still_holding_its_communitys_lock(community):
    job = queued(community, workbook(GOOD))
    started = timezone.now() - timezone.timedelta(minutes=10)
    ImportJob.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING, started_at=started)
    writing = connections.create_connection("default")  # a worker still writing, as run_job locks
    try:
        writing.set_autocommit(False)
        with writing.cursor() as cursor:
            cursor.execute("SELECT id FROM residents_community WHERE id = %s FOR NO KEY UPDATE", [community.pk])
        assert recover_jobs(now=timezone.now())["stopped"] == []
        assert ImportJob.objects.get(pk=job.pk).status == JobStatus.RUNNING
    finally:
        writing.rollback()
        writing.close()
    assert recover_jobs(now=timezone.now())["stopped"] == [job.pk]  # its worker gone


def test_beat_watches_the_imports():
    from django.conf import settings

    entry = settings.CELERY_BEAT_SCHEDULE["recover-import-jobs"]
    assert entry["task"] == "residents.tasks.recover_import_jobs" and entry["schedule"] <= 300


def test_a_redelivered_task_leaves_the_running_jobs_start_and_count_alone(community):
    """A second delivery reset the bar to 0 and the start time while the first still wrote
    (found in review); the start time is what tells a stopped job from a long one."""
    job = queued(community, workbook(GOOD, OTHER))
    started = timezone.now() - timezone.timedelta(minutes=1)
    ImportJob.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING, started_at=started, done=1)
    run_job(job_id=job.pk, now=timezone.now())
    job.refresh_from_db()
    assert (job.status, job.started_at) == (JobStatus.DONE, started)
