"""The 8:30 digest reaches every staff member with something to do: items, overdue visits, tasks."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import timezone

from fuhai.digest import send_digests
from issues.models.choices import IssueStatus
from issues.models.clock import IssueClock
from issues.models.issue import Issue
from issues.models.reminder import Notification, Reminder, ReminderKind, ReminderSettings
from issues.reminders.sweep import run_sweep
from tests.factories import IssueFactory, ResidentFactory, SpecialStatusFactory, TaskFactory


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


def test_it_lists_a_resident_never_visited_as_overdue_only_after_one_interval(community, staff, eight):
    """A resident who became special three days ago (every 7 days) was listed under 逾期走访."""
    today = timezone.localdate(eight)
    recent = ResidentFactory(community=community, name="李桂兰")
    SpecialStatusFactory(resident=recent, responsible=staff, valid_from=today - timedelta(days=3))
    overdue_visit(community, staff, today)
    send_digests(now=eight)
    body = digest_of(staff).body
    assert "王**" in body and "李**" not in body


def test_it_leaves_out_a_visit_someone_else_is_responsible_for(community, staff, secretary, eight):
    overdue_visit(community, secretary, timezone.localdate(eight))
    send_digests(now=eight)
    assert digest_of(staff) is None


def test_one_communitys_failing_digest_costs_the_others_nothing(
    community, other_community, staff, eight, monkeypatch, caplog
):
    """All due communities were written in one transaction: one that raised rolled back every
    community's digest, and the sweep's deliveries, every minute (found in review). Now the
    others are sent and the failing one is tried again at the next sweep."""
    from fuhai import digest
    from issues.models.reminder import ReminderSettings
    from issues.reminders.sweep import run_sweep
    from residents.models.community import Role
    from tests.factories import MembershipFactory

    elsewhere = MembershipFactory(community=other_community, role=Role.STAFF).user
    for who, where in ((staff, community), (elsewhere, other_community)):
        TaskFactory(community=where, assignee=who, day=timezone.localdate(eight), title="送灭火毯")
    composed = digest._digests_for

    def breaks_for_ours(community_, now):
        if community_.pk == community.pk:
            raise RuntimeError("a bad row of this community")
        return composed(community_, now)

    monkeypatch.setattr(digest, "_digests_for", breaks_for_ours)
    result = run_sweep(now=eight)  # the whole sweep goes on: nothing escapes
    assert result.digests == 1 and digest_of(elsewhere) is not None and digest_of(staff) is None
    assert "daily digest of community" in caplog.text
    sent = dict(ReminderSettings.objects.values_list("community_id", "last_digest_on"))
    assert sent == {other_community.pk: timezone.localdate(eight), community.pk: None}  # tried again
    monkeypatch.setattr(digest, "_digests_for", composed)
    assert run_sweep(now=eight + timedelta(minutes=1)).digests == 1 and digest_of(staff) is not None


def test_a_digest_the_database_refuses_is_written_again_a_community_at_a_time(
    community, other_community, staff, eight, monkeypatch
):
    from fuhai import digest
    from residents.models.community import Role
    from tests.factories import MembershipFactory

    elsewhere = MembershipFactory(community=other_community, role=Role.STAFF).user
    for who, where in ((staff, community), (elsewhere, other_community)):
        TaskFactory(community=where, assignee=who, day=timezone.localdate(eight), title="送灭火毯")
    write = digest.write_reminders

    def refuses_ours(new, *, now):
        if any(reminder.community_id == community.pk for reminder in new):
            raise ValueError("the database refused a row")
        return write(new, now=now)

    monkeypatch.setattr(digest, "write_reminders", refuses_ours)
    assert send_digests(now=eight).digests == 1
    assert digest_of(elsewhere) is not None and digest_of(staff) is None


# --- the bell shows each thing once ---------------------------------------------------------


def bell_of(user) -> list[str]:
    return list(Notification.objects.filter(recipient=user).values_list("reminder__kind", flat=True))


def test_it_names_a_resident_in_two_categories_once_in_the_digest(community, staff, eight):
    """独居 and 高龄 are two statuses of one resident: the digest said 逾期未走访：王**；王**."""
    status = overdue_visit(community, staff, timezone.localdate(eight))
    SpecialStatusFactory(resident=status.resident, responsible=staff, valid_from=status.valid_from, category="高龄")
    send_digests(now=eight)
    assert digest_of(staff).body.count("王**") == 1


def test_it_rings_the_bell_once_for_a_visit_due_of_a_resident_in_two_categories(community, staff, eight):
    resident = ResidentFactory(community=community, name="王秀英")
    today = timezone.localdate(eight)
    for category in ("独居", "高龄"):
        SpecialStatusFactory(resident=resident, responsible=staff, valid_from=today, category=category)
    send_digests(now=eight)
    assert bell_of(staff) == [ReminderKind.VISIT_DUE]


def test_it_leaves_an_overdue_visit_to_the_digest_on_its_responsibles_bell(community, staff, eight):
    """The same visit was on the bell twice each morning: its own 走访已超期 and a line of the digest."""
    overdue_visit(community, staff, timezone.localdate(eight))
    send_digests(now=eight)
    assert bell_of(staff) == [ReminderKind.DIGEST] and "王**" in digest_of(staff).body
    assert Reminder.objects.filter(kind=ReminderKind.VISIT_OVERDUE).count() == 1  # still there for the group robot


def test_it_still_rings_the_secretary_for_an_overdue_visit_nobody_is_responsible_for(community, secretary, eight):
    resident = ResidentFactory(community=community, name="王秀英")
    SpecialStatusFactory(resident=resident, valid_from=timezone.localdate(eight) - timedelta(days=30))
    send_digests(now=eight)
    assert bell_of(secretary) == [ReminderKind.VISIT_OVERDUE]


# --- an item due today: its own 今日到期 or the digest's line, not both ----------------------


def due_today(community, owner, eight, **fields):
    fields = {"received_at": eight - timedelta(days=2), "due_at": eight.replace(hour=17)} | fields
    return IssueFactory(community=community, owner=owner, status=IssueStatus.IN_PROGRESS, **fields)


def test_it_leaves_an_item_due_today_to_the_digest_on_its_owners_bell(community, staff, eight):
    """At 8:00 the item's 今日到期 and the digest's 今日到期 line were two bell entries of one item."""
    item = due_today(community, staff, eight)
    run_sweep(now=eight)
    assert bell_of(staff) == [ReminderKind.DIGEST] and item.code in digest_of(staff).body
    assert Reminder.objects.filter(kind=ReminderKind.DUE_TODAY).count() == 1  # still there for the group robot


def test_it_leaves_an_item_due_today_to_a_digest_sent_earlier_in_the_morning(community, staff, eight):
    ReminderSettings.objects.create(community=community, digest_time=time(7, 30))
    item = due_today(community, staff, eight)
    Issue.objects.filter(pk=item.pk).update(updated_at=eight - timedelta(days=1))
    IssueClock.objects.filter(issue=item).update(reminded_until=eight - timedelta(days=1))  # 明日到期 rang
    run_sweep(now=eight.replace(hour=7, minute=30))
    assert bell_of(staff) == [ReminderKind.DIGEST] and item.code in digest_of(staff).body
    run_sweep(now=eight)
    assert bell_of(staff) == [ReminderKind.DIGEST]


def test_it_rings_the_bell_for_an_item_due_today_logged_after_the_digest(community, staff, eight):
    ReminderSettings.objects.create(community=community, digest_time=time(7, 30), last_digest_on=eight.date())
    item = due_today(community, staff, eight)
    # Logged at 7:45, whatever the clock of the test run (FUHAI_TEST_CLOCK).
    Issue.objects.filter(pk=item.pk).update(updated_at=eight.replace(hour=7, minute=45))
    run_sweep(now=eight)
    assert bell_of(staff) == [ReminderKind.DUE_TODAY]


def test_it_rings_the_bell_for_an_item_moved_into_today_after_the_digest(community, staff, eight):
    """A 12345 case extended at 7:45 brings its item's due date into today after the 7:30 digest,
    which did not list it: move_due left updated_at as it was, so its 8:00 bell was held."""
    ReminderSettings.objects.create(community=community, digest_time=time(7, 30))
    item = due_today(community, staff, eight, due_at=eight + timedelta(days=3))
    Issue.objects.filter(pk=item.pk).update(updated_at=eight - timedelta(days=1))
    run_sweep(now=eight.replace(hour=7, minute=30))
    assert item.code not in (digest_of(staff).body if digest_of(staff) else "")
    with time_machine.travel(eight.replace(hour=7, minute=45), tick=False):
        Issue.objects.get(pk=item.pk).move_due(eight.replace(hour=17))
    run_sweep(now=eight.replace(hour=8, minute=0))
    assert ReminderKind.DUE_TODAY in bell_of(staff)


def test_it_rings_the_bell_for_an_item_due_today_when_the_digest_comes_in_the_evening(community, staff, eight):
    """An 18:00 digest would list an item due at 23:00: its 8:00 bell was held for ten hours."""
    ReminderSettings.objects.create(community=community, digest_time=time(18, 0))
    due_today(community, staff, eight, due_at=eight.replace(hour=23))
    run_sweep(now=eight)
    assert bell_of(staff) == [ReminderKind.DUE_TODAY]


def test_it_rings_the_bell_for_an_item_due_today_when_the_digest_is_two_hours_late(
    community, staff, eight, monkeypatch
):
    """A digest that keeps failing was counted on at every sweep: the item's bell never rang."""
    from fuhai import digest

    def fails(community_, now):
        raise RuntimeError("a bad row")

    monkeypatch.setattr(digest, "_digests_for", fails)
    ReminderSettings.objects.create(community=community, digest_time=time(6, 0))
    due_today(community, staff, eight)
    run_sweep(now=eight)
    assert bell_of(staff) == [ReminderKind.DUE_TODAY]


