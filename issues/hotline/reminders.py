"""12345 cases as a reminder source: alerts at 50 % and 80 % of the response and resolution clocks,
and when one runs out."""

from __future__ import annotations

from datetime import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from issues.hotline.models import HotlineCase, hotline_triggers, next_hotline_trigger
from issues.reminders.sweep import NewReminder, SweepResult, claim_due, label_of, link_to, reminder_source, secretaries
from residents.masking import mask_numbers_in_text


def _cases_due(now: datetime) -> list:
    return [HotlineCase.objects.filter(next_reminder_at__lte=now).order_by("next_reminder_at")]


@reminder_source(order=30, due=_cases_due)
def sweep_hotline(*, now: datetime, result: SweepResult | None = None) -> SweepResult:
    """12345 cases at 50 % and 80 % of their response and resolution time, and at the deadline."""

    def prepare(case) -> NewReminder | None:
        after = case.reminded_until
        due = [(kind, at) for kind, at in hotline_triggers(case) if (after is None or at > after) and at <= now]
        # One alert per case per sweep, the most advanced one: a sweep that finds the 50 % and
        # the 80 % alerts both passed (after a pause) must not notify the same people twice.
        new = _hotline_reminder(case, *max(due, key=lambda pair: pair[1])) if due else None
        case.reminded_until = now
        case.next_reminder_at = next_hotline_trigger(case)
        return new

    queryset = HotlineCase.objects.select_related("issue__owner", "issue__room__unit__building", "issue__building")
    return claim_due(
        queryset,
        now=now,
        prepare=prepare,
        fields=("reminded_until", "next_reminder_at"),
        result=result or SweepResult(),
        label="12345 case",
    )


def _hotline_reminder(case, kind: str, at: datetime) -> NewReminder:
    issue = case.issue
    recipients = [issue.owner] if issue.owner else []
    if not kind.endswith("_50") or not recipients:  # at 80 % and when the time is up the secretary hears too
        recipients += [u for u in secretaries(case.community_id) if u not in recipients]
    deadline = case.response_deadline if "response" in kind else case.resolution_deadline
    # The kind's label starts with 12345 already; an item without a place has no gap before the colon.
    where = " ".join(part for part in (case.case_no, issue.place_label) if part)
    title = f"{where}：{label_of(kind)}"
    body = _("Deadline %(deadline)s. %(text)s") % {
        "deadline": timezone.localtime(deadline).strftime("%m-%d %H:%M"),
        "text": mask_numbers_in_text(issue.text)[:80],  # mask first: a cut must not leave part of a number bare
    }
    return NewReminder(
        community_id=case.community_id,
        subject=case,
        kind=kind,
        due_at=at,
        title=title,
        body=body,
        link=link_to("issues:hotline_detail", case.pk),
        recipients=recipients,
    )
