"""The 8:30 digest reaches every staff member with something to do: items, overdue visits, tasks."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from fuhai.digest import send_digests
from issues.models.reminder import Reminder, ReminderKind
from tests.factories import ResidentFactory, SpecialStatusFactory, TaskFactory


@pytest.fixture
def eight():
    return datetime(2026, 11, 30, 8, 5, tzinfo=ZoneInfo("Asia/Shanghai"))  # a Monday


def digest_of(user) -> Reminder | None:
    return Reminder.objects.filter(kind=ReminderKind.DIGEST, notifications__recipient=user).first()


def overdue_visit(community, staff, today: date, name="王秀英"):
    resident = ResidentFactory(community=community, name=name)
    status = SpecialStatusFactory(resident=resident, responsible=staff, valid_from=today - timedelta(days=30))
    assert status.next_due_on < today
    return status


def test_it_sends_a_digest_to_staff_whose_only_work_is_an_overdue_visit(community, staff, eight):
    overdue_visit(community, staff, timezone.localdate(eight))
    send_digests(now=eight)
    assert "王**" in digest_of(staff).body


def test_it_keeps_the_full_name_of_the_visited_resident_out_of_the_digest(community, staff, eight):
    overdue_visit(community, staff, timezone.localdate(eight))
    send_digests(now=eight)
    assert "王秀英" not in digest_of(staff).body


def test_it_sends_a_digest_to_staff_whose_only_work_is_a_task_today(community, staff, eight):
    TaskFactory(community=community, assignee=staff, day=timezone.localdate(eight), title="给3号楼送灭火毯")
    send_digests(now=eight)
    assert "给3号楼送灭火毯" in digest_of(staff).body


def test_it_leaves_out_a_task_of_another_day(community, staff, eight):
    TaskFactory(community=community, assignee=staff, day=timezone.localdate(eight) - timedelta(days=1))
    send_digests(now=eight)
    assert digest_of(staff) is None


def test_it_leaves_out_a_visit_someone_else_is_responsible_for(community, staff, secretary, eight):
    overdue_visit(community, secretary, timezone.localdate(eight))
    send_digests(now=eight)
    assert digest_of(staff) is None
