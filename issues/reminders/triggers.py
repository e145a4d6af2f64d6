"""The 民情日记's own reminder sources: items (by due date, promise and callback) and the
morning meeting's tasks left unfinished at the end of their day."""

from __future__ import annotations

from datetime import datetime

from django.contrib.auth import get_user_model
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from issues.models.category import IssueCategory
from issues.models.clock import IssueClock
from issues.models.issue import Issue
from issues.models.partner import Partner, PartnerContact
from issues.models.reminder import ReminderKind, ReminderSettings, memoized
from issues.models.task import Task, TaskStatus
from issues.reminders.digest import due_today_in_digest
from issues.reminders.sweep import (
    NewReminder,
    SweepResult,
    claim_due,
    label_of,
    link_to,
    reminder_source,
    secretaries,
)
from issues.services import carry_over_tasks
from residents.masking import mask_numbers_in_text
from residents.models.place import Building, Room, Unit


def _issues_due(now: datetime) -> list:
    return [IssueClock.objects.filter(next_reminder_at__lte=now).order_by("next_reminder_at")]


@reminder_source(order=10, due=_issues_due)
def sweep_issues(*, now: datetime, result: SweepResult | None = None) -> SweepResult:
    """Items of the 民情日记: due tomorrow, due today, overdue, on the meeting, promised, callback.

    On PostgreSQL the batch is claimed and read by one hand-written statement into plain
    objects (:func:`_claim_clocks`); elsewhere by the ORM, as model instances."""
    postgres = connection.vendor == "postgresql"
    queryset = IssueClock.objects.select_related(
        "issue__owner",
        "issue__category",
        "issue__room__unit__building",
        "issue__building",
        "issue__partner",
        "issue__partner_contact__partner",
    )
    return claim_due(
        queryset,  # claimed through it only elsewhere: on PostgreSQL read() claims
        now=now,
        prepare=lambda clock: _remind_issue(clock, now),
        fields=("reminded_until", "next_reminder_at"),
        result=result or SweepResult(),
        label="issue",
        lock=("self", "issue"),
        then=_put_on_meeting,
        read=_claim_clocks if postgres else None,
    )


class _Item:
    """What an item's reminder is made of, read with its clock in the claim's one query: plain
    attributes, no model instances. ``place_label``, ``category`` and ``partner`` are the
    texts that the model's ``place_label`` and ``str()`` give (tests/issues/test_sweep_batches.py
    compares them); the triggers are the model's own :meth:`Issue.reminder_triggers`."""

    __slots__ = (
        "category",
        "code",
        "community_id",
        "due_at",
        "on_meeting_since",
        "owner",
        "partner",
        "partner_contact",
        "pk",
        "place_label",
        "promised_at",
        "resolved_at",
        "status",
        "text",
    )
    _meta = Issue._meta  # what ContentType.objects.get_for_model() reads: the reminder's subject is an Issue
    reminder_triggers = Issue.reminder_triggers

    def __init__(self, values: tuple) -> None:
        (
            self.pk,
            self.community_id,
            self.status,
            self.due_at,
            self.promised_at,
            self.resolved_at,
            self.on_meeting_since,
            self.code,
            self.text,
            self.owner,  # the owner's id until _claim_clocks puts the user in its place
            place_text,
            room_no,
            unit_no,
            room_building_no,
            building_no,
            self.category,
            self.partner,
            contact,
            contact_partner,
        ) = values
        if room_no is not None:
            self.place_label = f"{room_building_no}号楼{unit_no}单元{room_no}"
        elif building_no is not None:
            self.place_label = f"{building_no}号楼 {place_text}".strip() if place_text else f"{building_no}号楼"
        else:
            self.place_label = place_text
        self.partner_contact = f"{contact}（{contact_partner}）" if contact is not None else None


class _Clock:
    """A claimed IssueClock: its pk, the two columns the sweep moves on, and its item."""

    __slots__ = ("issue", "meeting_from", "next_reminder_at", "pk", "reminded_until")

    def __init__(self, pk, reminded_until, issue: _Item) -> None:
        self.pk, self.reminded_until, self.issue = pk, reminded_until, issue
        self.next_reminder_at = self.meeting_from = None


