"""Writes that span residents' models: the logged reveal, recording a visit, handing out supplies."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from residents.models.care import Distribution, SpecialStatus, SupplyItem, SupplyStock, Visit, VisitOutcome
from residents.models.community import Community
from residents.models.place import Room
from residents.models.resident import AccessField, AccessLog, Resident
from residents.signals import visit_needs_reported


class SupplyError(Exception):
    """Not enough in stock: nothing was recorded."""


@transaction.atomic
def reveal(*, resident: Resident, user: AbstractBaseUser, field: str, reason: str) -> str:
    """The full ID or phone number, after writing who asked, for whom and why."""
    AccessLog.objects.create(
        community_id=resident.community_id, user=user, resident=resident, field=field, reason=reason.strip()
    )
    if field == AccessField.ID_NUMBER:
        return resident.decrypted_id_number()
    return resident.phone


@transaction.atomic
def reveal_health_note(*, visit: Visit, resident: Resident, user: AbstractBaseUser, reason: str) -> str:
    """A visit's health note, after writing who read it, for whom (the resident whose page it was
    read on), of which visit and why."""
    AccessLog.objects.create(
        community_id=resident.community_id,
        user=user,
        resident=resident,
        field=AccessField.HEALTH_NOTE,
        subject=_("Visit of %(day)s") % {"day": visit.visited_on.isoformat()},
        reason=reason.strip(),
    )
    return visit.health_note


def remember_nickname(resident: Resident, nickname: str) -> bool:
    """Remember the WeChat group nickname a resident writes under, so the next paste finds them.

    Only for a resident who has none yet, and only a nickname that is not their name and that no
    other resident of the community goes by. Returns whether it was remembered."""
    if not nickname or nickname == resident.name or resident.wechat_nickname:
        return False
    if Resident.objects.filter(community_id=resident.community_id, wechat_nickname=nickname).exists():
        return False
    # Conditional: a nickname another save has just remembered for this resident is kept.
    if not Resident.objects.filter(pk=resident.pk, wechat_nickname="").update(wechat_nickname=nickname):
        return False
    resident.wechat_nickname = nickname
    return True


@dataclass(frozen=True)
class HandOut:
    item: str
    quantity: int = 1
    signed: bool = False


@transaction.atomic
def record_visit(
    *,
    community: Community,
    recorded_by: AbstractBaseUser,
    residents: Iterable[Resident],
    staff: Iterable[AbstractBaseUser],
    visited_on: date,
    today: date,
    room: Room | None = None,
    hand_outs: Iterable[HandOut] = (),
    log_needs: bool = False,
    **details,
) -> Visit:
    """Save a visit, move the visited residents' next due dates, hand out supplies.

    A visit dated before the last one recorded keeps the later date: entering last week's
    paper record never makes a resident look visited less recently than they were. A 未遇
    (``outcome`` NOT_HOME: nobody at home) is saved with its staff and note and moves nothing:
    the residents stay due, and nothing can have been handed out."""
    if visited_on > today:
        raise ValueError(_("A visit cannot be dated in the future."))
    hand_outs = list(hand_outs)
    found_nobody = details.get("outcome") == VisitOutcome.NOT_HOME
    if found_nobody and hand_outs:
        raise ValueError(_("Nobody was at home: nothing can have been handed out."))
    residents = list(residents)
    visit = Visit.objects.create(
        community=community, room=room, visited_on=visited_on, recorded_by=recorded_by, **details
    )
    visit.residents.set(residents)
    visit.staff.set(list(staff))
    #: What the listeners logged of the needs ({"code", "url"} of the issues app's item): the page
    #: that saved the visit names and links it.
    visit.logged_items = []
    if log_needs and visit.needs.strip():
        # Same transaction: the visit and its 民情日记 item are saved together or not at all.
        responses = visit_needs_reported.send(sender=Visit, visit=visit, recorded_by=recorded_by)
        visit.logged_items = [item for _receiver, item in responses if item]
    if found_nobody:
        return visit
    statuses = SpecialStatus.objects.select_for_update().filter(community=community, resident__in=residents)
    for status in statuses:
        if status.last_visited_on is None or status.last_visited_on < visited_on:
            status.last_visited_on = visited_on
            status.save(update_fields=["last_visited_on", "next_due_on"])
    for hand_out in hand_outs:
        hand_out_supplies(
            community=community,
            recorded_by=recorded_by,
            item=hand_out.item,
            quantity=hand_out.quantity,
            signed=hand_out.signed,
            handed_on=visited_on,
            room=room,
            resident=residents[0] if len(residents) == 1 else None,
            visit=visit,
        )
    return visit


@transaction.atomic
def hand_out_supplies(
    *,
    community: Community,
    recorded_by: AbstractBaseUser,
    item: str,
    quantity: int,
    handed_on: date,
    signed: bool = False,
    resident: Resident | None = None,
    room: Room | None = None,
    visit: Visit | None = None,
) -> Distribution:
    """Record items handed out and take them off the stock, refusing to go below zero."""
    stock = SupplyStock.objects.select_for_update().filter(community=community, item=item).first()
    if stock is None or stock.quantity < quantity:
        left = stock.quantity if stock else 0
        raise SupplyError(_("Only %(left)s %(item)s left in stock.") % {"left": left, "item": SupplyItem(item).label})
    stock.quantity = F("quantity") - quantity
    stock.save(update_fields=["quantity"])
    if room is None and resident is not None:
        room = resident.room
    return Distribution.objects.create(
        community=community,
        item=item,
        quantity=quantity,
        handed_on=handed_on,
        signed=signed,
        resident=resident,
        room=room,
        visit=visit,
        recorded_by=recorded_by,
    )


@transaction.atomic
def receive_stock(*, community: Community, item: str, quantity: int) -> SupplyStock:
    """Add delivered items to the stock."""
    stock, _created = SupplyStock.objects.select_for_update().get_or_create(community=community, item=item)
    stock.quantity = F("quantity") + quantity
    stock.save(update_fields=["quantity"])
    stock.refresh_from_db()
    return stock
