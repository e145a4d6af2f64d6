"""requirements.txt alone is enough to run the worker: a fresh venv made from it starts a Celery
worker against Redis that runs a task (kombu's Redis transport needs `packaging`, which nothing
declared; the worker stopped with ModuleNotFoundError)."""

import os
import subprocess
import sys
import uuid
import venv

import pytest
from django.conf import settings
from django.db import connection

from fuhai.celery import app
from fuhai.models import Heartbeat
from tests.fuhai.test_celery_worker import wait_for

pytestmark = pytest.mark.celery_worker


@pytest.fixture(scope="module")
def fresh_venv(tmp_path_factory):
    """A venv with requirements.txt and nothing else; pip's cache makes a second build quick."""
    home = tmp_path_factory.mktemp("fresh-venv")
    venv.create(home, with_pip=True)
    python = home / "bin" / "python"
    subprocess.run(
        [python, "-m", "pip", "install", "-q", "--disable-pip-version-check", "-r", "requirements.txt"],
        cwd=settings.BASE_DIR,
        check=True,
        timeout=900,
    )
    return python


@pytest.fixture
def fresh_worker(fresh_venv, transactional_db):
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
        [fresh_venv, "-m", "celery", "-A", "fuhai", "worker", "--pool=solo", "-Q", queue, "--loglevel=WARNING"],
        env=env,
        cwd=settings.BASE_DIR,
    )
    yield queue, process
    process.terminate()
    process.wait(timeout=20)


def test_it_runs_a_task_in_a_worker_from_a_venv_made_of_requirements_txt_only(fresh_worker):
    queue, process = fresh_worker
    app.send_task("fuhai.tasks.heartbeat", args=["fresh-venv"], queue=queue)
    wait_for(
        lambda: process.poll() is not None or Heartbeat.objects.filter(name="fresh-venv").exists(),
        what="the fresh venv's worker to record the heartbeat",
        timeout=90,
    )
    assert process.poll() is None, "the worker from the fresh venv stopped (see its output above)"
    assert Heartbeat.objects.filter(name="fresh-venv").exists()


def test_it_builds_the_fresh_venv_without_the_test_tools(fresh_venv):
    result = subprocess.run([fresh_venv, "-c", "import pytest"], capture_output=True, text=True)
    assert result.returncode != 0
    assert sys.executable != str(fresh_venv)
