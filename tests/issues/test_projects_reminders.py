"""Project milestones in the one sweep: the morning before the partner's promised date and the
morning after it, to the person in charge (the secretary when nobody is), once per due time;
a done milestone or a finished project reminds nobody."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from issues.models.reminder import Notification, Reminder, ReminderKind
from issues.projects.models import Milestone, Project
from issues.reminders.sweep import run_sweep
from tests.factories import PartnerFactory

TZ = ZoneInfo("Asia/Shanghai")
CREATED = datetime(2026, 12, 1, 9, 0, tzinfo=TZ)
PROMISED = CREATED.date() + timedelta(days=9)  # Thursday 10 December
DAY_BEFORE = datetime(2026, 12, 9, 8, 1, tzinfo=TZ)
DAY_AFTER = datetime(2026, 12, 11, 8, 1, tzinfo=TZ)


@pytest.fixture
def project(community, staff, secretary):
    return Project.objects.create(
        community=community,
        title="北门文化墙",
        partner=PartnerFactory(community=community, kind="design", name="京华文化墙设计工作室"),
        owner=staff,
        started_on=CREATED.date(),
        created_by=secretary,
        created_at=CREATED,
    )


@pytest.fixture
def milestone(project):
    milestone = Milestone(project=project, title="挂装安全检查", promised_on=PROMISED, created_at=CREATED)
    milestone.start_clock(CREATED)
    milestone.save()
    return milestone


def reminders():
    return list(Reminder.objects.order_by("due_at").values_list("kind", "due_at", "title"))


def test_it_reminds_the_person_in_charge_the_morning_before_once(milestone, staff, secretary):
    run_sweep(now=DAY_BEFORE)
    run_sweep(now=DAY_BEFORE + timedelta(minutes=1))
    assert reminders() == [
        (ReminderKind.DUE_TOMORROW, datetime(2026, 12, 9, 8, 0, tzinfo=TZ), "北门文化墙 · 挂装安全检查：明天到期")
    ]
    assert list(Notification.objects.values_list("recipient", flat=True)) == [staff.pk]


def test_it_reminds_once_when_the_promised_date_has_passed(milestone, staff):
    run_sweep(now=DAY_BEFORE)
    run_sweep(now=DAY_AFTER)
    run_sweep(now=DAY_AFTER + timedelta(hours=3))
    assert [kind for kind, _at, _title in reminders()] == [ReminderKind.DUE_TOMORROW, ReminderKind.OVERDUE]
    milestone.refresh_from_db()
    assert milestone.next_reminder_at is None


def test_it_reminds_the_secretary_when_nobody_is_in_charge(project, milestone, secretary):
    project.owner = None
    project.save()
    run_sweep(now=DAY_AFTER)
    assert reminders()[0][0] == ReminderKind.OVERDUE  # the most advanced stage only
    assert list(Notification.objects.values_list("recipient", flat=True)) == [secretary.pk]


def test_it_does_not_remind_of_a_done_milestone(milestone):
    milestone.mark_done(on=CREATED.date() + timedelta(days=3), now=CREATED + timedelta(days=3))
    run_sweep(now=DAY_BEFORE)
    run_sweep(now=DAY_AFTER)
    assert reminders() == []


def test_it_does_not_remind_once_the_project_is_finished(project, milestone, staff):
    project.finish(by=staff, now=CREATED + timedelta(days=2))
    run_sweep(now=DAY_AFTER)
    assert reminders() == []


def test_a_moved_promise_reminds_again_for_the_new_date(milestone):
    run_sweep(now=DAY_BEFORE)
    milestone.move_promise(to=PROMISED + timedelta(days=5), now=DAY_BEFORE + timedelta(hours=2))
    run_sweep(now=DAY_AFTER)  # the old date has passed: no "overdue" for it
    run_sweep(now=datetime(2026, 12, 14, 8, 1, tzinfo=TZ))
    assert [(kind, at.date().isoformat()) for kind, at, _title in reminders()] == [
        (ReminderKind.DUE_TOMORROW, "2026-12-09"),
        (ReminderKind.DUE_TOMORROW, "2026-12-14"),
    ]
