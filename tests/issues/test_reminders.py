"""Reminders are data: each (item, kind, due time) is reminded once, whatever happens."""

import json
import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from fuhai.digest import send_digests
from issues.models.choices import IssueResult
from issues.models.clock import IssueClock
from issues.models.issue import Issue
from issues.models.reminder import Delivery, DeliveryStatus, Notification, Reminder, ReminderKind, ReminderSettings
from issues.reminders import delivery as delivery_module
from issues.reminders import triggers
from issues.reminders.sweep import BAD_ROW_DELAY, SweepResult, run_sweep
from residents.models.community import Role
from tests.factories import MembershipFactory


@pytest.fixture
def due_issue(log, staff, now):
    """An item owned by staff, logged Monday 8:30, due Wednesday 18:00."""
    issue = log("5号楼楼道堆放杂物", owner=staff)
    issue.due_at = now.replace(hour=18) + timedelta(days=2)
    issue.save()
    return issue


def sweep(at):
    """Item reminders and their deliveries (digests have their own tests)."""
    result = triggers.sweep_issues(now=at)
    return delivery_module.deliver_pending(now=at, result=result)


def test_it_reminds_the_owner_the_day_before(due_issue, staff, now):
    sweep(now + timedelta(days=1, hours=1))  # Tuesday 9:30
    reminder = Reminder.objects.get()
    assert reminder.kind == ReminderKind.DUE_TOMORROW
    assert list(Notification.objects.values_list("recipient", flat=True)) == [staff.pk]


def test_it_reminds_the_owner_and_the_secretary_when_overdue(due_issue, staff, secretary, now):
    sweep(now + timedelta(days=3))
    reminder = Reminder.objects.get()
    assert reminder.kind == ReminderKind.OVERDUE
    assert set(Notification.objects.values_list("recipient", flat=True)) == {staff.pk, secretary.pk}


def test_it_sends_only_the_most_advanced_stage(due_issue, now):
    sweep(now + timedelta(days=10))
    assert list(Reminder.objects.values_list("kind", flat=True)) == [ReminderKind.OVERDUE_MEETING]
    due_issue.refresh_from_db()
    assert due_issue.on_meeting_since is not None


def test_an_item_due_before_eight_is_reminded_as_due_today_at_its_due_time(due_issue, now):
    """Due at 7:00, its "due today" (8:00, or the due time if earlier) and its "overdue" fall at
    the same instant: the sweep sends the first of the two, once."""
    due_issue.due_at = now.replace(hour=7, minute=0) + timedelta(days=2)  # Wednesday 7:00
    due_issue.save()
    sweep(now + timedelta(days=2, minutes=-60))  # Wednesday 7:30
    sweep(now + timedelta(days=2, minutes=-50))
    assert list(Reminder.objects.values_list("kind", "due_at")) == [(ReminderKind.DUE_TODAY, due_issue.due_at)]


def test_it_creates_each_reminder_once_when_swept_twice(due_issue, now):
    first = sweep(now + timedelta(days=1, hours=1))
    second = sweep(now + timedelta(days=1, hours=1))
    assert (first.created, second.created, Reminder.objects.count()) == (1, 0, 1)


def test_it_walks_through_the_stages_once_each(due_issue, now):
    for hours in range(0, 24 * 8, 2):
        sweep(now + timedelta(hours=hours))
    kinds = sorted(Reminder.objects.values_list("kind", flat=True))
    assert kinds == sorted(
        [ReminderKind.DUE_TOMORROW, ReminderKind.DUE_TODAY, ReminderKind.OVERDUE, ReminderKind.OVERDUE_MEETING]
    )


def test_it_stops_reminding_a_closed_item(due_issue, staff, now):
    due_issue.resolve(by=staff, now=now, result=IssueResult.FIXED, note="已清理")
    due_issue.callback(by=staff, now=now, satisfaction="satisfied", method="phone")
    sweep(now + timedelta(days=10))
    assert not Reminder.objects.exists()


def test_it_reminds_to_call_back_a_day_after_done(log, staff, now):
    issue = log("路灯不亮", owner=staff)
    issue.resolve(by=staff, now=now, result=IssueResult.FIXED, note="已修")
    sweep(now + timedelta(days=1, minutes=1))
    assert Reminder.objects.get().kind == ReminderKind.CALLBACK_DUE


