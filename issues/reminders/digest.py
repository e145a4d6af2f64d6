"""What the daily digest says of the 民情日记 for one person: their items that need them today."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.db.models import F, QuerySet, Window
from django.db.models.functions import RowNumber
from django.utils import timezone
from django.utils.translation import gettext as _

from issues.models.choices import CLOCK_RUNNING_STATES, IssueStatus
from issues.models.issue import Issue
from issues.models.reminder import ReminderSettings, local_at
from residents.models.community import Community
from residents.selectors import staff_memberships

#: How many items a section of the digest names.
DIGEST_ITEMS = 10

#: A digest not yet sent holds back an item's own 今日到期 bell only when it is about to go out:
#: due within DIGEST_AHEAD of the sweep (an 8:30 digest seen from the 8:00 sweep), or late by no
#: more than DIGEST_LATE (a sweep or two behind). A later digest (18:00) or one that keeps failing
#: would leave the owner without the reminder for hours: the bell rings instead.
DIGEST_AHEAD = timedelta(hours=1)
DIGEST_LATE = timedelta(minutes=30)


def _due_today(items: QuerySet[Issue], now: datetime) -> QuerySet[Issue]:
    """The "Due today" section's items at ``now``: clock running, due from now to midnight."""
    day_end = local_at(timezone.localtime(now).date() + timedelta(days=1), time(0, 0))
    return items.filter(status__in=CLOCK_RUNNING_STATES, due_at__gte=now, due_at__lt=day_end)


def item_sections(community: Community, user, now: datetime) -> list[tuple[str, list[str]]]:
    """Overdue, due today, promised by today and to call back: up to ten items a section."""
    issues = Issue.objects.in_community(community).select_related("room__unit__building", "building", "category")
    today = timezone.localtime(now).date()
    day_end = local_at(today + timedelta(days=1), time(0, 0))
    mine = issues.filter(owner=user)
    sections = [
        (_("Overdue"), mine.overdue(now)),
        (_("Due today"), _due_today(mine, now)),
        (_("Partner promised by today"), mine.filter(status=IssueStatus.WAITING, promised_at__lt=day_end)),
        (_("To call back"), mine.filter(status=IssueStatus.RESOLVED)),
    ]
    lines = []
    for heading, queryset in sections:
        items = [f"{i.code} {i.place_label} {i.category or ''}".strip() for i in queryset[:DIGEST_ITEMS]]
        if items:
            lines.append((str(heading), items))
    return lines


def due_today_in_digest(rules: ReminderSettings, now: datetime) -> set[int]:
    """The items that their owner's digest of ``now``'s day lists under "Due today": each item
    shows once, so their own 今日到期 reminder is not also put on the owner's bell (the sweep,
    issues.reminders.triggers). One query, on the open items' partial index.

    A digest still to come lists what is due from its time on (or from ``now``, the sweep that
    sends it being late); it counts only when due within DIGEST_AHEAD of ``now`` and not more
    than DIGEST_LATE behind it, else no item is held back. A digest already sent (a digest time
    before the 8:00 reminder) listed the items that have not changed since: one logged or edited
    (or its due date moved) after it may not be in it and rings the bell as before. Only the
    owners who get a digest (staff_memberships, as fuhai.digest) and their first DIGEST_ITEMS
    items, in the digest's order, count."""
    today = timezone.localtime(now).date()
    digest_at = local_at(today, rules.digest_time)
    sent = rules.last_digest_on is not None and rules.last_digest_on >= today
    if not sent and not (now - DIGEST_LATE <= digest_at <= now + DIGEST_AHEAD):
        return set()
    items = Issue.objects.filter(
        community_id=rules.community_id,
        owner__in=staff_memberships(rules.community_id).values("user_id"),
    )
    if sent:
        items = _due_today(items, digest_at).filter(updated_at__lte=digest_at)
    else:
        items = _due_today(items, max(digest_at, now))
    ranked = items.annotate(
        rank=Window(RowNumber(), partition_by=[F("owner_id")], order_by=[F("received_at").desc(), F("id").desc()])
    )
    return set(ranked.filter(rank__lte=DIGEST_ITEMS).values_list("pk", flat=True))
