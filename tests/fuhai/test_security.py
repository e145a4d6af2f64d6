"""Ready for real data: login lockout, security headers, sessions, the 500 page and /healthz."""

import io
import logging
import re
from datetime import timedelta
from pathlib import Path

import pytest
import time_machine
from axes.models import AccessAttempt
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import InternalError, ProgrammingError, connection, transaction
from django.test import override_settings
from django.urls import path, reverse
from django.utils import timezone

from fuhai.middleware import RequestIdFilter
from fuhai.models import Heartbeat
from fuhai.passwords import DemoPasswordValidator
from residents.models.resident import AccessField, AccessLog
from tests.factories import MembershipFactory

LOGIN = {"username": "staff1", "password": "pw-for-tests"}
WRONG = {"username": "staff1", "password": "wrong"}
OFFICE_PC = "10.0.0.7"
START = timezone.datetime(2026, 12, 1, 9, 0, tzinfo=timezone.get_fixed_timezone(480))


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # Each test below checks a dozen passwords; the production hasher would take seconds each time.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def fail(client, times, url=None, address=OFFICE_PC, credentials=WRONG):
    for _ in range(times):
        response = client.post(url or reverse("login"), credentials, REMOTE_ADDR=address)
    return response


# --- lockout -----------------------------------------------------------------------------


def test_it_lets_a_user_in_after_four_wrong_passwords(client, staff):
    fail(client, 4)
    response = client.post(reverse("login"), LOGIN, REMOTE_ADDR=OFFICE_PC)
    assert response.status_code == 302


def test_it_locks_a_username_after_five_wrong_passwords_even_with_the_right_one(client, staff):
    fail(client, 5)
    response = client.post(reverse("login"), LOGIN, REMOTE_ADDR=OFFICE_PC)
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_it_counts_each_wrong_password_once(client, staff):
    fail(client, 5)
    assert AccessAttempt.objects.get(username="staff1").failures_since_start == 5


def test_it_says_in_chinese_on_the_login_form_when_to_try_again(client, staff):
    with time_machine.travel(START, tick=False):
        response = fail(client, 5)
    body = response.content.decode()
    assert response.status_code == 429
    assert "15 分钟" in body
    assert "09:15" in body
    assert 'value="staff1"' in body
    assert 'name="password"' in body


def test_it_says_in_english_when_to_try_again(client, staff):
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    with time_machine.travel(START, tick=False):
        body = fail(client, 5).content.decode()
    assert "Try again after 09:15" in body


def test_it_locks_the_admin_login_too(client, staff):
    staff.is_staff = True
    staff.save()
    fail(client, 5, url=reverse("admin:login"))
    response = client.post(reverse("admin:login"), LOGIN, REMOTE_ADDR=OFFICE_PC)
    assert response.status_code == 429
    assert "15 分钟" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_it_lets_the_user_in_again_after_fifteen_minutes(client, staff):
    with time_machine.travel(START, tick=False) as clock:
        fail(client, 5)
        clock.shift(timedelta(minutes=15, seconds=1))
        response = client.post(reverse("login"), LOGIN, REMOTE_ADDR=OFFICE_PC)
    assert response.status_code == 302


def test_it_keeps_the_lock_until_the_fifteen_minutes_are_over(client, staff):
    with time_machine.travel(START, tick=False) as clock:
        fail(client, 5)
        clock.shift(timedelta(minutes=14))
        response = client.post(reverse("login"), LOGIN, REMOTE_ADDR=OFFICE_PC)
    assert response.status_code == 429


def test_it_does_not_lock_another_user_on_the_same_computer(client, staff, grid_worker):
    fail(client, 5)
    response = client.post(reverse("login"), {"username": "grid1", "password": "pw-for-tests"}, REMOTE_ADDR=OFFICE_PC)
    assert response.status_code == 302


def test_it_does_not_lock_the_same_user_on_another_computer(client, staff):
    fail(client, 5)
    response = client.post(reverse("login"), LOGIN, REMOTE_ADDR="10.0.0.8")
    assert response.status_code == 302


def test_it_lists_a_locked_colleague_to_the_secretary(client, secretary, staff):
    fail(client, 5)
    client.force_login(secretary)
    body = client.get(reverse("lockout_list")).content.decode()
    assert "staff1" in body
    assert OFFICE_PC in body


def test_it_does_not_list_lockouts_of_another_community(client, secretary, outsider):
    fail(client, 5, credentials={"username": "outsider", "password": "wrong"})
    client.force_login(secretary)
    body = client.get(reverse("lockout_list")).content.decode()
    assert "outsider" not in body


@pytest.mark.parametrize("rows", [5, 50])
def test_it_lists_lockouts_in_a_fixed_number_of_queries(
    client, secretary, community, rows, django_assert_max_num_queries
):
    for n in range(rows):
        user = MembershipFactory(community=community, user__username=f"worker{n}").user
        AccessAttempt.objects.create(
            username=user.username,
            ip_address=OFFICE_PC,
            user_agent="",
            http_accept="",
            path_info="/accounts/login/",
            get_data="",
            post_data="",
            failures_since_start=5,
        )
    client.force_login(secretary)
    with django_assert_max_num_queries(9):
        response = client.get(reverse("lockout_list"))
    assert response.content.decode().count("worker") == rows * 2


