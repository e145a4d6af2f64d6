"""Places: zones, buildings, units and rooms, labelled the way they are written on the wall."""

from __future__ import annotations

import re

from django.db import models
from django.db.models.functions import Length
from django.utils.translation import gettext_lazy as _

from residents.models.community import Community, CommunityQuerySet


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
        super().save(*args, **kwargs)

    @property
    def label(self) -> str:
        return f"{self.unit.building.number}号楼{self.unit.number}单元{self.room_no}"

    @property
    def short_label(self) -> str:
        """ "3-2-401": building, unit and room, as staff say it aloud at the meeting."""
        return f"{self.unit.building.number}-{self.unit.number}-{self.room_no}"
