"""The bell's page (通知): what is unread first, newest first, then what was read, newest first;
read off the index notification_page, cut at the page and counted only up to the cap, since every
sweep adds to a person's notifications for as long as they work here."""

from datetime import timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from issues.models.issue import Issue
from issues.models.reminder import Notification, Reminder
from tests.factories import IssueFactory
from tests.plans import plans

LIST = reverse("issues:notification_list")


def notify(user, community, titles: list[str], now, *, read: bool = False) -> list[Notification]:
    """One reminder and its notification per title, in the order given (the last is the newest)."""
    issue = IssueFactory(community=community)
    content_type = ContentType.objects.get_for_model(Issue)
    made = []
    for title in titles:
        now += timedelta(minutes=1)
        reminder = Reminder.objects.create(
            community=community,
            content_type=content_type,
            object_id=issue.pk,
            kind="overdue",
            due_at=now,
            title=title,
            created_at=now,
        )
        made.append(Notification.objects.create(reminder=reminder, recipient=user, read_at=now if read else None))
    return made


def shown(response) -> list[str]:
    return [n.reminder.title for n in response.context["page_obj"]]


def test_it_shows_the_unread_first_newest_first_then_the_read(staff_client, staff, community, now):
    notify(staff, community, ["早读一", "早读二"], now - timedelta(days=3), read=True)
    notify(staff, community, ["未读一", "未读二"], now - timedelta(days=2))
    notify(staff, community, ["新读一"], now - timedelta(days=1), read=True)
    assert shown(staff_client.get(LIST)) == ["未读二", "未读一", "新读一", "早读二", "早读一"]


def test_it_shows_only_ones_own_notifications_of_this_community(
    staff_client, staff, secretary, community, other_community, now
):
    notify(staff, community, ["我的"], now)
    notify(secretary, community, ["书记的"], now)
    notify(staff, other_community, ["别的社区"], now)
    assert shown(staff_client.get(LIST)) == ["我的"]


@pytest.fixture
def small_cap(monkeypatch):
    monkeypatch.setattr("issues.views.office.NotificationListView.count_cap", 5)
    monkeypatch.setattr("issues.views.office.NotificationListView.paginate_by", 3)


def test_it_counts_only_up_to_the_cap_and_pages_on(staff_client, staff, community, now, small_cap):
    notify(staff, community, [f"提醒{n:02d}" for n in range(12)], now)
    with CaptureQueriesContext(connection) as queries:
        first = staff_client.get(LIST)
    (count,) = [
        q["sql"] for q in queries.captured_queries if "COUNT(" in q["sql"] and "issues_notification" in q["sql"]
    ]
    assert "LIMIT 6" in count
    assert shown(first) == ["提醒11", "提醒10", "提醒09"] and "?page=2" in first.content.decode()
    assert shown(staff_client.get(LIST, {"page": 4})) == ["提醒02", "提醒01", "提醒00"]
    past = staff_client.get(LIST, {"page": 5})  # past the end: the last page, as every list (not 未找到)
    assert past.status_code == 200 and shown(past) == ["提醒02", "提醒01", "提醒00"]


def test_it_reads_the_page_off_the_recipients_index(staff_client, staff, secretary, community, now):
    """A year of sweeps: the page walks the recipient's index and stops at the page, never
    sorting all of one's notifications (or all of the community's reminders)."""
    issue = IssueFactory(community=community)
    content_type = ContentType.objects.get_for_model(Issue)
    reminders = Reminder.objects.bulk_create(
        Reminder(
            community=community,
            content_type=content_type,
            object_id=issue.pk,
            kind="overdue",
            due_at=now - timedelta(hours=n),
            title=f"提醒{n}",
            created_at=now - timedelta(hours=n),
        )
        for n in range(2_000)
    )
    Notification.objects.bulk_create(
        Notification(reminder=reminder, recipient=user, read_at=None if n < 10 else reminder.created_at)
        for n, reminder in enumerate(reminders)
        for user in (staff, secretary)
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE issues_notification")
        cursor.execute("ANALYZE issues_reminder")
    found = plans(lambda: staff_client.get(LIST), scans=False)
    # The page's rows (the count and the bell's unread count, with the memberships, are aggregates).
    (rows,) = [plan for plan in found if "issues_notification" in plan and plan.startswith("Limit")]
    assert "notification_page" in rows and "Sort" not in rows, rows