def test_it_refuses_the_lockout_page_to_staff(client, staff):
    client.force_login(staff)
    assert client.get(reverse("lockout_list")).status_code == 403


def test_it_lets_the_secretary_lift_a_colleagues_lock(client, secretary, staff):
    fail(client, 5)
    client.force_login(secretary)
    client.post(reverse("lockout_lift"), {"username": "staff1"})
    client.logout()
    assert client.post(reverse("login"), LOGIN, REMOTE_ADDR=OFFICE_PC).status_code == 302


def test_it_answers_404_when_the_secretary_lifts_an_outsiders_lock(client, secretary, outsider):
    fail(client, 5, credentials={"username": "outsider", "password": "wrong"})
    client.force_login(secretary)
    response = client.post(reverse("lockout_lift"), {"username": "outsider"})
    assert response.status_code == 404
    assert AccessAttempt.objects.filter(username="outsider").exists()


# --- headers ------------------------------------------------------------------------------


def test_it_sends_a_content_security_policy_without_inline_scripts(secretary_client):
    policy = secretary_client.get(reverse("home"))["Content-Security-Policy"]
    script_src = re.search(r"script-src ([^;]*)", policy).group(1)
    assert script_src.strip() == "'self'"
    assert "frame-ancestors 'none'" in policy


def test_it_has_no_inline_script_in_any_template():
    offenders = []
    for template in Path(settings.BASE_DIR, "templates").rglob("*.html"):
        text = template.read_text()
        for found in re.finditer(r"<script(?![^>]*\bsrc=)[^>]*>|\son[a-z]+=|hx-on|hx-trigger=\"[^\"]*\[", text):
            offenders.append(f"{template.relative_to(settings.BASE_DIR)}: {found.group(0)}")
    assert offenders == []


def test_it_tells_the_browser_to_keep_no_copy_of_a_page(secretary_client):
    response = secretary_client.get(reverse("home"))
    assert "no-store" in response["Cache-Control"]


def test_it_tells_the_browser_to_keep_no_copy_of_a_resident_export(secretary_client):
    response = secretary_client.get(reverse("residents:resident_export"))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]


@override_settings(WHITENOISE_USE_FINDERS=True, WHITENOISE_AUTOREFRESH=True)  # no collectstatic in tests
def test_it_lets_the_browser_keep_static_files(client, db):
    response = client.get("/static/js/fuhai.js")
    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")


def test_it_sends_the_referrer_and_permissions_policies(secretary_client):
    response = secretary_client.get(reverse("home"))
    assert response["Referrer-Policy"] == "same-origin"
    assert "camera=()" in response["Permissions-Policy"]
    assert "geolocation=()" in response["Permissions-Policy"]


# --- sessions and passwords -----------------------------------------------------------------


def test_it_keeps_a_session_that_is_used_within_two_hours(client, staff):
    with time_machine.travel(START, tick=False) as clock:
        client.post(reverse("login"), LOGIN)
        for _ in range(3):
            clock.shift(timedelta(hours=1, minutes=50))
            assert client.get(reverse("home")).status_code == 200


def test_it_ends_a_session_left_idle_for_two_hours(client, staff):
    with time_machine.travel(START, tick=False) as clock:
        client.post(reverse("login"), LOGIN)
        clock.shift(timedelta(hours=2, minutes=1))
        response = client.get(reverse("home"))
    assert response.status_code == 302


def test_it_refuses_the_demo_password_for_real_data():
    with pytest.raises(ValidationError):
        DemoPasswordValidator().validate("fuhai2024")


def test_it_accepts_another_password_with_the_demo_rule():
    DemoPasswordValidator().validate("Qiuju-2026-new")


# --- 500 page and request id ---------------------------------------------------------------


def boom(request):
    raise RuntimeError("boom")


urlpatterns = [path("boom/", boom)]
handler500 = "fuhai.views.server_error"


@override_settings(ROOT_URLCONF=__name__)
def test_it_shows_on_the_500_page_the_request_id_of_the_log_line(client, db):
    lines = io.StringIO()
    handler = logging.StreamHandler(lines)
    handler.addFilter(RequestIdFilter())
    handler.setFormatter(logging.Formatter("[%(request_id)s] %(message)s"))
    logging.getLogger("django.request").addHandler(handler)
    client.raise_request_exception = False
    try:
        response = client.get("/boom/")
    finally:
        logging.getLogger("django.request").removeHandler(handler)
    request_id = response["X-Request-ID"]
    assert response.status_code == 500
    assert f'<code id="request-id">{request_id}</code>' in response.content.decode()
    assert f"[{request_id}] Internal Server Error: /boom/" in lines.getvalue()


