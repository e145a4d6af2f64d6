"""Start-up mistakes stop with one clear sentence, and production settings pass --deploy."""

import json
import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings

MANAGE = [sys.executable, str(settings.BASE_DIR / "manage.py")]


def run_manage(*args, **env):
    base = {k: v for k, v in os.environ.items() if k not in {"DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE"}}
    return subprocess.run(
        [*MANAGE, *args], env={**base, **env}, capture_output=True, text=True, timeout=60, cwd=settings.BASE_DIR
    )


PRODUCTION = {
    "DEBUG": "false",
    "SECRET_KEY": "x" * 64 + "-production-like-secret-for-the-deploy-check",
    "ALLOWED_HOSTS": "fuhai.example.org",
    "FIELD_ENCRYPTION_KEY": "a2V5LWZvci1mdWhhaS10ZXN0cy1vbmx5LTMyYnl0ZXM=",
}


def test_it_refuses_to_start_without_an_encryption_key_in_production():
    result = run_manage("check", **{**PRODUCTION, "FIELD_ENCRYPTION_KEY": ""})
    assert result.returncode == 2
    assert "FIELD_ENCRYPTION_KEY is not set" in result.stderr
    assert "Traceback" not in result.stderr


def test_it_refuses_to_start_without_secret_key_in_production():
    result = run_manage("check", DEBUG="false", SECRET_KEY="")
    assert result.returncode == 2
    assert "SECRET_KEY is not set" in result.stderr
    assert "Traceback" not in result.stderr


def test_it_names_database_url_when_it_cannot_be_read():
    result = run_manage("check", DATABASE_URL="postgres//missing-colon")
    assert result.returncode == 2
    assert "DATABASE_URL" in result.stderr
    assert "Traceback" not in result.stderr


def test_it_names_database_when_it_cannot_be_reached():
    result = run_manage("check", "--deploy", **PRODUCTION, DATABASE_URL="postgres://nobody@127.0.0.1:1/nowhere")
    assert result.returncode == 1
    assert "The database in DATABASE_URL cannot be reached" in result.stderr
    assert "Traceback" not in result.stderr


def test_it_names_redis_when_broker_cannot_be_reached():
    result = run_manage("check", "--deploy", **PRODUCTION, CELERY_BROKER_URL="redis://127.0.0.1:1/0")
    assert result.returncode == 1
    assert "Redis at CELERY_BROKER_URL cannot be reached" in result.stderr
    assert "Traceback" not in result.stderr


def test_it_passes_the_deploy_check_with_production_settings():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_it_rejects_a_boolean_it_cannot_read():
    result = run_manage("check", DEBUG="maybe")
    assert result.returncode == 2
    assert "DEBUG='maybe' is not a boolean" in result.stderr


def test_it_keeps_everything_the_filesystem_broker_writes_in_its_folder(tmp_path):
    show = "import json; from django.conf import settings; print(json.dumps(settings.CELERY_BROKER_TRANSPORT_OPTIONS))"
    result = run_manage(
        "shell", "--no-imports", "-c", show, CELERY_BROKER_URL="filesystem://", CELERY_FILESYSTEM_DIR=str(tmp_path)
    )
    assert result.returncode == 0, result.stderr
    options = json.loads(result.stdout)
    folders = {key: value for key, value in options.items() if key.endswith("_folder") or key.startswith("data_folder")}
    assert {"data_folder_in", "data_folder_out", "processed_folder", "control_folder"} <= set(folders)
    assert all(Path(folder).is_relative_to(tmp_path) for folder in folders.values())


def show_setting(expression: str, **env) -> str:
    result = run_manage("shell", "--no-imports", "-c", f"from django.conf import settings; print({expression})", **env)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1]


def run_manage_unset(*args, unset=(), **env):
    """manage.py with the given variables removed from the environment (the suite sets DEBUG)."""
    base = {
        k: v for k, v in os.environ.items() if k not in {"DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE", *unset}
    }
    return subprocess.run(
        [*MANAGE, *args], env={**base, **env}, capture_output=True, text=True, timeout=60, cwd=settings.BASE_DIR
    )


def test_it_turns_debug_off_when_debug_is_not_set():
    env = {k: v for k, v in PRODUCTION.items() if k != "DEBUG"}
    show = "from django.conf import settings; print(settings.DEBUG)"
    result = run_manage_unset("shell", "--no-imports", "-c", show, unset={"DEBUG"}, **env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "False"


def test_it_refuses_to_start_without_secret_key_when_debug_is_not_set():
    result = run_manage_unset("check", unset={"DEBUG", "SECRET_KEY"})
    assert result.returncode == 2
    assert "SECRET_KEY is not set" in result.stderr


def test_it_refuses_the_demo_password_in_production():
    names = show_setting("[v['NAME'] for v in settings.AUTH_PASSWORD_VALIDATORS]", **PRODUCTION)
    assert "fuhai.passwords.DemoPasswordValidator" in names
    assert "CommonPasswordValidator" in names


def test_it_ends_sessions_at_browser_close_when_asked():
    assert show_setting("settings.SESSION_EXPIRE_AT_BROWSER_CLOSE", SESSION_EXPIRE_AT_BROWSER_CLOSE="true") == "True"


def test_it_keeps_sessions_across_browser_restarts_by_default():
    assert show_setting("settings.SESSION_EXPIRE_AT_BROWSER_CLOSE") == "False"
    assert show_setting("settings.SESSION_COOKIE_AGE") == "7200"


def test_transaction_pooling_turns_off_server_side_cursors():
    show = "from django.conf import settings; print(settings.DATABASES['default']['DISABLE_SERVER_SIDE_CURSORS'])"
    pooled = run_manage("shell", "-c", show, DEBUG="true", DATABASE_TRANSACTION_POOLING="true")
    direct = run_manage("shell", "-c", show, DEBUG="true", DATABASE_TRANSACTION_POOLING="")
    assert pooled.returncode == 0, pooled.stderr
    assert pooled.stdout.strip().splitlines()[-1] == "True"
    assert direct.stdout.strip().splitlines()[-1] == "False"
