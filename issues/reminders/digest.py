"""What the daily digest says of the 民情日记 for one person: their items that need them today."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.utils import timezone
from django.utils.translation import gettext as _

from issues.models.choices import CLOCK_RUNNING_STATES, IssueStatus
from issues.models.issue import Issue
from issues.models.reminder import local_at
from residents.models.community import Community


def item_sections(community: Community, user, now: datetime) -> list[tuple[str, list[str]]]:
    """Overdue, due today, promised by today and to call back: up to ten items a section."""
    issues = Issue.objects.in_community(community).select_related("room__unit__building", "building", "category")
    today = timezone.localtime(now).date()
    day_end = local_at(today + timedelta(days=1), time(0, 0))
    mine = issues.filter(owner=user)
    sections = [
        (_("Overdue"), mine.overdue(now)),
        (
            _("Due today"),
            mine.filter(status__in=CLOCK_RUNNING_STATES, due_at__gte=now, due_at__lt=day_end),
        ),
        (_("Partner promised by today"), mine.filter(status=IssueStatus.WAITING, promised_at__lt=day_end)),
        (_("To call back"), mine.filter(status=IssueStatus.RESOLVED)),
    ]
    lines = []
    for heading, queryset in sections:
        items = [f"{i.code} {i.place_label} {i.category or ''}".strip() for i in queryset[:10]]
        if items:
            lines.append((str(heading), items))
    return lines