def _claim_sql() -> str:
    """Lock up to %s due clocks and their items (an item being edited is skipped: SKIP LOCKED)
    and read what their reminders need, in one statement.

    Its joins are written in the order they run: the due clocks off their index, each one's
    item, then every lookup by primary key (the contact and its partner as one parenthesised
    join, so that one probe finds both). :func:`_claim_clocks` runs it with
    ``join_collapse_limit = 1``: left to search the orders of nine tables, the planner spent
    10 ms of every batch planning a statement that runs in 6 (issue 15, P6)."""

    def table(model) -> str:
        return connection.ops.quote_name(model._meta.db_table)

    return (
        "SELECT c.issue_id, c.reminded_until, i.id, i.community_id, i.status, i.due_at, i.promised_at, "
        "i.resolved_at, i.on_meeting_since, i.code, i.text, i.owner_id, i.place_text, "
        "r.room_no, u.number, rb.number, b.number, cat.name, p.name, pc.name, pcp.name "
        f"FROM {table(IssueClock)} c JOIN {table(Issue)} i ON i.id = c.issue_id "
        f"LEFT JOIN {table(Room)} r ON r.id = i.room_id LEFT JOIN {table(Unit)} u ON u.id = r.unit_id "
        f"LEFT JOIN {table(Building)} rb ON rb.id = u.building_id "
        f"LEFT JOIN {table(Building)} b ON b.id = i.building_id "
        f"LEFT JOIN {table(IssueCategory)} cat ON cat.id = i.category_id "
        f"LEFT JOIN {table(Partner)} p ON p.id = i.partner_id "
        f"LEFT JOIN ({table(PartnerContact)} pc JOIN {table(Partner)} pcp ON pcp.id = pc.partner_id) "
        "ON pc.id = i.partner_contact_id "
        "WHERE c.next_reminder_at <= %s ORDER BY c.next_reminder_at LIMIT %s FOR UPDATE OF c, i SKIP LOCKED"
    )


def _claim_clocks(now: datetime, limit: int) -> list[_Clock]:
    """The batch's clocks and items as plain objects, their owners read in one query (once per
    sweep each)."""
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL join_collapse_limit = 1")  # the batch's transaction; reset below
        cursor.execute(memoized(("sql", "claim issues"), _claim_sql), [now, limit])
        rows = cursor.fetchall()
        cursor.execute("SET LOCAL join_collapse_limit TO DEFAULT")
    clocks = [_Clock(pk, reminded_until, _Item(item)) for pk, reminded_until, *item in rows]
    owners = memoized(("users",), dict)
    missing = {clock.issue.owner for clock in clocks} - owners.keys() - {None}
    if missing:
        owners |= get_user_model().objects.in_bulk(missing)
    for clock in clocks:
        clock.issue.owner = owners.get(clock.issue.owner)
    return clocks


def _put_on_meeting(clocks: list[IssueClock]) -> None:
    """The items whose reminder this batch was the meeting's go on the morning meeting: the
    only time the sweep writes the item's own row."""
    meeting = {}
    for clock in clocks:
        if getattr(clock, "meeting_from", None):
            meeting.setdefault(clock.meeting_from, []).append(clock.pk)
    for day, pks in meeting.items():
        Issue.objects.filter(pk__in=pks, on_meeting_since__isnull=True).update(on_meeting_since=day)


def _remind_issue(clock: IssueClock, now: datetime) -> NewReminder | None:
    """The item's reminder, if one has come, and its clock moved on (in memory)."""
    issue = clock.issue
    rules = ReminderSettings.rules_for(issue.community_id)
    after = clock.reminded_until
    # One pass over the triggers: the latest that has come since the last sweep (only the most
    # advanced stage: nobody needs "due tomorrow" for an item already overdue; the first of
    # equals), and the earliest still to come, what Issue.next_trigger_time(now) gives.
    latest = next_at = None
    for kind, at in issue.reminder_triggers(rules):
        if at > now:
            if next_at is None or at < next_at:
                next_at = at
        elif (after is None or at > after) and (latest is None or at > latest[1]):
            latest = (kind, at)
    new = None
    if latest:
        kind, at = latest
        new = _issue_reminder(issue, kind, at, now)
        if kind == ReminderKind.OVERDUE_MEETING and issue.on_meeting_since is None:
            clock.meeting_from = timezone.localtime(now).date()
    clock.reminded_until = now
    clock.next_reminder_at = next_at
    return new


