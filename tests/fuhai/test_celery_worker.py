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
