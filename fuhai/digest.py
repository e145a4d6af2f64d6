"""The daily digest, composed here because it reads several apps: each person's items from the
民情日记, today's activities, and the special-population visits due (residents). It runs as a
source of the reminder sweep, once a day per community at its digest time."""

from __future__ import annotations

import logging
from datetime import datetime, time
from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from activities import selectors as activity_selectors
from issues.models.reminder import ReminderKind, ReminderSettings, local_at, memoized, sweep_memo
from issues.models.task import Task
from issues.reminders.digest import item_sections
from issues.reminders.sweep import NewReminder, SweepResult, reminder_source, secretaries, write_reminders
from residents import selectors as resident_selectors
from residents.masking import mask_name
from residents.models.care import SpecialStatus
from residents.models.community import Community

if TYPE_CHECKING:
    from django.contrib.auth.models import User


log = logging.getLogger(__name__)

#: Communities that never changed their reminder settings have their digest at the default time.
DEFAULT_DIGEST_TIME = ReminderSettings._meta.get_field("digest_time").default


def _digests_due(now: datetime) -> list:
    """Settings whose digest time has come and whose day is not yet sent, and communities
    without settings once the default time has come: both on small tables, read in the
    sweep's one check."""
    local = timezone.localtime(now)
    due = ReminderSettings.objects.filter(digest_time__lte=local.time()).filter(
        Q(last_digest_on__isnull=True) | Q(last_digest_on__lt=local.date())
    )
    unset = Community.objects.filter(reminder_settings__isnull=True)
    return [due, unset if local.time() >= DEFAULT_DIGEST_TIME else Community.objects.none()]


@reminder_source(order=40, due=_digests_due)
def send_digests(*, now: datetime, result: SweepResult | None = None) -> SweepResult:
    """Once a day per community, at its digest time: one message per staff member.

    One query claims every community whose digest is due (its settings row locked, SKIP
    LOCKED, and marked sent for the day in the same transaction as the reminders), so of two
    sweeps at the same minute exactly one writes each community's digest."""
    result = result or SweepResult()
    local = timezone.localtime(now)
    if local.time() >= DEFAULT_DIGEST_TIME:
        unset = Community.objects.filter(reminder_settings__isnull=True).values_list("pk", flat=True)
        ReminderSettings.objects.bulk_create([ReminderSettings(community_id=pk) for pk in unset], ignore_conflicts=True)
    due, _unset = _digests_due(now)
    with sweep_memo(), transaction.atomic():
        claimed = list(due.select_for_update(skip_locked=True, of=("self",)).select_related("community"))
        if not claimed:
            return result
        prepared = []
        for rules in claimed:
            memoized(("rules", rules.community_id), lambda rules=rules: rules)  # read once, here
            try:
                with transaction.atomic():  # a query that fails leaves the others' transaction usable
                    prepared.append((rules, visit_reminders(rules.community, now), _digests_for(rules.community, now)))
            except Exception:
                log.exception("daily digest of community %s failed; tried again at the next sweep", rules.community_id)
        sent = _write_digests(prepared, now=now, result=result)
        ReminderSettings.objects.filter(pk__in=sent).update(last_digest_on=local.date())
    return result


def _write_digests(prepared: list, *, now: datetime, result: SweepResult) -> list[int]:
    """Every community's visit reminders and digests in two statements; should that fail, a
    community at a time, so that one community's bad row costs the others nothing. Returns
    the settings rows written: a community left out is not marked sent and is tried again."""
    try:
        with transaction.atomic():
            created = write_reminders([v for _rules, visits, _d in prepared for v in visits], now=now)
            digests = write_reminders([d for _rules, _v, digests in prepared for d in digests], now=now)
        result.created += created
        result.digests += digests
        return [rules.pk for rules, _v, _d in prepared]
    except Exception:
        pass  # written again below, a community at a time, to find the one that fails
    sent = []
    for rules, visits, digests in prepared:
        try:
            with transaction.atomic():
                created = write_reminders(visits, now=now)
                written = write_reminders(digests, now=now)
        except Exception:
            log.exception("daily digest of community %s failed; tried again at the next sweep", rules.community_id)
            continue
        result.created += created
        result.digests += written
        sent.append(rules.pk)
    return sent


