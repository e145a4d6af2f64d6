"""Project milestones as a reminder source: the morning before the partner's promised date, and
the morning after it if the milestone is still not done. The person in charge hears of it (the
secretary when nobody is in charge); a done milestone or a finished project has no clock."""

from __future__ import annotations

from datetime import datetime

from django.utils.translation import gettext as _

from issues.models.reminder import ReminderKind, ReminderSettings
from issues.projects.models import Milestone, milestone_triggers
from issues.reminders.sweep import NewReminder, SweepResult, claim_due, label_of, link_to, reminder_source, secretaries


def _milestones_due(now: datetime) -> list:
    return [Milestone.objects.filter(next_reminder_at__lte=now).order_by("next_reminder_at")]


@reminder_source(order=40, due=_milestones_due)
def sweep_milestones(*, now: datetime, result: SweepResult | None = None) -> SweepResult:
    """Milestones due tomorrow or past their promised date, once per (milestone, kind, due time)."""

    def prepare(milestone: Milestone) -> NewReminder | None:
        after = milestone.reminded_until
        new = None
        if not milestone.done_on and milestone.project.is_active:
            due = [
                (kind, at)
                for kind, at in milestone_triggers(milestone.promised_on)
                if (after is None or at > after) and at <= now
            ]
            if due:
                # Only the most advanced: nobody needs "due tomorrow" for a milestone already late.
                kind, at = max(due, key=lambda pair: pair[1])
                if kind != ReminderKind.DUE_TOMORROW or _day_before_wanted(milestone):
                    new = _milestone_reminder(milestone, kind, at)
        milestone.reminded_until = now
        milestone.next_reminder_at = milestone.next_trigger(now)
        return new

    return claim_due(
        Milestone.objects.select_related("project__owner", "project__partner"),
        now=now,
        prepare=prepare,
        fields=("reminded_until", "next_reminder_at"),
        result=result or SweepResult(),
        label="milestone",
    )


def _day_before_wanted(milestone: Milestone) -> bool:
    return ReminderSettings.rules_for(milestone.project.community_id).remind_day_before


def _milestone_reminder(milestone: Milestone, kind: str, at: datetime) -> NewReminder:
    project = milestone.project
    recipients = [project.owner] if project.owner else secretaries(project.community_id)
    body = _("Promised by %(partner)s for %(date)s.") % {
        "partner": project.partner or _("the partner"),
        "date": milestone.promised_on.strftime("%m-%d"),
    }
    return NewReminder(
        community_id=project.community_id,
        subject=milestone,
        kind=kind,
        due_at=at,
        title=f"{project.title} · {milestone.title}：{label_of(kind)}"[:200],
        body=body,
        link=link_to("issues:project_detail", project.pk),
        recipients=recipients,
    )
