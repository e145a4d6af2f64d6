"""Logging a dispatched 12345 case: an item of the 民情日记 with its city record beside it."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import Q

from issues import services
from issues.hotline.models import HostRole, HotlineCase, HotlineSettings, HotlineUrgency
from issues.models.choices import IssueChannel, Urgency
from residents.models.community import Community
from residents.places import Place, match_reporter

if TYPE_CHECKING:
    from django.contrib.auth.models import User


def log_case(
    *,
    community: Community,
    by: User,
    now: datetime,
    case_no: str,
    dispatched_at: datetime,
    text: str,
    request_type: str,
    urgency: str = HotlineUrgency.NORMAL,
    role: str = HostRole.MAIN,
    caller_name: str = "",
    caller_phone: str = "",
    place=None,
    category=None,
    owner=None,
    response_deadline: datetime | None = None,
    resolution_deadline: datetime | None = None,
) -> HotlineCase:
    """A dispatched case becomes an item of the 民情日记 (channel 12345) with its city record.
    A repeat of an earlier case (same caller, or same place and category) is linked."""

    rules = HotlineSettings.for_community(community.pk)
    default_response, default_resolution = rules.deadlines(dispatched_at, urgency)
    place = place or Place()
    category = category or services.suggest_category(community, text)
    earlier = HotlineCase.objects.in_community(community).order_by("-dispatched_at")
    condition = Q(caller_phone=caller_phone) if caller_phone else Q(pk__in=[])
    if category and (place.room or place.building):
        same_place = Q(issue__room=place.room) if place.room else Q(issue__building=place.building)
        condition |= same_place & Q(issue__category=category)
    with transaction.atomic():
        repeat_of = earlier.filter(condition).first()
        issue = services.log_issue(
            community=community,
            by=by,
            now=now,
            text=text,
            channel=IssueChannel.HOTLINE,
            received_at=dispatched_at,
            reporter=match_reporter(community, caller_name),
            reporter_name=caller_name,
            place=place,
            category=category,
            urgency=Urgency.URGENT if urgency == HotlineUrgency.URGENT else Urgency.KEY,
            owner=owner,
        )
        issue.due_at = resolution_deadline or default_resolution
        issue.save()
        return HotlineCase.objects.create(
            issue=issue,
            community=community,
            case_no=case_no,
            request_type=request_type,
            role=role,
            urgency=urgency,
            caller_name=caller_name,
            caller_phone=caller_phone,
            dispatched_at=dispatched_at,
            response_deadline=response_deadline or default_response,
            resolution_deadline=resolution_deadline or default_resolution,
            repeat_of=repeat_of,
        )
