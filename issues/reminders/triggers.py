"""The 民情日记's own reminder sources: items (by due date, promise and callback) and the
morning meeting's tasks left unfinished at the end of their day."""

from __future__ import annotations

from datetime import datetime

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from issues.models.issue import Issue, IssueClock
from issues.models.reminder import ReminderKind, ReminderSettings
from issues.models.task import Task, TaskStatus
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


def _issues_due(now: datetime) -> list:
    return [IssueClock.objects.filter(next_reminder_at__lte=now).order_by("next_reminder_at")]


@reminder_source(order=10, due=_issues_due)
def sweep_issues(*, now: datetime, result: SweepResult | None = None) -> SweepResult:
    """Items of the 民情日记: due tomorrow, due today, overdue, on the meeting, promised, callback."""
    queryset = IssueClock.objects.select_related(
        "issue__owner",
        "issue__category",
        "issue__room__unit__building",
        "issue__building",
        "issue__partner",
        "issue__partner_contact__partner",
    )
    return claim_due(
        queryset,
        now=now,
        prepare=lambda clock: _remind_issue(clock, now),
        fields=("reminded_until", "next_reminder_at"),
        result=result or SweepResult(),
        label="issue",
        lock=("self", "issue"),
        then=_put_on_meeting,
    )


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
    triggers = issue.reminder_triggers(rules)
    pending = [(kind, at) for kind, at in triggers if (after is None or at > after) and at <= now]
    new = None
    if pending:
        # Only the most advanced stage: nobody needs "due tomorrow" for an item already overdue.
        kind, at = max(pending, key=lambda pair: pair[1])
        new = _issue_reminder(issue, kind, at)
        if kind == ReminderKind.OVERDUE_MEETING and issue.on_meeting_since is None:
            clock.meeting_from = timezone.localtime(now).date()
    clock.reminded_until = now
    # What Issue.next_trigger_time(now) gives, without computing the triggers twice.
    clock.next_reminder_at = min((at for _kind, at in triggers if at > now), default=None)
    return new


def _issue_reminder(issue: Issue, kind: str, at: datetime) -> NewReminder:
    owner_rule = {
        ReminderKind.DUE_TOMORROW,
        ReminderKind.DUE_TODAY,
        ReminderKind.PROMISE_DUE,
        ReminderKind.CALLBACK_DUE,
    }
    recipients = []
    if kind in owner_rule or kind == ReminderKind.OVERDUE:
        recipients = [issue.owner] if issue.owner else []
    if kind in {ReminderKind.OVERDUE, ReminderKind.OVERDUE_MEETING} or not recipients:
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
