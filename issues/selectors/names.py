"""The names of an item's people that the 街道 viewer sees as 王** inside its free text, read for
a page of items at once: every page and export that shows an item's text to that viewer (the
item and 12345 pages, the lists, the diary, search, home, patrol, the board) reads them here."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from django.db.models import Q

from issues.hotline.models import HotlineCase
from issues.models.choices import IssueChannel
from issues.models.issue import Issue
from issues.models.timeline import FollowUp
from residents.models.community import Membership
from residents.models.resident import Resident


def hide_names(membership: Membership, issues: Iterable[Issue]) -> None:
    """Set ``hidden_names`` on each item: the people its free text (text, notes, result, 12345
    steps) may name in full, for ``{{ note|masked:issue.hidden_names }}`` to show as 王**.

    For the 街道 viewer (``Membership.visits_residents`` is false): the item's reporter and
    sender, the senders of its repeat reports and the reporters and senders of its merged
    duplicates, its 12345 caller, and the residents (with their emergency contacts) of its room
    and of its reporter's household — the people a note is about, read in at most four queries
    however many items (the caller in none when the item's case came with it), never a scan of
    the roll. For the office, which sees full names, nothing and no query."""
    issues = list(issues)
    if membership.visits_residents:
        for issue in issues:
            issue.hidden_names = ()
        return
    names: dict[int, set[str]] = defaultdict(set)
    for issue in issues:
        names[issue.pk].update((issue.reporter_name, issue.sender))
    rooms = {issue.room_id for issue in issues if issue.room_id}
    reporters = {issue.reporter_id for issue in issues if issue.reporter_id}
    if rooms or reporters:
        households = Resident.objects.filter(pk__in=reporters).values("room")
        people = list(
            Resident.objects.filter(Q(pk__in=reporters) | Q(room__in=rooms) | Q(room__in=households)).values_list(
                "pk", "room_id", "name", "emergency_contact"
            )
        )
        reporter_rooms = {pk: room for pk, room, _name, _contact in people if pk in reporters}
        for issue in issues:
            home = {issue.room_id, reporter_rooms.get(issue.reporter_id)} - {None}
            names[issue.pk].update(
                part
                for pk, room, name, contact in people
                if pk == issue.reporter_id or room in home
                for part in (name, contact)
            )
    repeated = {issue.pk for issue in issues if issue.report_count > 1}
    if repeated:
        senders = FollowUp.objects.filter(issue__in=repeated).exclude(sender="").values_list("issue_id", "sender")
        for pk, sender in senders:
            names[pk].add(sender)
        # A merged duplicate's text is copied onto the timeline ("合并重复事项 …: 李建国说…").
        duplicates = Issue.objects.filter(merged_into__in=repeated).values_list(
            "merged_into_id", "sender", "reporter_name", "reporter__name"
        )
        for pk, *people in duplicates:
            names[pk].update(name for name in people if name)
    hotline = set()  # the 12345 items whose callers are still to read
    for issue in (issue for issue in issues if issue.channel == IssueChannel.HOTLINE):
        caller = _caller_read(issue)
        if caller is None:
            hotline.add(issue.pk)
        else:
            names[issue.pk].add(caller)
    if hotline:
        for pk, caller in HotlineCase.objects.filter(issue__in=hotline).values_list("issue_id", "caller_name"):
            names[pk].add(caller)
    for issue in issues:
        issue.hidden_names = tuple(sorted(names[issue.pk] - {""}))


def _caller_read(issue: Issue) -> str | None:
    """The 12345 caller of an item whose case came with it (``case.issue``, a case read with its
    item, the 12345 list's rows): no query for it. "" for an item known to have no case, None
    when the case was not read with its caller."""
    if not Issue.hotline.is_cached(issue):
        return None
    case = Issue.hotline.related.get_cached_value(issue)
    if case is None:
        return ""
    return None if "caller_name" in case.get_deferred_fields() else case.caller_name