def test_it_logs_a_refused_request_with_its_request_id(client, db):
    lines = io.StringIO()
    handler = logging.StreamHandler(lines)
    handler.addFilter(RequestIdFilter())
    handler.setFormatter(logging.Formatter("[%(request_id)s] %(message)s"))
    logging.getLogger("django.request").addHandler(handler)
    try:
        response = client.get(reverse("healthz"))
    finally:
        logging.getLogger("django.request").removeHandler(handler)
    assert response.status_code == 503
    assert f"[{response['X-Request-ID']}] Service Unavailable: /healthz" in lines.getvalue()


def test_it_no_longer_promises_on_the_500_page_that_nothing_is_lost():
    text = Path(settings.BASE_DIR, "templates", "500.html").read_text()
    assert "您已保存的内容不会丢失" not in text
    assert "可能没有保存" in text


# --- /healthz -------------------------------------------------------------------------------


def beat_seen(ago: timedelta) -> None:
    Heartbeat.objects.create(name="beat", last_seen=timezone.now() - ago)


def test_it_reports_healthy_when_database_broker_and_beat_answer(client, db):
    beat_seen(timedelta(seconds=70))
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert response.json() == {"ok": True, "database": True, "broker": True, "beat": True, "beat_age_seconds": 70}


def test_it_fails_health_when_beat_is_silent_for_five_minutes(client, db):
    beat_seen(timedelta(minutes=5, seconds=1))
    response = client.get(reverse("healthz"))
    assert response.status_code == 503
    assert response.json()["beat"] is False
    assert response.json()["beat_age_seconds"] == 301


def test_it_fails_health_when_beat_never_ran(client, db):
    response = client.get(reverse("healthz"))
    assert response.status_code == 503
    assert response.json()["beat_age_seconds"] is None


@override_settings(CELERY_BROKER_URL="redis://127.0.0.1:1/0")
def test_it_fails_health_when_the_broker_does_not_answer(client, db):
    beat_seen(timedelta(seconds=10))
    response = client.get(reverse("healthz"))
    assert response.status_code == 503
    assert response.json()["broker"] is False


def test_it_checks_health_in_two_queries(client, db, django_assert_max_num_queries):
    beat_seen(timedelta(seconds=10))
    with django_assert_max_num_queries(2):
        client.get(reverse("healthz"))


# --- the access log cannot be emptied from the app ---------------------------------------------

APP_ROLE = settings.DATABASE_APP_ROLE


def as_app_role(sql: str) -> None:
    """Run one statement as the role the app connects as in production (the tests connect as the
    owner, a member of that role), in a savepoint that the refusal rolls back."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"SET LOCAL ROLE {APP_ROLE}")
        cursor.execute(sql)


@pytest.fixture
def logged_reveal(secretary, community):
    return AccessLog.objects.create(community=community, user=secretary, field=AccessField.PHONE, reason="回访老人")


def test_it_lets_the_app_role_read_and_add_to_the_access_log(logged_reveal):
    as_app_role(
        "INSERT INTO residents_accesslog (community_id, user_id, field, reason, subject, created_at) "
        "SELECT community_id, user_id, field, 'check', '', now() FROM residents_accesslog "
        f"WHERE id = {logged_reveal.pk}"
    )
    assert AccessLog.objects.count() == 2


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE residents_accesslog SET reason = 'rewritten'",
        "DELETE FROM residents_accesslog",
        "TRUNCATE residents_accesslog",
        "ALTER TABLE residents_accesslog DISABLE TRIGGER residents_accesslog_append_only",
        "ALTER TABLE residents_accesslog DISABLE TRIGGER ALL",
        "DROP TRIGGER residents_accesslog_no_truncate ON residents_accesslog",
        "DROP TABLE residents_accesslog CASCADE",
    ],
)
def test_it_refuses_the_app_role_every_way_to_change_or_empty_the_access_log(logged_reveal, statement):
    with pytest.raises(ProgrammingError, match=r"permission denied|must be owner"):
        as_app_role(statement)
    assert AccessLog.objects.filter(reason=logged_reveal.reason).count() == 1


def test_it_refuses_truncate_of_the_access_log_even_to_its_owner(logged_reveal):
    with pytest.raises(InternalError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # TRUNCATE waits for no pending row check
        cursor.execute("SET LOCAL fuhai.allow_truncate = 'off'")
        cursor.execute("TRUNCATE residents_accesslog CASCADE")
    assert AccessLog.objects.count() == 1


@pytest.mark.parametrize(
    "statement", ["UPDATE residents_accesslog SET reason = 'x'", "DELETE FROM residents_accesslog"]
)
def test_it_refuses_rewriting_the_access_log_even_to_its_owner(logged_reveal, statement):
    with pytest.raises(InternalError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(statement)
    assert AccessLog.objects.filter(reason=logged_reveal.reason).count() == 1


@pytest.mark.django_db(transaction=True)
def test_it_lets_the_test_database_flush_the_access_log_between_tests(secretary, community):
    # The flush after this test TRUNCATEs the log: pytest reports an error there if it is refused.
    AccessLog.objects.create(community=community, user=secretary, field=AccessField.PHONE, reason="回访老人")
    assert AccessLog.objects.count() == 1