#: The kinds that go to the item's owner (the secretary hears of them only when there is none).
_OWNER_KINDS = frozenset(
    {ReminderKind.DUE_TOMORROW, ReminderKind.DUE_TODAY, ReminderKind.PROMISE_DUE, ReminderKind.CALLBACK_DUE}
)

#: The kinds the secretary hears of as well as the owner.
_LATE_KINDS = frozenset({ReminderKind.OVERDUE, ReminderKind.OVERDUE_MEETING})


def _issue_reminder(issue: Issue, kind: str, at: datetime, now: datetime) -> NewReminder:
    """The item's reminder of ``kind`` falling due ``at``, written by the sweep of ``now``."""
    recipients = []
    if kind in _OWNER_KINDS or kind == ReminderKind.OVERDUE:
        recipients = [issue.owner] if issue.owner else []
    if kind == ReminderKind.DUE_TODAY and issue.owner and _in_owners_digest(issue, now):
        # Each thing once, as an overdue visit (fuhai.digest.visit_reminders): the owner reads it
        # in the digest's 今日到期. The reminder is still written, for the WeCom group.
        recipients = []
    elif kind in _LATE_KINDS or not recipients:
        recipients += [u for u in secretaries(issue.community_id) if u not in recipients]
    where = issue.place_label or str(issue.category or "")
    what = label_of(kind)
    title = f"{issue.code} {where}：{what}"
    partner = issue.partner_contact or issue.partner
    body = mask_numbers_in_text(issue.text)[:80]  # mask first: a cut must not leave half a number bare
    if kind == ReminderKind.PROMISE_DUE and partner:
        body = _("Call %(partner)s about: %(text)s") % {"partner": partner, "text": body}
    return NewReminder(
        community_id=issue.community_id,
        subject=issue,
        kind=kind,
        due_at=at,
        title=title,
        body=body,
        link=link_to("issues:issue_detail", issue.pk),
        recipients=recipients,
        to_group=kind != ReminderKind.DIGEST,
    )


def _in_owners_digest(issue: Issue, now: datetime) -> bool:
    """Whether the owner's digest of today lists the item under "Due today": read once per
    community and sweep (issues.reminders.digest.due_today_in_digest), and only for an item
    not yet late: a digest's 今日到期 lists none that is."""
    if issue.due_at is None or issue.due_at < now:
        return False
    listed = memoized(
        ("due today in digest", issue.community_id),
        lambda: due_today_in_digest(ReminderSettings.rules_for(issue.community_id), now),
    )
    return issue.pk in listed


def _tasks_due(now: datetime) -> list:
    return [
        Task.objects.filter(next_reminder_at__lte=now).order_by("next_reminder_at"),
        Task.objects.unfinished().filter(day__lt=timezone.localdate(now), carried_to__isnull=True),
    ]


@reminder_source(order=20, due=_tasks_due)
def sweep_tasks(*, now: datetime, result: SweepResult | None = None) -> SweepResult:
    """Tasks still unfinished at the end of their day remind their assignee (once per task and
    day), then unfinished tasks of past days are carried over to today."""

    def prepare(task) -> NewReminder | None:
        new = _task_reminder(task) if task.status != TaskStatus.DONE else None
        task.next_reminder_at = None
        return new

    result = claim_due(
        Task.objects.select_related("assignee"),
        now=now,
        prepare=prepare,
        fields=("next_reminder_at",),
        result=result or SweepResult(),
        label="task",
    )
    carry_over_tasks(now=now)
    return result


def _task_reminder(task) -> NewReminder:
    recipients = [task.assignee] if task.assignee else secretaries(task.community_id)
    return NewReminder(
        community_id=task.community_id,
        subject=task,
        kind=ReminderKind.OVERDUE,
        due_at=task.next_reminder_at,
        title=_("Task not finished today: %(title)s") % {"title": mask_numbers_in_text(task.title)[:150]},
        body=_("It is carried over to tomorrow's morning meeting."),
        link=reverse("board"),
        recipients=recipients,
        to_group=False,
    )
