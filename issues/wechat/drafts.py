"""Drafts from parsed WeChat messages: what the office would log for each, and saving a confirmed
batch in one transaction. Reads the database in a constant number of queries per batch."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone

from issues import services
from issues.models.category import IssueCategory
from issues.models.choices import FollowUpKind, IssueChannel, Urgency
from issues.models.issue import Issue
from issues.models.timeline import FollowUp
from issues.services import best_category
from issues.similar import SIMILARITY_THRESHOLD, Probe, SimilarityIndex, similar_open_items, text_pairs
from issues.wechat import reading
from issues.wechat.parser import Message, messages_only, source_key
from issues.wechat.reading import Reading
from residents.models.community import Membership
from residents.places import find_places_in_texts, match_residents, resolve_places
from residents.services import remember_nickname

if TYPE_CHECKING:
    from django.contrib.auth.models import User


@dataclass
class Draft:
    """A message (or one problem of it) with what the office would log for it, before the
    secretary confirms. ``reading`` says what it is: a problem, the rest of an earlier message,
    a neighbour's "same here", thanks, or the office's own reply (issues.wechat.reading)."""

    index: int
    message: Message
    key: str
    reading: Reading = None
    sent_at: datetime | None = None
    category: object = None
    place_label: str = ""
    reporter: object = None
    similar: list = field(default_factory=list)
    logged: object = None
    reported_on: object = None
    earlier_row: int | None = None
    similar_rows: list[int] = field(default_factory=list)
    followers: list[Draft] = field(default_factory=list)
    place: object = None
    head: Draft | None = None
    urgency: str = Urgency.NORMAL

    @property
    def kind(self) -> str:
        return self.reading.kind if self.reading else reading.ITEM

    @property
    def done(self) -> bool:
        """Already in the log (as an item or a repeat report), or repeated within this paste;
        the rest of a message is done when its first line is."""
        if self.head is not None and self.kind == reading.CONTINUES:
            return self.head.done
        return self.logged is not None or self.reported_on is not None or self.earlier_row is not None

    @property
    def is_issue(self) -> bool:
        """Ticked by default: a problem, or a neighbour's "same here" on one, not logged before."""
        return not self.done and self.kind in {reading.ITEM, reading.AGREES}

    @property
    def suggested_repeat(self) -> str:
        """The "same problem as" choice offered first: the problem a neighbour agrees with; or the
        best open item when it is at the very same spot with the same category and its text is alike
        or the message says the problem is back ("又", "还是": reading.says_again). Otherwise a
        new item: folding a new problem into an old item would hide it."""
        if self.kind == reading.AGREES and self.head is not None:
            earlier = self.head.logged or self.head.reported_on
            return str(earlier.pk) if earlier is not None else f"row:{self.head.index}"
        if self.kind != reading.ITEM or self.done or not self.similar:
            return ""
        best = self.similar[0]
        alike = best.similarity >= SIMILARITY_THRESHOLD or reading.says_again(self.message.text)
        return str(best.pk) if best.same_place and self._at_the_same_spot(best) and alike else ""

    def _at_the_same_spot(self, item) -> bool:
        """The item is where the message is, not only in its building: the same room; the same
        building with no room on either side; or the same place as written (北区车棚). 501's leak
        listed beside 601's is not folded into it by default."""
        place = self.place
        if place is None:
            return False
        if place.room is not None:
            return item.room_id == place.room.pk
        if place.building is not None:
            return item.room_id is None and item.building_id == place.building.pk
        return bool(place.text) and item.building_id is None and item.place_text == place.text

    def full_text(self, *, without: set[int] = frozenset()) -> str:
        """The message with the lines its sender added within minutes, as one text."""
        return "\n".join([self.message.text, *(f.message.text for f in self.followers if f.index not in without)])


def _place_before(draft: Draft, before: list[Draft]) -> Draft | None:
    """The part of the sender's message before (``before``, its parts) whose place a message
    naming none is at: the part with the same category, else the last part when the message points
    back to it ("还没修好", "又漏了": reading.follows_up) with no category of its own. "楼道又堆满了
    纸箱" after a leak in 3-2-501 is another matter, somewhere else."""
    same = [d for d in before if d.place_label and draft.category is not None and d.category == draft.category]
    if same:
        return same[-1]
    last = before[-1]
    if last.place_label and draft.category is None and reading.follows_up(draft.message.text):
        return last
    return None


