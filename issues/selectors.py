"""Reads of the issues app that other apps and the project pages use."""

from issues.models import Partner
from residents.models import Community


def partner_count(community: Community) -> int:
    return Partner.objects.in_community(community).filter(is_active=True).count()


def home_summary(community: Community, user, now) -> dict:
    """What the home page shows one person: their open items by urgency, and the office's."""
    from django.db.models import Count, Q

    from issues.hotline import HotlineCase
    from issues.models import OPEN_STATES, Issue, Status

    issues = Issue.objects.in_community(community)
    counts = issues.aggregate(
        open=Count("id", filter=Q(status__in=OPEN_STATES)),
        pending=Count("id", filter=Q(status=Status.PENDING)),
        overdue=Count("id", filter=Q(status__in=[Status.PENDING, Status.IN_PROGRESS], due_at__lt=now)),
        escalated=Count("id", filter=Q(status__in=OPEN_STATES, escalated=True)),
        callbacks=Count("id", filter=Q(status=Status.RESOLVED)),
    )
    mine = (
        issues.filter(owner=user, status__in=OPEN_STATES | {Status.RESOLVED})
        .select_related("category", "room__unit__building", "building")
        .order_by("due_at")[:8]
    )
    hotline_open = (
        HotlineCase.objects.in_community(community)
        .filter(issue__status__in=OPEN_STATES)
        .select_related("issue")
        .order_by("resolution_deadline")[:5]
    )
    return {"counts": counts, "mine": list(mine), "hotline": list(hotline_open)}
