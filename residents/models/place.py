"""Places: zones, buildings, units and rooms, labelled the way they are written on the wall."""

from __future__ import annotations

import re

from django.db import models
from django.db.models.functions import Length
from django.utils.translation import gettext_lazy as _

from residents.models.community import Community, CommunityQuerySet

_LEADING_NUMBER_RE = re.compile(r"[0-9]*")


def _natural(number: str) -> str:
    """A number as painted ("3", "12A", "501") made to sort as people count: its leading digits
    padded to ten (2 before 10, 3 before 3A)."""
    digits = _LEADING_NUMBER_RE.match(number)[0]
    return digits.rjust(10, "0")[:10] + number[len(digits) :]


def place_key(building: str, unit: str, room: str) -> str:
    """What the residents list is ordered by: building, unit and room, each as people count
    (Resident.place_key keeps it, so the list is read off an index instead of joining and
    sorting every room). :data:`PLACE_KEY_SQL` is the same in SQL."""
    return " ".join(_natural(part) for part in (building, unit, room))


def _natural_sql(column: str) -> str:
    return f"lpad(substring({column} from '^[0-9]*'), 10, '0') || substring({column} from '^[0-9]*(.*)$')"


#: :func:`place_key` of a room in SQL, with its building as ``b``, its unit as ``u`` and the room as ``r``.
PLACE_KEY_SQL = f"concat_ws(' ', {_natural_sql('b.number')}, {_natural_sql('u.number')}, {_natural_sql('r.room_no')})"


class Zone(models.Model):
    """An optional part of a community, such as 南区 or 北区."""

    community = models.ForeignKey(
        Community, on_delete=models.CASCADE, related_name="zones", verbose_name=_("community")
    )
    name = models.CharField(_("name"), max_length=50)
    sort_order = models.PositiveSmallIntegerField(_("sort order"), default=0)

    objects = CommunityQuerySet.as_manager()

    class Meta:
        verbose_name = _("zone")
        verbose_name_plural = _("zones")
        ordering = ["sort_order", "name"]
        constraints = [models.UniqueConstraint(fields=["community", "name"], name="zone_unique_name")]

    def __str__(self) -> str:
        return self.name


class Building(models.Model):
    """A residential building (楼), numbered within its community."""

    community = models.ForeignKey(
        Community, on_delete=models.CASCADE, related_name="buildings", verbose_name=_("community")
    )
    zone = models.ForeignKey(
        Zone, on_delete=models.SET_NULL, null=True, blank=True, related_name="buildings", verbose_name=_("zone")
    )
    number = models.CharField(_("number"), max_length=20, help_text=_("As painted on the building, e.g. 3"))
    floors = models.PositiveSmallIntegerField(_("floors"), default=6)
    has_elevator = models.BooleanField(_("has elevator"), default=False)

    objects = CommunityQuerySet.as_manager()

    class Meta:
        verbose_name = _("building")
        verbose_name_plural = _("buildings")
        # 1号楼, 2号楼 … 10号楼 as people count them, not as text sorts (1, 10, 11, 2).
        ordering = ["community", Length("number"), "number"]
        constraints = [models.UniqueConstraint(fields=["community", "number"], name="building_unique_number")]

    def __str__(self) -> str:
        # Addresses are written the Chinese way in every language: they are what is on the wall.
        return f"{self.number}号楼"

    def save(self, *args, **kwargs) -> None:
        renumbered = _renumbered(self)
        super().save(*args, **kwargs)
        if renumbered:
            _rekey_residents(Room.objects.filter(unit__building=self))


class Unit(models.Model):
    """A stairway/entrance (单元) of a building."""

    building = models.ForeignKey(Building, on_delete=models.CASCADE, related_name="units", verbose_name=_("building"))
    number = models.CharField(_("number"), max_length=20)

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        ordering = ["building", "number"]
        constraints = [models.UniqueConstraint(fields=["building", "number"], name="unit_unique_number")]

    def __str__(self) -> str:
        return f"{self.building}{self.number}单元"

    def save(self, *args, **kwargs) -> None:
        renumbered = _renumbered(self)
        super().save(*args, **kwargs)
        if renumbered:
            _rekey_residents(Room.objects.filter(unit=self))


ROOM_LABEL_RE = re.compile(
    r"^\s*(?P<building>[0-9A-Za-z]+)\s*(?:号楼|号|栋|幢|-|－|—)\s*"
    r"(?P<unit>[0-9A-Za-z]+)\s*(?:单元|门|-|－|—)\s*(?P<room>[0-9A-Za-z]+)\s*(?:室|号)?\s*$"
)


class RoomQuerySet(CommunityQuerySet):
    def with_place(self) -> RoomQuerySet:
        return self.select_related("unit__building")

    def find_label(self, text: str) -> Room | None:
        """Resolve "3-2-501" or "3号楼2单元501" to a room of this queryset, or None."""
        match = ROOM_LABEL_RE.match(text or "")
        if not match:
            return None
        return (
            self.with_place()
            .filter(
                unit__building__number=match["building"],
                unit__number=match["unit"],
                room_no=match["room"],
            )
            .first()
        )


class Room(models.Model):
    """A flat (室), labelled like "3号楼2单元501". The community is copied here for scoping."""

    community = models.ForeignKey(
        Community, on_delete=models.CASCADE, related_name="rooms", verbose_name=_("community")
    )
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="rooms", verbose_name=_("unit"))
    floor_no = models.SmallIntegerField(_("floor"))
    room_no = models.CharField(_("room number"), max_length=20)

    objects = RoomQuerySet.as_manager()

    class Meta:
        verbose_name = _("room")
        verbose_name_plural = _("rooms")
        ordering = ["unit", "room_no"]
        constraints = [models.UniqueConstraint(fields=["unit", "room_no"], name="room_unique_number")]

    def __str__(self) -> str:
        return self.label

    def save(self, *args, **kwargs) -> None:
        self.community_id = self.unit.building.community_id
        moved = self.pk is not None and (
            Room.objects.filter(pk=self.pk).exclude(unit_id=self.unit_id, room_no=self.room_no).exists()
        )
        super().save(*args, **kwargs)
        if moved:
            _rekey_residents(Room.objects.filter(pk=self.pk))

    @property
    def place_key(self) -> str:
        return place_key(self.unit.building.number, self.unit.number, self.room_no)

    @property
    def label(self) -> str:
        return f"{self.unit.building.number}号楼{self.unit.number}单元{self.room_no}"

    @property
    def short_label(self) -> str:
        """ "3-2-401": building, unit and room, as staff say it aloud at the meeting."""
        return f"{self.unit.building.number}-{self.unit.number}-{self.room_no}"


def _renumbered(place: Building | Unit) -> bool:
    """Whether a saved building or unit is given another number (staff correct one in the admin)."""
    if place.pk is None:
        return False
    return type(place).objects.filter(pk=place.pk).exclude(number=place.number).exists()


def _rekey_residents(rooms: models.QuerySet[Room]) -> None:
    """The residents of renumbered rooms get their new place_key: a room at a time (a building
    of a hundred rooms is renumbered by hand, rarely)."""
    residents = Room.residents.rel.related_model.objects
    for pk, building, unit, room in rooms.values_list("pk", "unit__building__number", "unit__number", "room_no"):
        residents.filter(room_id=pk).update(place_key=place_key(building, unit, room))