def _urgency(text: str) -> str:
    """The urgency suggested on a draft (reading.says_urgent, reading.says_key)."""
    if reading.says_urgent(text):
        return Urgency.URGENT
    return Urgency.KEY if reading.says_key(text) else Urgency.NORMAL


def received_at(when: datetime | None, now: datetime) -> datetime:
    """When the message was sent, never later than now."""
    return min(timezone.make_aware(when), now) if when else now


def saved_from(report: FollowUp, sent_at: datetime | None) -> bool:
    """Whether this repeat report was saved from a message sent at ``sent_at``: its time is the
    message's, or the save's own when the message was dated later than the save (received_at())."""
    return sent_at is None or report.received_at == received_at(sent_at, report.created_at)


def _with_keys(community, keys: list[str]):
    """The items logged from these messages. Through the unique index of source keys, whose
    condition (a key at all) PostgreSQL cannot prove from a list of more than 100 keys by itself:
    without it, it read every item of the community (90 ms at 100k items)."""
    return Issue.objects.in_community(community).filter(source_key__in=keys).exclude(source_key="")


def office_names(community) -> list[str]:
    """The names under which the office writes in the group: staff display names and the community's."""
    names = [community.name, f"{community.name}社区", f"{community.name}居委会"]
    for first, last, username in Membership.objects.filter(community=community, is_active=True).values_list(
        "user__first_name", "user__last_name", "user__username"
    ):
        names += [f"{last}{first}".strip(), first.strip(), username]
    return [name for name in names if len(name) >= 2]


def build_drafts(
    community, items: list[Message], *, now: datetime, day: date | None = None, categories: list | None = None
) -> list[Draft]:
    """One draft per problem of the paste, with suggestions, in a constant number of queries and
    in time linear in the paste: each text's character pairs are computed once, earlier messages
    are looked up by pairs and by place and category, and the open items like the messages are
    found in one SQL statement for the whole batch (issues.similar).

    ``day``, when given, replaces the written dates (a paste of last year read as today's);
    ``categories``, the community's active categories when the caller has read them already."""

    if categories is None:
        categories = list(IssueCategory.objects.in_community(community).filter(is_active=True))
    topics: dict[str, object] = {}
    keywords = [category.keyword_list() for category in categories]

    def topic(text: str):
        if text not in topics:
            topics[text] = best_category(categories, text, keywords=keywords)
        return topics[text]

    readings = reading.read(messages_only(items), topic=topic, office_names=office_names(community))
    drafts = [
        Draft(
            index=i,
            message=r.message,
            reading=r,
            key=source_key(community.pk, r.message.sender, r.message.sent_at, r.message.text),
            sent_at=reading.on_day(r.message.sent_at, day) if day else r.message.sent_at,
        )
        for i, r in enumerate(readings)
    ]
    if not drafts:
        return []
    for draft in drafts:
        if draft.reading.to is not None:
            draft.head = drafts[draft.reading.to]
            if draft.kind == reading.CONTINUES:
                draft.head.followers.append(draft)
    labels_and_places = find_places_in_texts(community, [d.message.text for d in drafts])
    residents = match_residents(community, {d.message.sender for d in drafts})
    logged = {i.source_key: i for i in _with_keys(community, [d.key for d in drafts])}
    reports: dict[tuple[str, str], list] = {}
    for followup in FollowUp.objects.filter(
        issue__community=community,
        kind=FollowUpKind.REPORT,
        to_status="",
        note__in={d.message.text for d in drafts} | {d.full_text() for d in drafts if d.followers},
    ).select_related("issue"):
        reports.setdefault((followup.sender, followup.note), []).append(followup)
    earlier = SimilarityIndex()
    seen: dict[str, int] = {}
    asking: list[tuple[Draft, Probe]] = []
    told: dict[str, list[Draft]] = {}  # the parts of each sender's last message (problems, continuations)
    for draft, (label, place) in zip(drafts, labels_and_places, strict=True):
        message = draft.message
        draft.category = topic(message.text)
        if draft.reading.part and not label and reading.at_the_place_before(message.text):
            # "5号楼楼道灯坏了，还有门口垃圾没人清", "…，还有垃圾没人清": the second problem is at the
            # first one's place; "2. 物业电话打不通" is at none.
            label, place = drafts[draft.index - 1].place_label, drafts[draft.index - 1].place
        own = draft.kind in {reading.ITEM, reading.CONTINUES} and message.sender
        if own and not label and message.sender in told and (before := _place_before(draft, told[message.sender])):
            # "还没修好", "楼上还在漏" from the sender of "3-2-501卫生间渗水" twenty minutes before.
            label, place = before.place_label, before.place
        draft.place_label = label
        draft.place = place
        if own and draft.reading.part:
            told[message.sender].append(draft)
        elif own:
            told[message.sender] = [draft]
        draft.urgency = _urgency(draft.full_text())
        draft.reporter = residents.get(message.sender)
        draft.logged = logged.get(draft.key)
        draft.reported_on = next(
            (
                f.issue
                for f in reports.get((message.sender, draft.full_text()), ())
                if message.sent_at is None or saved_from(f, draft.sent_at)
            ),
            None,
        )
        draft.earlier_row = seen.get(draft.key)
        seen.setdefault(draft.key, draft.index)
        if draft.done or draft.kind not in {reading.ITEM, reading.AGREES}:
            continue
        pairs, size = text_pairs(message.text)
        if draft.kind == reading.AGREES:
            head_issue = draft.head.logged or draft.head.reported_on
            draft.similar = [head_issue] if head_issue is not None else []
            draft.similar_rows = [] if head_issue is not None or draft.head.done else [draft.head.index]
            continue
        probe = Probe(
            message.text,
            room_id=place.room.pk if place.room else None,
            building_id=place.building.pk if place.building else None,
            category_id=draft.category.pk if draft.category else None,
            place_text=place.text,
        )
        asking.append((draft, probe))
        rows = earlier.find(pairs, size, where=probe.where, category_id=probe.category_id)
        draft.similar_rows = sorted((earlier.keys[position] for _, position, _ in rows), reverse=True)[:2]
        earlier.add(draft.index, pairs, size, where=probe.where, category_id=probe.category_id)
    # The open items like each message: one query for the batch, then the found items at once.
    found = similar_open_items(community, [probe for _, probe in asking], limit=3)
    loaded = Issue.objects.with_list_data().in_bulk({match.issue_id for matches in found for match in matches})
    for (draft, _), matches in zip(asking, found, strict=True):
        draft.similar = services.similar_items(matches, loaded)
    return drafts


