"""`make run PORT=8001` serves the demo on another port (web through Procfile.dev's $PORT)."""

import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_it_starts_honcho_on_the_port_given_to_make_run():
    plan = subprocess.run(
        ["make", "-n", "--always-make", "run", "PORT=8001"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout
    assert "start --port 8001" in plan


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_it_keeps_port_8000_when_make_run_is_given_no_port():
    plan = subprocess.run(
        ["make", "-n", "--always-make", "run"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout
    assert "start --port 8000" in plan


def test_it_has_the_web_process_listen_on_the_port_honcho_gives_it():
    web = next(line for line in (ROOT / "Procfile.dev").read_text().splitlines() if line.startswith("web:"))
    assert "runserver 127.0.0.1:$PORT" in web
