"""Writes of the resident and household forms: the room made as the import makes it, the ID
number encrypted as the import stores it, and every number written recorded in the access log."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils.translation import gettext as _

from residents.editing.forms import PlaceChoice
from residents.models.community import Community
from residents.models.place import Room, Unit
from residents.models.resident import AccessField, AccessLog, Resident, ResidentStatus


def room_for(place: PlaceChoice | None) -> Room | None:
    """The chosen room, made in its (existing) building first if it is new, as the import does."""
    if place is None:
        return None
    if place.room is not None:
        return place.room
    unit, _created = Unit.objects.get_or_create(building=place.building, number=place.unit_no)
    room_no = place.room_no
    floor = int(room_no[:-2]) if room_no.isdigit() and len(room_no) > 2 else 1
    room, _created = Room.objects.get_or_create(
        unit=unit, room_no=room_no, defaults={"floor_no": floor, "community_id": place.building.community_id}
    )
    return room


@transaction.atomic
def save_resident(
    *,
    resident: Resident,
    community: Community,
    by: AbstractBaseUser,
    place: PlaceChoice | None,
    id_number: str = "",
    phone: str = "",
    emergency_phone: str = "",
) -> Resident:
    """Save a resident from the form. Empty numbers keep the stored ones; each number written
    is an access record (who wrote whose number, when), like each number revealed."""
    resident.community = community
    resident.room = room_for(place)
    written = []
    if id_number:
        resident.set_id_number(id_number)
        written.append(AccessField.ID_NUMBER)
    if phone and phone != resident.phone:
        resident.phone = phone
        written.append(AccessField.PHONE)
    if emergency_phone and emergency_phone != resident.emergency_phone:
        resident.emergency_phone = emergency_phone
        written.append(AccessField.EMERGENCY_PHONE)
    resident.save()
    reason = _("Written on the resident form")
    for field in dict.fromkeys(written):
        AccessLog.objects.create(community=community, user=by, resident=resident, field=field, reason=reason)
    return resident


@transaction.atomic
def move_household(*, room: Room, to: PlaceChoice) -> int:
    """Everyone living in ``room`` moves to the chosen room; returns how many moved."""
    target = room_for(to)
    living = Resident.objects.filter(room=room, status=ResidentStatus.LIVING)
    return living.update(room=target, place_key=target.place_key)
