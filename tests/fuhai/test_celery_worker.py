"""A real Celery worker, started against the local Redis, writes to PostgreSQL."""

import os
import subprocess
import sys
import time
import uuid

import pytest
from django.conf import settings
from django.db import connection

from fuhai.celery import app
from fuhai.models import Heartbeat

pytestmark = pytest.mark.celery_worker


@pytest.fixture
def worker(transactional_db):
    if not settings.CELERY_BROKER_URL.startswith("redis://"):
        pytest.fail("CELERY_BROKER_URL must point at Redis for this test: run it through `make test`.")
    queue = f"test-{uuid.uuid4().hex[:8]}"
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


def test_it_runs_a_task_in_a_real_worker_and_the_row_lands_in_postgres(worker):
    app.send_task("fuhai.tasks.heartbeat", args=["integration"], queue=worker)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if Heartbeat.objects.filter(name="integration").exists():
            break
        time.sleep(0.25)
    assert Heartbeat.objects.get(name="integration").last_seen is not None


@pytest.fixture
def worker_and_beat(transactional_db, tmp_path):
    queue = f"test-{uuid.uuid4().hex[:8]}"
    db = connection.settings_dict
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "DATABASE_TEST_TEMPLATE": "",
        "CELERY_TASK_DEFAULT_QUEUE": queue,
        "REMINDER_SWEEP_SECONDS": "1",
    }
    process = subprocess.Popen(
        [
            *[sys.executable, "-m", "celery", "-A", "fuhai", "worker", "--beat", "--pool=solo"],
            *["-Q", queue, "--loglevel=WARNING", "--schedule", str(tmp_path / "beat-schedule")],
        ],
        env=env,
        cwd=settings.BASE_DIR,
    )
    yield process
    process.terminate()
    process.wait(timeout=20)


def test_it_turns_a_due_item_into_exactly_one_notification_with_worker_and_beat(worker_and_beat, community, staff):
    from django.utils import timezone

    from issues import services
    from issues.models.issue import Issue
    from issues.models.reminder import Notification

    now = timezone.now()
    issue = services.log_issue(community=community, by=staff, now=now, text="楼道冒烟，紧急", owner=staff)
    Issue.objects.filter(pk=issue.pk).update(
        due_at=now - timezone.timedelta(minutes=5), reminded_until=now - timezone.timedelta(hours=1)
    )
    issue.refresh_from_db()
    issue.save()  # recompute next_reminder_at from the overdue due time
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline and not Notification.objects.exists():
        time.sleep(0.5)
    time.sleep(4)  # several more sweeps run: none may add a second notification
    mine = Notification.objects.filter(reminder__content_type__model="issue", reminder__object_id=issue.pk)
    assert list(mine.values_list("recipient", flat=True)) == [staff.pk]