def test_shorter_callback_days_move_the_callbacks_already_waiting(log, staff, secretary, client, now):
    """Saving the rules rewound the clocks of open items only: items already done kept the
    callback of the old rule, days later than the new one (found in review)."""
    ReminderSettings.objects.create(community=staff.memberships.get().community, callback_after_days=7)
    issue = log("路灯不亮", owner=staff)
    issue.resolve(by=staff, now=now, result=IssueResult.FIXED, note="已修")
    sweep(now + timedelta(hours=1))
    client.force_login(secretary)
    rules = {"meeting_after_days": 3, "callback_after_days": 1, "digest_time": "08:30", "remind_day_before": "on"}
    with time_machine.travel(now + timedelta(hours=2), tick=False):
        assert client.post(reverse("issues:reminder_settings"), rules).status_code == 302
    sweep(now + timedelta(days=1, minutes=1))
    assert Reminder.objects.get(object_id=issue.pk).kind == ReminderKind.CALLBACK_DUE


def test_it_reminds_when_the_partners_promised_date_comes(log, staff, police, now):
    issue = log("遛狗不拴绳", owner=staff, settle={"method": "to_police", "partner": police.partner})
    issue.wait_for_partner(by=staff, now=now, partner=police.partner, promised_at=now + timedelta(days=2))
    sweep(now + timedelta(days=2, hours=1))
    reminder = Reminder.objects.get()
    assert reminder.kind == ReminderKind.PROMISE_DUE
    assert "福海社区警务站" in reminder.body


def test_it_pushes_a_bad_row_forward_and_goes_on(due_issue, log, staff, now, monkeypatch):
    other = log("楼道灯坏了", owner=staff)
    other.due_at = due_issue.due_at
    other.save()
    real = triggers._issue_reminder

    def broken(issue, *args):
        if issue.pk == due_issue.pk:
            raise ValueError("corrupt row")
        return real(issue, *args)

    monkeypatch.setattr(triggers, "_issue_reminder", broken)
    result = sweep(now + timedelta(days=1, hours=1))
    assert result.pushed_forward == [due_issue.pk]
    assert IssueClock.objects.get(pk=due_issue.pk).next_reminder_at == now + timedelta(days=1, hours=1) + BAD_ROW_DELAY
    assert Reminder.objects.get().object_id == other.pk


@pytest.mark.django_db(transaction=True)
def test_it_creates_each_reminder_once_with_two_workers_at_once(community, staff, now):
    from issues import services

    for n in range(40):
        issue = services.log_issue(community=community, by=staff, now=now, text=f"第{n}件", owner=staff)
        Issue.objects.filter(pk=issue.pk).update(due_at=now - timedelta(hours=1))
        IssueClock.objects.filter(pk=issue.pk).update(next_reminder_at=now, reminded_until=now - timedelta(days=1))
    barrier = threading.Barrier(2)
    results = []

    def worker():
        barrier.wait()
        try:
            results.append(triggers.sweep_issues(now=now + timedelta(hours=1)).created)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sum(results) == 40
    assert Reminder.objects.count() == 40


def test_it_sends_email_to_owners_with_an_address(due_issue, staff, now):
    staff.email = "staff@example.org"
    staff.save()
    result = sweep(now + timedelta(days=1, hours=1))
    assert result.delivered == 1
    assert mail.outbox[0].to == ["staff@example.org"]
    assert due_issue.code in mail.outbox[0].subject


def test_it_does_not_send_again_after_a_worker_died_mid_send(due_issue, staff, now, monkeypatch):
    staff.email = "staff@example.org"
    staff.save()
    sent = []

    def dies_after_sending(delivery):
        sent.append(delivery.pk)
        raise SystemExit("worker killed")

    monkeypatch.setitem(delivery_module.SENDERS, "email", dies_after_sending)
    with pytest.raises(SystemExit):
        sweep(now + timedelta(days=1, hours=1))
    monkeypatch.setitem(delivery_module.SENDERS, "email", lambda d: sent.append(d.pk))
    sweep(now + timedelta(days=1, hours=1, minutes=1))  # the task is redelivered
    assert len(sent) == 1


