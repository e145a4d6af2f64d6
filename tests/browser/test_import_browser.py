"""In Chromium: upload a roster, watch the job's page count the rows, read the report."""

import uuid

import pytest
from django.utils import timezone

from fuhai.celery import app
from residents.importing import writer
from residents.importing.models import ImportJob
from residents.models.resident import Resident
from tests.browser.waiting import wait_until
from tests.conftest import ARTIFACTS
from tests.residents.roster_sample import write_sample

pytestmark = pytest.mark.browser

ROWS = 30


@pytest.fixture
def own_queue(monkeypatch):
    """The upload's task goes to a queue of its own, emptied afterwards: this test is the worker."""
    queue = f"test-{uuid.uuid4().hex[:8]}"
    monkeypatch.setitem(app.conf, "task_default_queue", queue)
    yield queue
    with app.connection_for_write() as connection:
        connection.default_channel.queue_purge(queue)


@pytest.fixture
def field_key(monkeypatch):
    """The browser tests run with DEBUG off, where ID numbers need a real key."""
    monkeypatch.setenv("FIELD_ENCRYPTION_KEY", "a2V5LWZvci1mdWhhaS10ZXN0cy1vbmx5LTMyYnl0ZXM=")


def test_it_shows_the_rows_being_written_and_then_the_report(
    page_for, staff, community, own_queue, field_key, tmp_path, monkeypatch
):
    page = page_for(staff)
    page.goto("/residents/import/")
    page.locator("input[type=file]").set_input_files(str(write_sample(tmp_path / "名单.xlsx", ROWS)))
    page.get_by_role("button", name="检查并导入").click()
    page.wait_for_url("**/residents/import/*/")
    job = ImportJob.objects.get()
    assert page.locator("#import-progress").get_attribute("data-status") == "queued"
    assert "等待写入" in page.locator("#import-progress").inner_text()

    shown = []

    def watch(done):
        # The transaction is still open: the page must show the count all the same.
        wait_until(page, f"document.querySelector('#import-count').textContent.includes('已写入 {done} / {ROWS} 行')")
        shown.append(done)

    monkeypatch.setattr(writer, "BATCH", 10)
    writer.run_job(job_id=job.pk, now=timezone.now(), on_progress=watch)
    wait_until(page, "document.querySelector('#import-report') !== null")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "residents-import-report.png"), full_page=True)
    assert shown == [10, 20, 30]
    assert f"已导入 {ROWS} 位居民" in page.locator("#import-report").inner_text()
    assert page.locator("#import-progress").get_attribute("hx-get") is None  # polling has stopped
    assert Resident.objects.in_community(community).count() == ROWS
    page.goto("/residents/import/")
    assert f"{ROWS}/{ROWS}" in page.locator("#import-jobs").inner_text()