@dataclass
class Choice:
    """What the secretary confirmed for one draft."""

    draft: Draft
    category: object = None
    place: str = ""
    reporter_name: str = ""
    repeat_of: object = None
    repeat_of_row: int | None = None
    settle: dict | None = None  # 处理方式 (and 对接人) for a new item; None: 待核实
    urgency: str = Urgency.NORMAL  # for a new item; a repeat report joins its item, which keeps its own
    received_at: datetime | None = None  # filled in for a message whose header date does not exist


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
        taken = {i.source_key: i for i in _with_keys(community, keys)}
        by_row: dict[int, object] = {}  # what each row became, for later rows of the paste that repeat it
        ticked = {c.draft.index for c in choices}
        places = resolve_places(community, [c.place for c in choices])
        typed = match_residents(community, {c.reporter_name.strip() for c in choices})
        for choice, place in zip(choices, places, strict=True):
            message, key = choice.draft.message, choice.draft.key
            when = min(choice.received_at, now) if choice.received_at else received_at(choice.draft.sent_at, now)
            text = choice.draft.full_text(without=ticked)
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
                    issue=target, kind=FollowUpKind.REPORT, sender=message.sender, note=text
                ).only("received_at", "created_at")
                if any(message.sent_at is None or saved_from(f, choice.draft.sent_at) for f in already):
                    result.skipped += 1
                    continue
                services.add_report(
                    target,
                    by=by,
                    now=now,
                    text=text,
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
                    text=text,
                    channel=IssueChannel.WECHAT,
                    received_at=when,
                    sender=message.sender,
                    reporter=reporter,
                    reporter_name="" if reporter else name,
                    place=place,
                    category=choice.category,
                    urgency=choice.urgency,
                    settle=choice.settle,
                )
                Issue.objects.filter(pk=issue.pk).update(source_key=key)
                taken[key] = by_row[choice.draft.index] = issue
                result.created.append(issue)
            if reporter is not None and remember_nickname(reporter, message.sender):
                result.linked.append((message.sender, reporter))
    return result
