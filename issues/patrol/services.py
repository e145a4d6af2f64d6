"""A patrol's steps that write the 民情日记: a check of an open item, a new problem found."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils.translation import gettext as _

from issues import services
from issues.models.choices import FollowUpKind, IssueChannel, IssueResult, IssueStatus, TransitionError
from issues.models.issue import Issue
from issues.models.locking import lock_and_refresh
from issues.patrol.models import FOLLOWUP_NOTES, Outcome, Patrol, PatrolCheck, PatrolStop
from residents.models.place import place_key

if TYPE_CHECKING:
    from django.contrib.auth.models import User


class CheckIdInUse(Exception):
    """A tap's ``client_id`` names a check of another patrol. The browser makes a fresh id per
    tap, so this is a tampered request, not a re-send: it is refused, never answered with that
    patrol's check (perhaps another community's item)."""


def earlier_check(patrol: Patrol, client_id: uuid.UUID) -> PatrolCheck | None:
    """The check this patrol already has for a re-sent tap, or None; CheckIdInUse when the id is
    another patrol's (ids are unique across all patrols)."""
    check = PatrolCheck.objects.filter(client_id=client_id).first()
    if check is not None and check.patrol_id != patrol.pk:
        raise CheckIdInUse(_("This entry's id is already used on another patrol: reload the page and try again."))
    return check


def _resent(patrol: Patrol, client_id: uuid.UUID) -> PatrolCheck:
    """After the unique index refused an insert: the check a concurrent request made with the id."""
    check = earlier_check(patrol, client_id)
    if check is None:
        raise PatrolCheck.DoesNotExist
    return check


def record_check(
    patrol: Patrol,
    *,
    issue: Issue,
    outcome: str,
    by: User,
    now: datetime,
    client_id: uuid.UUID,
    note: str = "",
    photos=(),
) -> tuple[PatrolCheck, bool]:
    """Record one tap on an open item and write its timeline: 还在 is a note, 已解决 resolves
    the item through the normal transition (a 12345 item awaiting its case's reply: a note),
    更严重 flags it for escalation. Returns the check and whether it is new; a re-sent tap
    (same ``client_id``) returns the first; an id another patrol has raises CheckIdInUse."""
    existing = earlier_check(patrol, client_id)
    if existing is not None:
        return existing, False
    text = " ".join(p for p in (str(FOLLOWUP_NOTES[Outcome(outcome)]), note.strip()) if p)
    try:
        with transaction.atomic():
            # Inserted first: a second request with the same id waits on the unique index here.
            check = PatrolCheck.objects.create(
                patrol=patrol,
                issue=issue,
                outcome=outcome,
                note=note.strip(),
                photos=len(photos),
                created_at=now,
                client_id=client_id,
            )
            lock_and_refresh(issue)
            case = issue.hotline_case_terms() if outcome == Outcome.SOLVED else None
            awaits_reply = case is not None and case["replied_at"] is None
            if awaits_reply:
                # A 12345 item is done by its case's 答复: the tap is noted for the reply to cite.
                text = " ".join((text, _("(12345 case %(case_no)s: reply on its page)") % case))
            if outcome == Outcome.SOLVED and issue.allowed(IssueStatus.RESOLVED) and not awaits_reply:
                followup = issue.resolve(by=by, now=now, result=IssueResult.FIXED, note=text)
            else:
                followup = issue.add_entry(kind=FollowUpKind.PATROL, by=by, now=now, note=text)
                changes = {"version": F("version") + 1, "updated_at": now}
                if outcome == Outcome.WORSE:
                    changes["escalated"] = True
                    check.raised_flag = not issue.escalated
                Issue.objects.filter(pk=issue.pk).update(**changes)
            services.attach_photos(issue, followup=followup, photos=photos, by=by)
            check.followup = followup
            check.save(update_fields=["followup", "raised_flag"])
            return check, True
    except IntegrityError:
        return _resent(patrol, client_id), False


