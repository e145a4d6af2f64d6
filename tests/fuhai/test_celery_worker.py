"""A real Celery worker, started against the local Redis, writes to PostgreSQL."""

import os
import subprocess
import sys
import time
import uuid

import pytest
from django.conf import settings
from django.db import connection
from django.db.models import Sum
from django.utils import timezone

from fuhai.celery import app
from fuhai.models import Heartbeat
from issues import services
from issues.models.clock import IssueClock
from issues.models.issue import Issue
from issues.models.reminder import Notification
from issues.models.rollup import ReportMonth, ReportMonthChange

pytestmark = pytest.mark.celery_worker


def wait_for(condition, *, what: str, timeout: float = 30.0, every: float = 0.2) -> None:
    """Poll `condition` until it holds; fail with `what` once `timeout` seconds have passed."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"Waited {timeout:.0f} s for {what}; the worker never got there.")
        time.sleep(every)


def test_it_runs_a_task_in_a_real_worker_and_the_row_lands_in_postgres(celery_queue):
    app.send_task("fuhai.tasks.heartbeat", args=["integration"], queue=celery_queue)
    wait_for(
        lambda: Heartbeat.objects.filter(name="integration").exists(),
        what="the worker to record the heartbeat",
        timeout=60,
    )
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


def overdue_item(community, owner, text):
    """An item logged now whose due time passed five minutes ago, so the next sweep reminds its owner."""
    now = timezone.now()
    issue = services.log_issue(community=community, by=owner, now=now, text=text, owner=owner)
    Issue.objects.filter(pk=issue.pk).update(due_at=now - timezone.timedelta(minutes=5))
    IssueClock.objects.filter(pk=issue.pk).update(reminded_until=now - timezone.timedelta(hours=1))
    issue.refresh_from_db()
    issue.save()  # recompute next_reminder_at from the overdue due time
    return issue


def notifications_for(issue):
    return Notification.objects.filter(reminder__content_type__model="issue", reminder__object_id=issue.pk)


def test_it_turns_a_due_item_into_exactly_one_notification_with_worker_and_beat(worker_and_beat, community, staff):
    issue = overdue_item(community, staff, "楼道冒烟，紧急")
    wait_for(lambda: notifications_for(issue).exists(), what="the first sweep to notify the owner", timeout=90)
    # Several more sweeps must run over the item: none may add a second notification. A probe
    # item saved after the last sweep was seen is only notified by a sweep that starts later.
    for n, text in enumerate(["东门路灯不亮", "北区车棚有人飞线充电", "5号楼楼道堆放杂物"], start=1):
        probe = overdue_item(community, staff, text)
        wait_for(lambda probe=probe: notifications_for(probe).exists(), what=f"sweep {n} after the first one")
    mine = notifications_for(issue)
    assert list(mine.values_list("recipient", flat=True)) == [staff.pk]


def test_a_real_worker_folds_the_monthly_roll_ups_changes(celery_queue, community, staff):
    """The beat job that keeps the roll-up's change log short, in a worker of its own."""
    services.log_issue(community=community, by=staff, now=timezone.now(), text="楼道堆物")
    assert ReportMonthChange.objects.exists()
    app.send_task("issues.tasks.fold_report_months", queue=celery_queue)
    wait_for(lambda: not ReportMonthChange.objects.exists(), what="the changes to be folded", timeout=60)
    assert ReportMonth.objects.filter(community_id=community.pk).aggregate(n=Sum("received"))["n"] == 1


def test_every_beat_job_is_a_task_the_worker_knows():
    app.loader.import_default_modules()
    for name, entry in settings.CELERY_BEAT_SCHEDULE.items():
        assert entry["task"] in app.tasks, name
    assert settings.CELERY_BEAT_SCHEDULE["fold-report-months"]["schedule"] <= 60
