"""Drafts from parsed WeChat messages: what the office would log for each, and saving a confirmed
batch in one transaction. Reads the database in a constant number of queries per batch."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from issues import services
from issues.models.category import IssueCategory
from issues.models.choices import FollowUpKind, IssueChannel
from issues.models.issue import Issue
from issues.models.timeline import FollowUp
from issues.services import BUILDING_RE, SIMILARITY_THRESHOLD, Place, best_category, rank_similar, text_similarity
from issues.wechat.parser import Message, messages_only, source_key
from residents.models.place import ROOM_LABEL_RE, Building, Room
from residents.models.resident import Resident

if TYPE_CHECKING:
    from django.contrib.auth.models import User

_ROOM_TOKEN_RE = re.compile(r"[0-9]+\s*(?:-|－|号楼|栋)\s*[0-9]+\s*(?:-|－|单元)\s*[0-9]+")
_BUILDING_NOUN_RE = re.compile(r"\s*(门口|楼道|楼下|楼前|楼后|单元门|电梯|地下室|楼顶|东侧|西侧|南侧|北侧)")
_FREE_PLACE_RE = re.compile(
    r"[东南西北中][区门侧](?:[\u4e00-\u9fff]{0,4}?(?:车棚|停车场|花园|广场|垃圾站|门口|地库|健身区|岗亭))?"
    r"|车棚|地库|地下车库|垃圾站|小广场|健身区|停车场"
)
_SENDER_PLACE_RE = re.compile(r"^[0-9０-９]+(?:[-－号楼栋单元室][0-9０-９]*)*\s*")


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


#: Residents type "３号楼" on phones: places are looked for in ASCII digits (the text stays as written).
_HALF_WIDTH = str.maketrans("０１２３４５６７８９－", "0123456789-")


def written_place(text: str) -> str:
    """The place a message names, as written, without the database: "3-2-501", "3号楼门口", "北区车棚"."""

    text = text.translate(_HALF_WIDTH)
    if room := _ROOM_TOKEN_RE.search(text):
        return room[0]
    if match := BUILDING_RE.search(text):
        noun = _BUILDING_NOUN_RE.match(text, match.end())
        return match[0] + (noun[1] if noun else "")
    free = _FREE_PLACE_RE.search(text)
    return free[0] if free else ""


def _rooms_by_label(community, labels: list[str]) -> dict[tuple[str, str, str], object]:

    parts = {(m["building"], m["unit"], m["room"]) for m in map(ROOM_LABEL_RE.match, labels) if m}
    if not parts:
        return {}
    query = Q()
    for building, unit, room in parts:
        query |= Q(unit__building__number=building, unit__number=unit, room_no=room)
    rooms = Room.objects.in_community(community).with_place().filter(query)
    return {(r.unit.building.number, r.unit.number, r.room_no): r for r in rooms}


def _buildings_by_number(community, texts: list[str]) -> dict[str, object]:

    numbers = {m[1] for text in texts for m in BUILDING_RE.finditer(text)}
    if not numbers:
        return {}
    return {b.number: b for b in Building.objects.in_community(community).filter(number__in=numbers)}


def _room_key(label: str):

    m = ROOM_LABEL_RE.match(label)
    return (m["building"], m["unit"], m["room"]) if m else None


def resolve_places(community, texts: list[str]) -> list:
    """services.resolve_place for many place inputs at once (two queries, whatever the count)."""

    texts = [(t or "").strip() for t in texts]
    rooms = _rooms_by_label(community, texts)
    buildings = _buildings_by_number(community, texts)
    places = []
    for text in texts:
        room = rooms.get(_room_key(text)) if text else None
        match = BUILDING_RE.search(text)
        if room:
            places.append(Place(room=room, building=room.unit.building))
        elif match and match[1] in buildings:
            places.append(
                Place(building=buildings[match[1]], text=(text[: match.start()] + text[match.end() :]).strip())
            )
        else:
            places.append(Place(text=text))
    return places


def _place_labels(community, texts: list[str]) -> list[str]:
    """The place each message names, as the secretary would type it: "3号楼2单元501", "3号楼门口",
    "北区车棚", or the room as written when the community has no such room."""

    texts = [text.translate(_HALF_WIDTH) for text in texts]
    tokens = [_ROOM_TOKEN_RE.findall(text) for text in texts]
    rooms = _rooms_by_label(community, [t for found in tokens for t in found])
    buildings = _buildings_by_number(community, texts)
    labels = []
    for text, found in zip(texts, tokens, strict=True):
        room = next((rooms[k] for k in map(_room_key, found) if k in rooms), None)
        match = BUILDING_RE.search(text)
        free = _FREE_PLACE_RE.search(text)
        if room:
            labels.append(room.label)
        elif match and match[1] in buildings:
            noun = _BUILDING_NOUN_RE.match(text, match.end())
            labels.append(f"{buildings[match[1]]}{noun[1] if noun else ''}")
        elif free:
            labels.append(free[0])
        else:
            labels.append(found[0] if found else "")
    return labels


def _match_residents(community, senders: set[str]) -> dict[str, object]:
    """The rule of services.match_reporter (one resident by name, else one by nickname) for all
    senders at once; "5-2-301 陈姐" is also tried as "陈姐"."""

    names = {s for s in senders if s} | {_SENDER_PLACE_RE.sub("", s) for s in senders if s}
    names.discard("")
    if not names:
        return {}
    found = list(
        Resident.objects.in_community(community)
        .active()
        .filter(Q(name__in=names) | Q(wechat_nickname__in=names))
        .select_related("room__unit__building")
    )
    matched = {}
    for sender in senders:
        for name in dict.fromkeys([sender, _SENDER_PLACE_RE.sub("", sender)]):
            by_name = [r for r in found if r.name == name]
            by_nick = [r for r in found if r.wechat_nickname == name]
            pick = by_name if by_name else by_nick
            if len(pick) == 1:
                matched[sender] = pick[0]
                break
    return matched


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
    labels = _place_labels(community, [m.text for m in messages])
    places = resolve_places(community, labels)
    residents = _match_residents(community, {m.sender for m in messages})
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
    for draft, label, place in zip(drafts, labels, places, strict=True):
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
        typed = {c.reporter_name.strip() for c in choices if c.reporter_name.strip()}
        by_name: dict[str, list] = {}
        for resident in Resident.objects.in_community(community).active().filter(name__in=typed):
            by_name.setdefault(resident.name, []).append(resident)
        nicknames_taken = set(
            Resident.objects.in_community(community)
            .filter(wechat_nickname__in={c.draft.message.sender for c in choices})
            .values_list("wechat_nickname", flat=True)
        )
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
            reporter = by_name[name][0] if len(by_name.get(name, [])) == 1 else choice.draft.reporter
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
            sender = message.sender
            linkable = reporter and sender and sender != reporter.name and not reporter.wechat_nickname
            if linkable and sender not in nicknames_taken:
                Resident.objects.filter(pk=reporter.pk).update(wechat_nickname=sender)
                reporter.wechat_nickname = sender
                nicknames_taken.add(sender)
                result.linked.append((sender, reporter))
    return result