def undo_check(check: PatrolCheck, *, by: User, now: datetime) -> bool:
    """Take back a mistaken tap (撤销) while nothing has been written to the item since: the
    check is deleted, so the item can be tapped again, and the timeline keeps the tap and says
    it was taken back. A 已解决 that resolved the item is reversed by ``reopen``, the transition
    map's only way back (办理中, not 待核实), and the tasks it marked done are put back
    (``services.undo_close``); a 更严重 takes the escalation flag off again when this tap
    raised it (``raised_flag``: an item flagged before keeps its flag). Returns False
    when the check was already taken back; raises TransitionError when the item has changed
    since the tap."""
    issue = check.issue
    with transaction.atomic():
        lock_and_refresh(issue)
        if not PatrolCheck.objects.filter(pk=check.pk).exists():
            return False
        latest = issue.followups.order_by("-pk").values_list("pk", flat=True).first()
        if check.followup_id is None or latest != check.followup_id:
            raise TransitionError(_("Not undone: the item has changed since."))
        note = _("Patrol check taken back: %(outcome)s") % {"outcome": check.get_outcome_display()}
        if check.followup.to_status == IssueStatus.RESOLVED:
            services.undo_close(issue, by=by, now=now, note=note)
        else:
            issue.add_entry(kind=FollowUpKind.NOTE, by=by, now=now, note=note)
            changes = {"version": F("version") + 1, "updated_at": now}
            if check.raised_flag:
                changes["escalated"] = False
            Issue.objects.filter(pk=issue.pk).update(**changes)
        check.delete()
        return True


def record_find(
    patrol: Patrol,
    *,
    by: User,
    now: datetime,
    client_id: uuid.UUID,
    text: str,
    place,
    category=None,
    same_as: Issue | None = None,
    photos=(),
) -> tuple[PatrolCheck, bool]:
    """A problem seen on the walk: a new item with channel 巡查, or a repeat report on the
    open item it matches (``same_as``). Idempotent on ``client_id`` like :func:`record_check`."""

    existing = earlier_check(patrol, client_id)
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():
            if same_as is not None:
                followup = services.add_report(same_as, by=by, now=now, text=text, channel=IssueChannel.PATROL)
                issue, outcome = same_as, Outcome.REPEAT
            else:
                issue = services.log_issue(
                    community=patrol.community,
                    by=by,
                    now=now,
                    text=text,
                    channel=IssueChannel.PATROL,
                    place=place,
                    category=category,
                )
                followup, outcome = None, Outcome.NEW
            if photos:
                followup = services.add_followup(issue, by=by, now=now, kind=FollowUpKind.PHOTO, photos=photos)
            check = PatrolCheck.objects.create(
                patrol=patrol,
                issue=issue,
                outcome=outcome,
                note=text,
                photos=len(photos),
                followup=followup,
                created_at=now,
                client_id=client_id,
            )
            return check, True
    except IntegrityError:
        return _resent(patrol, client_id), False


def group_by_stop(
    stops: list[PatrolStop], issues: list[Issue], *, keep=frozenset()
) -> list[tuple[PatrolStop | None, list[Issue]]]:
    """Open items under the first stop of the route that covers them; the rest with a place at
    the end. An item with no place that no stop names (a desk enquiry about the 老年卡) is
    nothing a walk can check, so it is left out, unless its id is in ``keep`` (this walk
    already tapped or logged it)."""
    groups: list[tuple[PatrolStop | None, list[Issue]]] = [(stop, []) for stop in stops]
    rest: list[Issue] = []
    for issue in issues:
        for stop, items in groups:
            if stop.covers(issue):
                items.append(issue)
                break
        else:
            if issue.place_label or issue.pk in keep:
                rest.append(issue)
    groups.append((None, rest))
    # Within a stop (a zone: 5号楼, 6号楼, 1号楼… as they came in) the walker goes door by door:
    # by building, unit and room, the newest last at one place (a tester zig-zagged 南区).
    for _stop, items in groups:
        items.sort(key=_door_order)
    return groups


def _door_order(issue: Issue) -> tuple:
    """Rooms and buildings as people count them (place_key: 3 before 12, a building's own items
    before its rooms'), then places as written (北区车棚), each place's items oldest first."""
    if issue.room_id:
        return (0, issue.room.place_key, issue.received_at, issue.pk)
    if issue.building_id:
        return (0, place_key(issue.building.number, "", ""), issue.received_at, issue.pk)
    return (1, issue.place_text, issue.received_at, issue.pk)
