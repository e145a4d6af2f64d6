"""A task given at the morning meeting for a 民情日记 item hands the item to its assignee, as
the office expects, so the item's reminders go to whoever has the task, not to the secretary
who logged it at 8:30; an item another staff member handles is never taken silently."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse
from django.utils.html import escape
from django.utils.translation import gettext

from issues.models.choices import IssueStatus
from issues.models.reminder import Notification, ReminderKind
from issues.models.task import Task
from issues.reminders.sweep import run_sweep
from issues.reminders.triggers import sweep_issues
from issues.services import log_issue
from tests.factories import IssueFactory, MembershipFactory, TaskFactory

NINE = datetime(2026, 11, 30, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))  # a Monday's meeting


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NINE, tick=False):
        yield


@pytest.fixture
def logged(community, secretary):
    """Logged by the secretary at 8:30 from the WeChat batch: hers until the meeting gives it out."""
    return log_issue(
        community=community,
        by=secretary,
        now=NINE - timedelta(minutes=30),
        text="3号楼楼道堆了纸箱",
        received_at=NINE - timedelta(minutes=30),
    )


@pytest.fixture
def colleague(community):
    return MembershipFactory(community=community, user__username="wangfang", user__first_name="王芳").user


def give(client, text):
    return client.post(reverse("board_task_add"), {"text": text}, HTTP_HX_REQUEST="true")


def notes(issue):
    return list(issue.followups.order_by("pk").values_list("note", flat=True))


def test_it_hands_the_item_the_secretary_logged_to_the_tasks_assignee(login, secretary, staff, logged):
    response = give(login(secretary), f"@staff1 清理楼道 {logged.code}")
    logged.refresh_from_db()
    assert logged.owner == staff
    said = gettext("Item %(code)s is now handled by %(who)s.") % {"code": logged.code, "who": staff.first_name}
    assert escape(said) in response.text


def test_it_writes_the_change_of_owner_on_the_items_timeline(login, secretary, staff, logged):
    give(login(secretary), f"@staff1 清理楼道 {logged.code}")
    note = gettext("Owner: %(before)s → %(after)s, with the morning meeting task “%(title)s”.")
    assert notes(logged)[-1] == note % {"before": secretary.first_name, "after": staff.first_name, "title": "清理楼道"}


def test_it_hands_an_item_nobody_has(login, secretary, staff, community):
    issue = IssueFactory(community=community, code="MQ20261130-007", owner=None)
    give(login(secretary), "@staff1 上门看看 MQ20261130-007")
    issue.refresh_from_db()
    assert issue.owner == staff


def test_it_keeps_an_item_another_staff_member_handles_and_says_so(login, secretary, staff, colleague, logged):
    logged.owner = colleague
    logged.save(update_fields=["owner"])
    response = give(login(secretary), f"@staff1 清理楼道 {logged.code}")
    logged.refresh_from_db()
    assert logged.owner == colleague
    stays = "Item %(code)s stays with %(owner)s, who handles it; to move it, change the owner on the item page."
    said = gettext(stays) % {"code": logged.code, "owner": "王芳"}
    assert escape(said) in response.text
    note = gettext("Morning meeting task “%(title)s” given to %(assignee)s; %(owner)s keeps the item.")
    assert notes(logged)[-1] == note % {"title": "清理楼道", "assignee": staff.first_name, "owner": "王芳"}


def test_it_says_the_task_and_the_item_as_two_sentences(login, secretary, staff, colleague, logged):
    """A tester read 已分配给李晓红：回访 MQ20261203-001 仍由张建国负责 as the callback staying with
    张建国: the task's title ran into the item's number."""
    logged.owner = colleague
    logged.save(update_fields=["owner"])
    response = give(login(secretary), f"@staff1 回访 {logged.code}")
    assert f"已分配给{staff.first_name}：回访。 事项 {logged.code} 仍由王芳负责" in response.text, response.text
    logged.owner = secretary
    logged.save(update_fields=["owner"])
    response = give(login(secretary), f"@staff1 清理楼道 {logged.code}")
    assert f"已分配给{staff.first_name}：清理楼道。 事项 {logged.code} 现由{staff.first_name}负责。" in response.text


def test_it_hands_an_item_waiting_for_its_callback_to_the_tasks_assignee(login, secretary, staff, logged):
    """待回访 is given out at the meeting too: whoever has the task makes the call."""
    logged.status = IssueStatus.RESOLVED
    logged.save(update_fields=["status"])
    give(login(secretary), f"@staff1 回访 {logged.code}")
    logged.refresh_from_db()
    assert logged.owner == staff


def test_it_leaves_a_closed_item_with_its_owner(login, secretary, staff, logged):
    logged.status = IssueStatus.CLOSED
    logged.save(update_fields=["status"])
    give(login(secretary), f"@staff1 回访 {logged.code}")
    logged.refresh_from_db()
    assert logged.owner == secretary


def test_its_callback_reminder_goes_to_the_assignee(login, secretary, staff, logged):
    logged.status, logged.resolved_at = IssueStatus.RESOLVED, NINE - timedelta(days=1)
    logged.save(update_fields=["status", "resolved_at"])
    give(login(secretary), f"@staff1 回访 {logged.code}")
    sweep_issues(now=NINE + timedelta(days=30))
    reminder = Notification.objects.get(reminder__kind=ReminderKind.CALLBACK_DUE)
    assert reminder.recipient == staff


def test_it_moves_the_item_with_the_task_to_another_column(login, secretary, staff, colleague, logged):
    give(login(secretary), f"@staff1 清理楼道 {logged.code}")
    task = Task.objects.get()
    login(secretary).post(
        reverse("board_task_move", args=[task.pk]), {"assignee": colleague.pk}, HTTP_HX_REQUEST="true"
    )
    logged.refresh_from_db()
    assert logged.owner == colleague


def test_it_does_not_take_an_item_from_its_owner_when_a_task_is_dragged(login, secretary, staff, colleague, community):
    issue = IssueFactory(community=community, code="MQ20261130-008", owner=colleague, created_by=secretary)
    task = TaskFactory(community=community, assignee=None, issue=issue, title="看看")
    login(secretary).post(reverse("board_task_move", args=[task.pk]), {"assignee": staff.pk}, HTTP_HX_REQUEST="true")
    issue.refresh_from_db()
    assert issue.owner == colleague


def test_its_reminders_go_to_the_assignee_not_the_secretary(login, secretary, staff, community):
    issue = log_issue(community=community, by=secretary, now=NINE, text="路灯不亮", received_at=NINE)
    issue.due_at = NINE + timedelta(days=1)
    issue.save(update_fields=["due_at"])
    give(login(secretary), f"@staff1 报修路灯 {issue.code}")
    run_sweep(now=NINE + timedelta(days=1, hours=-1))  # 8:00 on the due day, with the digests
    # 今日到期 is a line of the assignee's digest (one bell entry a morning), none of the secretary's.
    digest = Notification.objects.get(recipient=staff, reminder__kind=ReminderKind.DIGEST)
    assert issue.code in digest.reminder.body
    assert not Notification.objects.filter(reminder__kind=ReminderKind.DUE_TODAY).exists()
    assert not Notification.objects.filter(recipient=secretary).exists()
