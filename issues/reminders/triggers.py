"""The 民情日记's own reminder sources: items (by due date, promise and callback) and the
morning meeting's tasks left unfinished at the end of their day."""

from __future__ import annotations

from datetime import datetime

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from issues.models.issue import Issue
from issues.models.reminder import ReminderKind, ReminderSettings, sweep_memo
from issues.models.task import Task, TaskStatus
from issues.reminders.sweep import SweepResult, claim_due, create_reminder, reminder_source, secretaries
from issues.services import carry_over_tasks
from residents.masking import mask_numbers_in_text


@reminder_source(order=10)
def sweep_issues(*, now: datetime, result: SweepResult | None = None) -> SweepResult:
    """Items of the 民情日记: due tomorrow, due today, overdue, on the meeting, promised, callback."""
    queryset = Issue.objects.select_related("community", "owner", "category", "room__unit__building", "building")
    with sweep_memo():
        return claim_due(
            queryset,
            now=now,
            handle=lambda issue: _remind_issue(issue, now),
            result=result or SweepResult(),
            label="issue",
        )


def _remind_issue(issue: Issue, now: datetime) -> int:
    rules = ReminderSettings.rules_for(issue.community_id)
    after = issue.reminded_until
    pending = [(kind, at) for kind, at in issue.reminder_triggers(rules) if (after is None or at > after) and at <= now]
    created = 0
    if pending:
        # Only the most advanced stage: nobody needs "due tomorrow" for an item already overdue.
        kind, at = max(pending, key=lambda pair: pair[1])
        created = _create_issue_reminder(issue, kind, at, now)
        if kind == ReminderKind.OVERDUE_MEETING and issue.on_meeting_since is None:
            issue.on_meeting_since = timezone.localtime(now).date()
    issue.reminded_until = now
    issue.save(update_fields=["reminded_until", "on_meeting_since"])
    return created


def _create_issue_reminder(issue: Issue, kind: str, at: datetime, now: datetime) -> int:
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
    what = str(ReminderKind(kind).label)
    title = f"{issue.code} {where}：{what}"
    partner = issue.partner_contact or issue.partner
    body = mask_numbers_in_text(issue.text)[:80]  # mask first: a cut must not leave half a number bare
    if kind == ReminderKind.PROMISE_DUE and partner:
        body = _("Call %(partner)s about: %(text)s") % {"partner": partner, "text": body}
    return create_reminder(
        community_id=issue.community_id,
        subject=issue,
        kind=kind,
        due_at=at,
        title=title,
        body=body,
        link=reverse("issues:issue_detail", args=[issue.pk]),
        recipients=recipients,
        now=now,
        to_group=kind != ReminderKind.DIGEST,
    )


@reminder_source(order=20)
def sweep_tasks(*, now: datetime, result: SweepResult | None = None) -> SweepResult:
    """Tasks still unfinished at the end of their day remind their assignee (once per task and
    day), then unfinished tasks of past days are carried over to today."""

    def handle(task) -> int:
        created = _create_task_reminder(task, now) if task.status != TaskStatus.DONE else 0
        Task.objects.filter(pk=task.pk).update(next_reminder_at=None)
        return created

    result = claim_due(
        Task.objects.select_related("assignee"), now=now, handle=handle, result=result or SweepResult(), label="task"
    )
    carry_over_tasks(now=now)
    return result


def _create_task_reminder(task, now: datetime) -> int:
    recipients = [task.assignee] if task.assignee else secretaries(task.community_id)
    return create_reminder(
        community_id=task.community_id,
        subject=task,
        kind=ReminderKind.OVERDUE,
        due_at=task.next_reminder_at,
        title=_("Task not finished today: %(title)s") % {"title": mask_numbers_in_text(task.title)[:150]},
        body=_("It is carried over to tomorrow's morning meeting."),
        link=reverse("board"),
        recipients=recipients,
        now=now,
        to_group=False,
    )
