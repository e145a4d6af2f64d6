"""The whole import with a real Celery worker against Redis: upload, poll, report."""

import os
import subprocess
import sys
import uuid

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse

from fuhai.celery import app
from residents.importing.models import ImportJob, JobStatus
from residents.models.resident import Resident
from tests.fuhai.test_celery_worker import wait_for
from tests.residents.roster_sample import sample_rows, sample_workbook

pytestmark = pytest.mark.celery_worker

ROWS = 1200


@pytest.fixture
def import_worker(transactional_db, monkeypatch):
    """A worker on a queue of its own, which this process's tasks are sent to."""
    if not settings.CELERY_BROKER_URL.startswith("redis://"):
        pytest.fail("CELERY_BROKER_URL must point at Redis for this test: run it through `make test`.")
    queue = f"test-{uuid.uuid4().hex[:8]}"
    monkeypatch.setitem(app.conf, "task_default_queue", queue)
    db = connection.settings_dict
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "DATABASE_TEST_TEMPLATE": "",
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "fuhai", "worker", "--pool=solo", "-Q", queue, "--loglevel=WARNING"],
        env=env,
        cwd=settings.BASE_DIR,
    )
    yield queue
    process.terminate()
    process.wait(timeout=20)


def test_it_imports_an_upload_in_a_real_worker_and_the_page_follows_it(import_worker, community, staff, client):
    client.force_login(staff)
    upload = SimpleUploadedFile("名单.xlsx", sample_workbook(sample_rows(ROWS)))
    response = client.post(reverse("residents:resident_import"), {"file": upload})
    job = ImportJob.objects.get()
    assert response.status_code == 302 and response.url == reverse("residents:import_job", args=[job.pk])
    progress = reverse("residents:import_job_progress", args=[job.pk])
    seen = set()

    def finished():
        page = client.get(progress).content.decode()
        seen.add(ImportJob.objects.get().status)
        return "hx-trigger" not in page

    wait_for(finished, what="the worker to finish the import", timeout=120, every=0.2)
    job.refresh_from_db()
    assert (job.status, job.done, job.total, job.payload) == (JobStatus.DONE, ROWS, ROWS, [])
    assert Resident.objects.in_community(community).count() == ROWS
    assert f"已导入 {ROWS} 位居民" in client.get(reverse("residents:import_job", args=[job.pk])).content.decode()
    assert seen & {JobStatus.QUEUED, JobStatus.RUNNING}
