"""`make run`'s demo runs on SQLite (no PostgreSQL needed to try Fuhai): every page answers there.

The suite runs on PostgreSQL, where the pages use arrays, jsonb_agg, width_bucket and the search
function; each has a SQLite way for the demo. This runs the demo's own steps (migrate, seed_demo)
on a SQLite file in a child process and opens every page without arguments, and an item's, a
12345 case's and the street overview, as the demo's people: none may answer 500; then a WeChat
paste and the reminder sweep with work due."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

SCRIPT = r"""
import django
django.setup()
from io import StringIO
from django.core.management import call_command
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import get_resolver, reverse, NoReverseMatch
from issues.models import Issue
from issues.hotline.models import HotlineCase

call_command("check", fail_level="WARNING")  # what `make run` prints first: no warnings
call_command("migrate", verbosity=0)
call_command("seed_demo", stdout=StringIO())

def names(resolver, prefix=""):
    for pattern in resolver.url_patterns:
        if hasattr(pattern, "url_patterns"):
            ns = f"{prefix}{pattern.namespace}:" if pattern.namespace else prefix
            yield from names(pattern, ns)
        elif pattern.name:
            yield prefix + pattern.name

urls = set()
for name in names(get_resolver()):
    try:
        urls.add(reverse(name))
    except NoReverseMatch:
        pass  # needs arguments: the ones that matter are below
issue = Issue.objects.filter(status="pending").order_by("id").first()
case = HotlineCase.objects.order_by("id").first()
urls |= {
    reverse("issues:issue_detail", args=[issue.pk]),
    reverse("issues:issue_similar", args=[issue.pk]),
    reverse("issues:hotline_detail", args=[case.pk]),
    reverse("issues:issue_list") + "?q=漏水",
    reverse("issues:issue_list") + "?q=电动车&open=on",
    reverse("issues:hotline_list") + "?open=1",
    reverse("search") + "?q=楼道",
}
failed = []
for username in ("secretary", "street1"):
    client = Client(raise_request_exception=False)
    client.force_login(get_user_model().objects.get(username=username))
    for url in sorted(urls):
        if "logout" in url or url == "/healthz":  # healthz: 503 without a beat, by design
            continue
        status = client.get(url, secure=True).status_code
        if status >= 500:
            failed.append(f"{username} {url} {status}")
client = Client(raise_request_exception=False)
client.force_login(get_user_model().objects.get(username="secretary"))
paste = "王阿姨 08:01\n3号楼楼道堆物，麻烦看看\n\n李师傅 08:05\n5号楼电动车充电，好几天了\n"
status = client.post(reverse("issues:wechat_paste"), {"paste": paste}, secure=True).status_code
if status >= 500:
    failed.append(f"WeChat paste {status}")
from django.utils import timezone
from issues.models.reminder import Reminder
from issues.reminders.sweep import run_sweep
before = Reminder.objects.count()
run_sweep(now=timezone.now() + timezone.timedelta(days=3))  # what the demo's beat does, with work due
print("reminders", Reminder.objects.count() - before)
print("pages", len(urls))
print("failed", failed)
"""


def test_every_page_of_the_demo_answers_on_sqlite(tmp_path):
    env = {
        **os.environ,
        "DEBUG": "true",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'demo.sqlite3'}",
        "DJANGO_SETTINGS_MODULE": "fuhai.settings",
        "CELERY_TASK_ALWAYS_EAGER": "true",
        "MEDIA_ROOT": str(tmp_path / "media"),
        "LOG_LEVEL": "ERROR",
    }
    env.pop("DATABASE_TEST_NAME", None)
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT], cwd=ROOT, env=env, capture_output=True, text=True, timeout=600
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert "failed []" in done.stdout, done.stdout[-3000:] + done.stderr[-3000:]
    assert int(done.stdout.split("pages ", 1)[1].split()[0]) > 40
    assert int(done.stdout.split("reminders ", 1)[1].split()[0]) > 0