def visit_reminders(community: Community, now: datetime) -> list[NewReminder]:
    """Once a day, with the digest: special-population visits due today or overdue remind
    their responsible staff (the secretary when nobody is responsible). One reminder per
    resident and person, of the resident's first status due (a resident both 独居 and 高龄 is
    one visit, as on the board and the plan), once per due date: a visit recorded moves it on.

    An overdue visit that its responsible person's digest lists (:func:`digest_sections`) is not
    also put on their bell on its own: each thing once. The reminder is still written, for the
    WeCom group and for the secretary when nobody is responsible."""
    today = timezone.localtime(now).date()
    statuses = list(
        resident_selectors.due_statuses(community, day=today)
        .select_related("resident__room__unit__building", "responsible")
        .order_by("next_due_on", "pk")
    )
    readers = _digest_readers(community)
    in_digest = {
        (user_id, status.resident_id)
        for user_id, listed in _overdue_by_person(statuses, today).items()
        if user_id in readers
        for status in listed
    }
    firsts: dict[tuple[int, int | None], SpecialStatus] = {}
    late: set[tuple[int, int | None]] = set()
    for status in statuses:
        key = (status.resident_id, status.responsible_id)
        firsts.setdefault(key, status)
        if status.is_overdue(today):
            late.add(key)
    reminders = []
    for key, status in firsts.items():
        # Never visited, a status is due from the day it began but late only one interval after
        # it (SpecialStatus.is_overdue, as the roster and the board say 从未走访).
        kind = ReminderKind.VISIT_OVERDUE if key in late else ReminderKind.VISIT_DUE
        resident = status.resident
        room = resident.room.label if resident.room else ""
        if status.responsible is None:
            recipients = secretaries(community.pk)
        elif kind == ReminderKind.VISIT_OVERDUE and (status.responsible_id, resident.pk) in in_digest:
            recipients = []
        else:
            recipients = [status.responsible]
        reminders.append(
            NewReminder(
                community_id=community.pk,
                subject=status,
                kind=kind,
                due_at=local_at(status.next_due_on, time(8, 0)),
                # Surname and room only: the group robot may carry this, and health stays out.
                title=f"{mask_name(resident.name)} {room}：{ReminderKind(kind).label}",
                body=_("Never visited")
                if status.last_visited_on is None
                else _("Due on %(day)s.") % {"day": status.next_due_on.isoformat()},
                link=reverse("residents:resident_detail", args=[resident.pk]),
                recipients=recipients,
            )
        )
    return reminders


#: How many residents a digest's 逾期未走访 names.
DIGEST_VISITS = 10


def _overdue_by_person(statuses, today) -> dict[int, list[SpecialStatus]]:
    """Of ``statuses`` (ordered by next_due_on, pk), the overdue ones each responsible person's
    digest lists: one per resident, the most overdue first, at most DIGEST_VISITS."""
    listed: dict[int, list[SpecialStatus]] = {}
    seen: set[tuple[int, int]] = set()
    for status in statuses:
        if status.responsible_id is None or not status.is_overdue(today):
            continue
        mine = listed.setdefault(status.responsible_id, [])
        if (status.responsible_id, status.resident_id) in seen or len(mine) >= DIGEST_VISITS:
            continue
        seen.add((status.responsible_id, status.resident_id))
        mine.append(status)
    return listed


def _digest_readers(community: Community) -> set[int]:
    """Who gets a digest (:func:`_digests_for`): anyone with an overdue visit has something in it."""
    return set(resident_selectors.staff_memberships(community).values_list("user_id", flat=True))


def digest_sections(community: Community, user: User, now: datetime) -> list[tuple[str, list[str]]]:
    """What one person should know at 8:30, in a few lines, not twenty messages: their items
    from the 民情日记, the visits they are responsible for that are overdue, their tasks from
    the morning meeting, then today's activities."""
    today = timezone.localtime(now).date()
    sections = item_sections(community, user, now)
    overdue = (
        resident_selectors.due_statuses(community, day=today)
        .overdue(today)
        .filter(responsible=user)
        .select_related("resident__room__unit__building")
        .order_by("next_due_on", "pk")
    )
    # Surname and room only, as in the visit reminders: health and full names stay out. A resident
    # in two categories (独居 and 高龄) is one visit, named once.
    listed = _overdue_by_person(overdue, today).get(user.pk, [])
    visits = [
        f"{mask_name(s.resident.name)} {s.resident.room.label if s.resident.room else ''}".strip() for s in listed
    ]
    if visits:
        sections.append((str(_("Overdue visits")), visits))
    tasks = [t.title for t in Task.objects.in_community(community).on_day(today).unfinished().filter(assignee=user)]
    if tasks:
        sections.append((str(_("Today's tasks")), tasks[:10]))
    activities = [str(activity) for activity in activity_selectors.todays_activities(community, now=now)]
    if activities:
        sections.append((str(_("Today's activities")), activities))
    return sections


def _digests_for(community: Community, now: datetime) -> list[NewReminder]:
    members = resident_selectors.staff_memberships(community).select_related("user")
    today = timezone.localtime(now).date()
    digests = []
    for membership in members:
        sections = digest_sections(community, membership.user, now)
        if not sections:
            continue
        body = "\n".join(f"{heading}：{'；'.join(items)}" for heading, items in sections)
        digests.append(
            NewReminder(
                community_id=community.pk,
                subject=membership,
                kind=ReminderKind.DIGEST,
                due_at=local_at(today, time(0, 0)),
                title=_("%(community)s daily digest %(date)s")
                % {"community": community.name, "date": today.isoformat()},
                body=body,
                link=reverse("issues:notification_list"),
                recipients=[membership.user],
                to_group=False,
            )
        )
    return digests
