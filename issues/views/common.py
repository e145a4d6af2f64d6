"""What every view of the 民情日记 shares: the one access helper (scoped to the community)."""

from __future__ import annotations

from datetime import date, datetime, time

from django.http import HttpRequest
from django.utils import timezone

from issues.models.issue import Issue
from residents.scoping import get_object_for


def get_issue_for(request: HttpRequest, pk: int) -> Issue:
    """The one access helper for an item: another community's item is a 404."""
    return get_object_for(request, Issue.objects.with_list_data(), pk=pk)


def end_of_day(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(18, 0)))


# --- list, export, diary -------------------------------------------------------
