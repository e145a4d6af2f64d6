"""The 8:30 digest reaches every staff member with something to do: items, overdue visits, tasks."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from fuhai.digest import send_digests
from issues.models.reminder import Notification, Reminder, ReminderKind
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