def test_it_retries_a_failing_channel_with_backoff(due_issue, staff, now, monkeypatch):
    staff.email = "staff@example.org"
    staff.save()

    def refuses(delivery):
        raise ConnectionRefusedError("smtp down")

    monkeypatch.setitem(delivery_module.SENDERS, "email", refuses)
    sweep(now + timedelta(days=1, hours=1))
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.PENDING, 1)
    assert delivery.next_attempt_at == now + timedelta(days=1, hours=1, minutes=2)
    assert "smtp down" in delivery.last_error
    assert Notification.objects.count() == 1  # the bell still rings


class RecordingWebhook(BaseHTTPRequestHandler):
    received: list = []

    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        RecordingWebhook.received.append(json.loads(body))
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b'{"errcode": 0, "errmsg": "ok"}')

    def log_message(self, *args):
        pass


@pytest.fixture
def webhook(community):
    RecordingWebhook.received = []
    server = HTTPServer(("127.0.0.1", 0), RecordingWebhook)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    rules = ReminderSettings.for_community(community.pk)
    rules.wecom_webhook_url = f"http://127.0.0.1:{server.server_port}/cgi-bin/webhook/send?key=test"
    rules.save()
    yield RecordingWebhook.received
    server.shutdown()


def test_it_posts_to_the_wecom_group_without_personal_numbers(log, staff, now, webhook):
    issue = log("我是3-2-501，电话13812348000，楼上漏水", owner=staff)
    issue.due_at = now + timedelta(hours=30)
    issue.save()
    sweep(now + timedelta(days=1))
    assert len(webhook) == 1
    content = webhook[0]["text"]["content"]
    assert issue.code in content
    assert "13812348000" not in content
    assert "138****8000" in content


def test_it_sends_one_daily_digest_per_person(due_issue, staff, now):
    due_issue.due_at = now - timedelta(hours=1)
    due_issue.save()
    eight = now.replace(hour=8, minute=5)
    first = send_digests(now=eight)
    second = send_digests(now=eight + timedelta(minutes=1))
    digest = Reminder.objects.get(kind=ReminderKind.DIGEST)
    assert (first.digests, second.digests) == (1, 0)
    assert due_issue.code in digest.body
    assert list(digest.notifications.values_list("recipient", flat=True)) == [staff.pk]


def test_it_sends_no_digest_before_the_digest_time(due_issue, now):
    assert send_digests(now=now.replace(hour=7, minute=59)).digests == 0


def test_it_reads_the_clock_inside_the_task(due_issue, now):
    from issues.tasks import sweep_reminders

    with time_machine.travel(now + timedelta(days=1, hours=1), tick=False):
        sweep_reminders()
    assert Reminder.objects.get(object_id=due_issue.pk).kind == ReminderKind.DUE_TOMORROW


def test_it_sweeps_from_the_command_line(due_issue, now, capsys):
    call_command("send_reminders", "--now", (now + timedelta(days=1, hours=1)).isoformat())
    assert "created 1 reminders" in capsys.readouterr().out


def test_it_explains_a_bad_now_on_the_command_line(db):
    from django.core.management import CommandError

    with pytest.raises(CommandError, match="ISO 8601"):
        call_command("send_reminders", "--now", "tomorrow")


def test_it_still_saves_with_the_broker_down_and_reminds_once_it_is_back(staff_client, staff, settings, now):
    from django.urls import reverse

    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"
    response = staff_client.post(
        reverse("issues:issue_create"),
        {"channel": "wechat", "text": "紧急：楼道冒烟", "urgency": "urgent", "outcome": "investigate"},
    )
    assert response.status_code == 302
    issue = Issue.objects.get()
    assert IssueClock.objects.get(pk=issue.pk).next_reminder_at is not None
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:6379/15"
    run_sweep(now=issue.due_at + timedelta(minutes=1))
    assert Reminder.objects.filter(object_id=issue.pk).count() == 1


