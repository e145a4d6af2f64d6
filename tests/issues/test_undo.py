"""Undo: a status change with a true reverse can be undone from its message for 10 seconds."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from issues import services
from issues.models.choices import FollowUpKind, IssueStatus

T0 = datetime(2026, 12, 1, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.fixture
def issue(community, secretary, staff):
    item = services.log_issue(community=community, by=secretary, now=T0, text="3号楼楼道灯不亮", owner=staff)
    item.settle(by=staff, now=T0, method="coordinate")
    return item


def resolve(client, issue):
    return client.post(reverse("issues:issue_resolve", args=[issue.pk]), {"result": "fixed", "note": "已换灯泡"})


def undo_token(client):
    return client.session["undo"]["token"]


def test_it_offers_an_undo_button_after_resolving(staff_client, issue):
    with time_machine.travel(T0 + timedelta(minutes=5), tick=False):
        response = resolve(staff_client, issue)
        page = staff_client.get(response.url).content.decode()
    assert reverse("issues:issue_undo", args=[issue.pk]) in page
    assert "撤销" in page


def test_it_undoes_a_resolve_within_10_seconds_through_reopen_on_the_timeline(staff_client, staff, issue):
    with time_machine.travel(T0 + timedelta(minutes=5), tick=False) as clock:
        resolve(staff_client, issue)
        clock.shift(timedelta(seconds=9))
        response = staff_client.post(reverse("issues:issue_undo", args=[issue.pk]), {"token": undo_token(staff_client)})
    assert response.status_code == 302
    issue.refresh_from_db()
    assert (issue.status, issue.resolved_at) == (IssueStatus.IN_PROGRESS, None)
    last = issue.followups.order_by("-pk").first()
    assert (last.kind, last.from_status, last.to_status, last.author) == (
        FollowUpKind.STATE,
        IssueStatus.RESOLVED,
        IssueStatus.IN_PROGRESS,
        staff,
    )
    assert "撤销" in last.note


def test_it_refuses_to_undo_after_10_seconds(staff_client, issue):
    with time_machine.travel(T0 + timedelta(minutes=5), tick=False) as clock:
        resolve(staff_client, issue)
        count = issue.followups.count()
        clock.shift(timedelta(seconds=11))
        response = staff_client.post(
            reverse("issues:issue_undo", args=[issue.pk]), {"token": undo_token(staff_client)}, follow=True
        )
    issue.refresh_from_db()
    assert issue.status == IssueStatus.RESOLVED
    assert issue.followups.count() == count
    assert "已超过撤销时限" in response.content.decode()


def test_it_refuses_to_undo_when_something_happened_since(staff_client, staff, issue):
    with time_machine.travel(T0 + timedelta(minutes=5), tick=False) as clock:
        resolve(staff_client, issue)
        token = undo_token(staff_client)
        clock.shift(timedelta(seconds=3))
        services.add_followup(
            issue, by=staff, now=T0 + timedelta(minutes=5, seconds=3), kind="note", note="居民来电致谢"
        )
        count = issue.followups.count()
        response = staff_client.post(reverse("issues:issue_undo", args=[issue.pk]), {"token": token}, follow=True)
    issue.refresh_from_db()
    assert issue.status == IssueStatus.RESOLVED
    assert issue.followups.count() == count
    assert "此后事项已有新的变动" in response.content.decode()


def test_it_undoes_not_our_duty_within_10_seconds(staff_client, issue):
    with time_machine.travel(T0 + timedelta(minutes=5), tick=False):
        staff_client.post(reverse("issues:issue_not_ours", args=[issue.pk]), {"note": "属于物业职责"})
        staff_client.post(reverse("issues:issue_undo", args=[issue.pk]), {"token": undo_token(staff_client)})
    issue.refresh_from_db()
    assert (issue.status, issue.closed_at) == (IssueStatus.IN_PROGRESS, None)


def test_it_offers_no_undo_for_a_step_without_a_true_reverse(staff_client, staff, issue):
    issue.resolve(by=staff, now=T0, result="fixed", note="已换灯泡")
    with time_machine.travel(T0 + timedelta(minutes=5), tick=False):
        response = staff_client.post(
            reverse("issues:issue_callback", args=[issue.pk]), {"satisfaction": "satisfied", "method": "phone"}
        )
        page = staff_client.get(response.url).content.decode()
    issue.refresh_from_db()
    assert issue.status == IssueStatus.CLOSED
    assert "undo" not in staff_client.session
    assert reverse("issues:issue_undo", args=[issue.pk]) not in page


def test_it_refuses_a_forged_token_and_changes_nothing(staff_client, issue):
    with time_machine.travel(T0 + timedelta(minutes=5), tick=False):
        resolve(staff_client, issue)
        staff_client.post(reverse("issues:issue_undo", args=[issue.pk]), {"token": "forged"})
    issue.refresh_from_db()
    assert issue.status == IssueStatus.RESOLVED


def test_it_refuses_another_users_undo(staff_client, secretary_client, secretary, staff, issue, login):
    with time_machine.travel(T0 + timedelta(minutes=5), tick=False):
        resolve(login(staff), issue)
        token = undo_token(staff_client)
        login(secretary).post(reverse("issues:issue_undo", args=[issue.pk]), {"token": token})
    issue.refresh_from_db()
    assert issue.status == IssueStatus.RESOLVED


def test_it_gives_an_outsider_404_on_undo(login, outsider, issue):
    response = login(outsider).post(reverse("issues:issue_undo", args=[issue.pk]), {"token": "x"})
    assert response.status_code == 404
    issue.refresh_from_db()
    assert issue.status == IssueStatus.IN_PROGRESS


def test_it_accepts_only_post_for_undo(staff_client, issue):
    assert staff_client.get(reverse("issues:issue_undo", args=[issue.pk])).status_code == 405