def test_the_eight_oclock_sweep_holds_only_what_an_eight_thirty_digest_will_list(community, staff, eight):
    ReminderSettings.objects.create(community=community, digest_time=time(8, 30))
    soon = due_today(community, staff, eight, due_at=eight.replace(hour=8, minute=15))
    later = due_today(community, staff, eight)
    run_sweep(now=eight.replace(hour=8, minute=0))
    rung = Notification.objects.filter(recipient=staff, reminder__kind=ReminderKind.DUE_TODAY)
    assert list(rung.values_list("reminder__object_id", flat=True)) == [soon.pk]
    assert digest_of(staff) is None
    run_sweep(now=eight.replace(hour=8, minute=30))
    assert list(rung.values_list("reminder__object_id", flat=True)) == [soon.pk]
    assert later.code in digest_of(staff).body


def test_it_rings_the_bell_for_an_item_due_today_beyond_the_ten_the_digest_names(community, staff, eight):
    items = [due_today(community, staff, eight, received_at=eight - timedelta(days=2, minutes=n)) for n in range(11)]
    run_sweep(now=eight)
    rung = Notification.objects.filter(recipient=staff, reminder__kind=ReminderKind.DUE_TODAY)
    assert list(rung.values_list("reminder__object_id", flat=True)) == [items[-1].pk]  # the oldest, not named


def test_it_still_rings_the_secretary_for_an_item_due_today_nobody_owns(community, secretary, eight):
    due_today(community, None, eight)
    run_sweep(now=eight)
    assert bell_of(secretary) == [ReminderKind.DUE_TODAY]
