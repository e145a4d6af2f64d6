"""Shared fixtures: personas, the real-services guard and the Playwright browser."""

import os
import subprocess
import sys
import uuid
from datetime import datetime
from pathlib import Path

import pytest
import time_machine
from django.conf import settings
from django.db import connection
from django.utils import translation

from residents.models.community import Role
from residents.scoping import SESSION_KEY
from tests.factories import BuildingFactory, CommunityFactory, MembershipFactory, RoomFactory, UnitFactory

# Playwright's sync API runs an event loop in the test thread; the ORM calls the tests
# make beside it are still synchronous, so Django's async guard is lifted for tests only.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
# Flush (between transactional and browser tests) empties every table with TRUNCATE, which the
# access log refuses unless its owner's session sets fuhai.allow_truncate: the test process's
# connections do (libpq reads PGOPTIONS), production never does (residents migration 0006).
os.environ["PGOPTIONS"] = f"{os.environ.get('PGOPTIONS', '')} -c fuhai.allow_truncate=on".strip()

IN_CI = os.environ.get("CI", "").lower() == "true"
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
ARTIFACTS = Path(settings.BASE_DIR) / "test-artifacts"


def pytest_sessionstart(session):
    if not settings.IS_POSTGRES:
        raise pytest.UsageError(
            "The tests run on PostgreSQL: use `make test` (it starts PostgreSQL and sets DATABASE_URL)."
        )


@pytest.fixture(autouse=True)
def test_clock():
    """FUHAI_TEST_CLOCK=2026-12-31T23:40+08:00 runs every test with this process's clock set to
    that moment (and ticking): the bugs that live in the hours when Beijing's date is not UTC's,
    and the tests that pass only until a fixed date has gone by. Tests that set their own time
    still do; the Celery worker's process and the browser's own clock are not moved."""
    when = os.environ.get("FUHAI_TEST_CLOCK")
    if not when:
        yield None
        return
    with time_machine.travel(datetime.fromisoformat(when), tick=True):
        yield when


@pytest.fixture(autouse=True)
def default_language():
    """Each test starts in the site's language (Chinese): a request in English (a test's
    django_language cookie) leaves English active in the thread after it, and a test run after
    it that reads a message outside a request read it in English (test_notice_numerals after
    the 12345 list's English row, run in that order)."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def community(db):
    return CommunityFactory(name="福海佳园")


@pytest.fixture
def other_community(db):
    return CommunityFactory(name="别的社区")


def _member(community, role, username):
    return MembershipFactory(community=community, role=role, user__username=username).user


@pytest.fixture
def secretary(community):
    return _member(community, Role.SECRETARY, "secretary")


@pytest.fixture
def staff(community):
    return _member(community, Role.STAFF, "staff1")


@pytest.fixture
def grid_worker(community):
    return _member(community, Role.GRID, "grid1")


@pytest.fixture
def viewer(community):
    return _member(community, Role.VIEWER, "street1")


@pytest.fixture
def outsider(other_community):
    """Staff of another community: must see nothing of ours."""
    return _member(other_community, Role.SECRETARY, "outsider")


@pytest.fixture
def two_community_viewer(client, community, other_community):
    """A 街道 viewer (read-only) in both communities; working in ``other_community``."""
    user = MembershipFactory(community=community, role=Role.VIEWER, user__username="street2").user
    MembershipFactory(community=other_community, user=user, role=Role.VIEWER)
    client.force_login(user)
    session = client.session
    session[SESSION_KEY] = other_community.pk
    session.save()
    return client


@pytest.fixture
def secretary_client(client, secretary):
    client.force_login(secretary)
    return client


@pytest.fixture
def staff_client(client, staff):
    client.force_login(staff)
    return client


@pytest.fixture
def login(client):
    """login(user) logs the test client in as that user and returns it."""

    def as_user(user):
        client.force_login(user)
        return client

    return as_user


@pytest.fixture
def room(community):
    """3号楼2单元501, on the fifth floor."""
    unit = UnitFactory(building=BuildingFactory(community=community, number="3"), number="2")
    return RoomFactory(unit=unit, room_no="501", floor_no=5)


@pytest.hookimpl(tryfirst=True, hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"rep_{report.when}", report)


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        if IN_CI:
            pytest.fail(f"Chromium is missing at {CHROMIUM}: scripts/install-system-deps installs it.")
        pytest.skip(f"Chromium is missing at {CHROMIUM}")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page_for(request, browser, live_server, client):
    """page_for(user, viewport=...) gives a logged-in page; screenshots are kept on failure."""
    contexts = []

    def make(user=None, viewport=None, locale="zh-CN"):
        context = browser.new_context(
            base_url=live_server.url, viewport=viewport or {"width": 1366, "height": 900}, locale=locale
        )
        if user is not None:
            client.force_login(user)
            cookie = client.cookies[settings.SESSION_COOKIE_NAME]
            context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": live_server.url}])
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(10_000)
        return page

    yield make
    failed = getattr(request.node, "rep_call", None) is not None and request.node.rep_call.failed
    for i, context in enumerate(contexts):
        if failed:
            ARTIFACTS.mkdir(exist_ok=True)
            for j, page in enumerate(context.pages):
                page.screenshot(path=str(ARTIFACTS / f"{request.node.name}-{i}-{j}.png"), full_page=True)
        context.close()


@pytest.fixture
def celery_queue(transactional_db):
    """A real Celery worker (a process of its own, solo pool) on a queue of its own; yields the
    queue's name. Needs CELERY_BROKER_URL on Redis (`make test` sets it)."""
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
