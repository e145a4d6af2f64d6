"""Drafts from parsed WeChat messages: what the office would log for each, and saving a confirmed
batch in one transaction. Reads the database in a constant number of queries per batch."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone

from issues import services
from issues.models.category import IssueCategory
from issues.models.choices import FollowUpKind, IssueChannel
from issues.models.issue import Issue
from issues.models.timeline import FollowUp
from issues.services import SIMILARITY_THRESHOLD, best_category, rank_similar, text_similarity
from issues.wechat.parser import Message, messages_only, source_key
from residents.places import find_places_in_texts, match_residents, resolve_places
from residents.services import remember_nickname

if TYPE_CHECKING:
    from django.contrib.auth.models import User


@dataclass
class Draft:
    """A message with what the office would log for it, before the secretary confirms."""

    index: int
    message: Message
    key: str
    category: object = None
    place_label: str = ""
    reporter: object = None
    similar: list = field(default_factory=list)
    logged: object = None
    reported_on: object = None
    earlier_row: int | None = None
    similar_rows: list[int] = field(default_factory=list)
    place: object = None

    @property
    def done(self) -> bool:
        """Already in the log (as an item or a repeat report), or repeated within this paste."""
        return self.logged is not None or self.reported_on is not None or self.earlier_row is not None

    @property
    def is_issue(self) -> bool:
        """Ticked by default: not chit-chat and not logged before."""
        return not self.done and not self.message.is_chitchat


def received_at(message: Message, now: datetime) -> datetime:

    return timezone.make_aware(message.sent_at) if message.sent_at else now


def _similar(candidates: list, text: str, place, category, limit: int = 3) -> list:

    return rank_similar(candidates, text=text, room=place.room, building=place.building, category=category, limit=limit)


def build_drafts(community, items: list[Message], *, now: datetime) -> list[Draft]:
    """One draft per message, with suggestions, in a constant number of queries."""

    messages = messages_only(items)
    drafts = [
        Draft(index=i, message=m, key=source_key(community.pk, m.sender, m.sent_at, m.text))
        for i, m in enumerate(messages)
    ]
    if not drafts:
        return []
    categories = list(IssueCategory.objects.in_community(community).filter(is_active=True))
    labels_and_places = find_places_in_texts(community, [m.text for m in messages])
    residents = match_residents(community, {m.sender for m in messages})
    candidates = list(Issue.objects.in_community(community).open().with_list_data().order_by("-received_at")[:500])
    logged = {
        i.source_key: i for i in Issue.objects.in_community(community).filter(source_key__in=[d.key for d in drafts])
    }
    reports = list(
        FollowUp.objects.filter(
            issue__community=community, kind=FollowUpKind.REPORT, to_status="", note__in={m.text for m in messages}
        ).select_related("issue")
    )
    seen: dict[str, int] = {}
    for draft, (label, place) in zip(drafts, labels_and_places, strict=True):
        message = draft.message
        draft.place_label = label
        draft.category = best_category(categories, message.text)
        draft.reporter = residents.get(message.sender)
        draft.logged = logged.get(draft.key)
        draft.reported_on = next(
            (
                f.issue
                for f in reports
                if f.sender == message.sender
                and f.note == message.text
                and (
                    message.sent_at is None or timezone.localtime(f.received_at).replace(tzinfo=None) == message.sent_at
                )
            ),
            None,
        )
        draft.place = place
        draft.earlier_row = seen.get(draft.key)
        seen.setdefault(draft.key, draft.index)
        if not draft.done and not message.is_chitchat:
            draft.similar = _similar(candidates, message.text, place, draft.category)
            draft.similar_rows = _similar_rows(drafts[: draft.index], draft)
    return drafts


def _similar_rows(earlier: list[Draft], draft: Draft, limit: int = 2) -> list[int]:
    """Earlier messages of the same paste about the same problem (a resident writing again in
    the morning about last night's leak): the same rule as for open items."""

    found = []
    for other in reversed(earlier):
        if other.done or other.message.is_chitchat:
            continue
        place, theirs = draft.place, other.place
        same_place = (
            (place.room is not None and theirs.room == place.room)
            or (place.building is not None and theirs.building == place.building)
            or (draft.place_label != "" and other.place_label == draft.place_label)
        )
        same_category = draft.category is not None and other.category == draft.category
        if (same_place and same_category) or text_similarity(draft.message.text, other.message.text) >= (
            SIMILARITY_THRESHOLD
        ):
            found.append(other.index)
    return found[:limit]


@dataclass
class Choice:
    """What the secretary confirmed for one draft."""

    draft: Draft
    category: object = None
    place: str = ""
    reporter_name: str = ""
    repeat_of: object = None
    repeat_of_row: int | None = None


@dataclass
class SaveResult:
    created: list = field(default_factory=list)
    repeated: list = field(default_factory=list)
    skipped: int = 0
    linked: list = field(default_factory=list)


def save_batch(community, *, by: User, now: datetime, choices: list[Choice]) -> SaveResult:
    """Log the confirmed drafts in one transaction: all or nothing. A message already logged
    (same source key) or already added as a repeat report is skipped, never logged twice; a
    race with another save of the same batch ends in IntegrityError and nothing is written."""

    result = SaveResult()
    with transaction.atomic():
        keys = [c.draft.key for c in choices]
        taken = {i.source_key: i for i in Issue.objects.in_community(community).filter(source_key__in=keys)}
        by_row: dict[int, object] = {}  # what each row became, for later rows of the paste that repeat it
        places = resolve_places(community, [c.place for c in choices])
        typed = match_residents(community, {c.reporter_name.strip() for c in choices})
        for choice, place in zip(choices, places, strict=True):
            message, key = choice.draft.message, choice.draft.key
            when = received_at(message, now)
            if key in taken:
                by_row[choice.draft.index] = taken[key]
                result.skipped += 1
                continue
            target = choice.repeat_of
            if choice.repeat_of_row is not None:
                target = by_row[choice.repeat_of_row]
            name = choice.reporter_name.strip()
            reporter = typed.get(name)
            if reporter is None or reporter.name != name:
                reporter = choice.draft.reporter
            if name and reporter is not None and reporter.name != name:
                reporter = None
            if target is not None:
                by_row[choice.draft.index] = target
                already = FollowUp.objects.filter(
                    issue=target, kind=FollowUpKind.REPORT, sender=message.sender, note=message.text
                )
                if message.sent_at is not None:
                    already = already.filter(received_at=when)
                if already.exists():
                    result.skipped += 1
                    continue
                services.add_report(
                    target,
                    by=by,
                    now=now,
                    text=message.text,
                    channel=IssueChannel.WECHAT,
                    sender=message.sender,
                    received_at=when,
                )
                result.repeated.append(target)
            else:
                issue = services.log_issue(
                    community=community,
                    by=by,
                    now=now,
                    text=message.text,
                    channel=IssueChannel.WECHAT,
                    received_at=when,
                    sender=message.sender,
                    reporter=reporter,
                    reporter_name="" if reporter else name,
                    place=place,
                    category=choice.category,
                )
                Issue.objects.filter(pk=issue.pk).update(source_key=key)
                taken[key] = by_row[choice.draft.index] = issue
                result.created.append(issue)
            if reporter is not None and remember_nickname(reporter, message.sender):
                result.linked.append((message.sender, reporter))
    return result