def test_it_rings_the_bell_and_marks_read(client, due_issue, staff, now):
    from django.urls import reverse

    sweep(now + timedelta(days=1, hours=1))
    client.force_login(staff)
    assert client.get(reverse("home")).context["unread_notifications"] == 1
    notification = Notification.objects.get()
    response = client.post(reverse("issues:notification_read", args=[notification.pk]))
    assert response.url == reverse("issues:issue_detail", args=[due_issue.pk])
    assert client.get(reverse("home")).context["unread_notifications"] == 0


def test_it_gives_404_for_someone_elses_notification(client, due_issue, outsider, now):
    from django.urls import reverse

    sweep(now + timedelta(days=1, hours=1))
    client.force_login(outsider)
    response = client.post(reverse("issues:notification_read", args=[Notification.objects.get().pk]))
    assert response.status_code == 404


def test_it_reminds_the_responsible_staff_of_a_visit_due_today_once(community, staff, now):
    from tests.factories import SpecialStatusFactory

    status = SpecialStatusFactory(resident__community=community, resident__name="王秀英", responsible=staff)
    status.refresh_from_db()
    day = status.next_due_on
    at_eight = now.replace(year=day.year, month=day.month, day=day.day, hour=8, minute=5)
    send_digests(now=at_eight)
    send_digests(now=at_eight + timedelta(minutes=1))
    reminder = Reminder.objects.get(kind=ReminderKind.VISIT_DUE)
    assert reminder.title.startswith("王**")
    assert list(reminder.notifications.values_list("recipient", flat=True)) == [staff.pk]


def test_it_calls_an_overdue_visit_overdue(community, staff, now):
    from tests.factories import SpecialStatusFactory

    status = SpecialStatusFactory(resident__community=community, responsible=staff)
    status.refresh_from_db()
    later = status.next_due_on + timedelta(days=status.visit_interval_days + 1)
    send_digests(now=now.replace(year=later.year, month=later.month, day=later.day, hour=8, minute=5))
    assert Reminder.objects.filter(kind=ReminderKind.VISIT_OVERDUE).count() == 1


def test_it_calls_a_visit_never_made_due_not_overdue_within_the_first_interval(community, staff, now):
    """Three days after a status began (a 7-day interval), the reminder said 逾期 and "Due on" the
    day the status began, where the roster and the board say 从未走访 and not late yet."""
    from tests.factories import SpecialStatusFactory

    status = SpecialStatusFactory(resident__community=community, responsible=staff)
    status.refresh_from_db()
    later = status.next_due_on + timedelta(days=3)
    send_digests(now=now.replace(year=later.year, month=later.month, day=later.day, hour=8, minute=5))
    reminder = Reminder.objects.get(kind__in=[ReminderKind.VISIT_DUE, ReminderKind.VISIT_OVERDUE])
    assert (reminder.kind, reminder.body) == (ReminderKind.VISIT_DUE, "从未走访")


def test_a_batch_slower_than_a_quarter_of_an_hour_sends_nothing_twice(
    due_issue, community, staff, secretary, now, monkeypatch
):
    """A slow mail server (ten minutes an e-mail, each under the timeout): twenty minutes into
    the first sweep's batch, the next sweep takes back what it has not reached and sends it;
    the first sweep then skips what is no longer its own instead of sending it again."""
    deputy = MembershipFactory(community=community, role=Role.SECRETARY, user__email="deputy@example.org").user
    for user, address in ((staff, "staff@example.org"), (secretary, "sec@example.org")):
        user.email = address
        user.save()
    at = now + timedelta(days=3)
    triggers.sweep_issues(now=at)  # overdue: the owner and both secretaries, one e-mail each
    assert Delivery.objects.count() == 3
    sent = []
    with time_machine.travel(timezone.now(), tick=False) as clock:

        def slow_server(delivery):
            clock.shift(timedelta(minutes=10))
            sent.append(delivery.recipient.email)
            if len(sent) == 2:  # twenty minutes in: the next sweep
                delivery_module.deliver_pending(now=at + timedelta(minutes=20), result=SweepResult())

        monkeypatch.setitem(delivery_module.SENDERS, "email", slow_server)
        delivery_module.deliver_pending(now=at, result=SweepResult())
    assert sorted(sent) == sorted(["staff@example.org", "sec@example.org", deputy.email])  # each once
    assert set(Delivery.objects.values_list("status", flat=True)) == {DeliveryStatus.SENT}
