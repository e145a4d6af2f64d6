"""The whole import with a real Celery worker against Redis: upload, poll, report."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from fuhai.celery import app
from residents.importing.models import ImportJob, JobStatus
from residents.models.resident import Resident
from tests.fuhai.test_celery_worker import wait_for
from tests.residents.roster_sample import sample_rows, sample_workbook

pytestmark = pytest.mark.celery_worker

ROWS = 1200


@pytest.fixture
def import_worker(celery_queue, monkeypatch):
    """The shared real worker, with this process's tasks sent to its queue."""
    monkeypatch.setitem(app.conf, "task_default_queue", celery_queue)
    return celery_queue


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
