"""Places and people: communities, staff membership, buildings, rooms and residents."""

from __future__ import annotations

import re
from datetime import date

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from pypinyin import Style, lazy_pinyin


class Community(models.Model):
    """A residents' committee (社区). Every record in Fuhai belongs to one."""

    name = models.CharField(_("name"), max_length=100)
    subdistrict = models.CharField(_("subdistrict"), max_length=100, blank=True)
    district = models.CharField(_("district"), max_length=100, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("community")
        verbose_name_plural = _("communities")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["district", "subdistrict", "name"], name="community_unique_name")
        ]

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    SECRETARY = "secretary", _("Secretary / director")
    STAFF = "staff", _("Social worker")
    GRID = "grid", _("Grid worker")
    VIEWER = "viewer", _("Subdistrict viewer (read-only)")


class Membership(models.Model):
    """A user's place in a community, with the role that decides what they may do there."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.STAFF)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [models.UniqueConstraint(fields=["user", "community"], name="membership_unique_user")]

    def __str__(self) -> str:
        return f"{self.user} @ {self.community} ({self.get_role_display()})"

    @property
    def can_edit(self) -> bool:
        return self.role != Role.VIEWER

    @property
    def can_see_sensitive(self) -> bool:
        """Health, disability and 低保 status are for the roles that need them (PIPL)."""
        return self.role in {Role.SECRETARY, Role.STAFF}

    @property
    def is_secretary(self) -> bool:
        return self.role == Role.SECRETARY


class CommunityQuerySet(models.QuerySet):
    def in_community(self, community: Community) -> CommunityQuerySet:
        return self.filter(community=community)


class Zone(models.Model):
    """An optional part of a community, such as 南区 or 北区."""

    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="zones")
    name = models.CharField(_("name"), max_length=50)
    sort_order = models.PositiveSmallIntegerField(default=0)

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

    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="buildings")
    zone = models.ForeignKey(Zone, on_delete=models.SET_NULL, null=True, blank=True, related_name="buildings")
    number = models.CharField(_("number"), max_length=20, help_text=_("As painted on the building, e.g. 3"))
    floors = models.PositiveSmallIntegerField(_("floors"), default=6)
    has_elevator = models.BooleanField(_("has elevator"), default=False)

    objects = CommunityQuerySet.as_manager()

    class Meta:
        verbose_name = _("building")
        verbose_name_plural = _("buildings")
        ordering = ["community", "number"]
        constraints = [models.UniqueConstraint(fields=["community", "number"], name="building_unique_number")]

    def __str__(self) -> str:
        # Addresses are written the Chinese way in every language: they are what is on the wall.
        return f"{self.number}号楼"


class Unit(models.Model):
    """A stairway/entrance (单元) of a building."""

    building = models.ForeignKey(Building, on_delete=models.CASCADE, related_name="units")
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

    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="rooms")
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="rooms")
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


class Gender(models.TextChoices):
    MALE = "M", _("Male")
    FEMALE = "F", _("Female")


class PopulationType(models.TextChoices):
    REGISTERED = "registered", _("Registered (户籍)")
    RESIDENT = "resident", _("Resident, not registered")
    FLOATING = "floating", _("Floating")
    FOREIGN = "foreign", _("Foreign")


class ResidentStatus(models.TextChoices):
    LIVING = "living", _("Living here")
    MOVED_OUT = "moved_out", _("Moved out")
    DECEASED = "deceased", _("Deceased")


class ResidentQuerySet(CommunityQuerySet):
    def active(self) -> ResidentQuerySet:
        """Moved-out and deceased residents are kept, but not in active lists."""
        return self.filter(status=ResidentStatus.LIVING)


def mask_phone(phone: str) -> str:
    """138****8000: the default way a phone number is shown anywhere."""
    digits = phone or ""
    if len(digits) < 7:
        return "*" * len(digits)
    return f"{digits[:3]}{'*' * (len(digits) - 7)}{digits[-4:]}"


class Resident(models.Model):
    """A person living in (or registered at) the community. Never deleted: status changes."""

    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="residents")
    room = models.ForeignKey(Room, on_delete=models.SET_NULL, null=True, blank=True, related_name="residents")
    name = models.CharField(_("name"), max_length=50, db_index=True)
    name_initials = models.CharField(_("pinyin initials"), max_length=20, blank=True, db_index=True, editable=False)
    gender = models.CharField(_("gender"), max_length=1, choices=Gender.choices, blank=True)
    birth_date = models.DateField(_("date of birth"), null=True, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    population_type = models.CharField(
        _("population type"), max_length=20, choices=PopulationType.choices, default=PopulationType.REGISTERED
    )
    status = models.CharField(_("status"), max_length=20, choices=ResidentStatus.choices, default=ResidentStatus.LIVING)
    emergency_contact = models.CharField(_("emergency contact"), max_length=100, blank=True)
    emergency_phone = models.CharField(_("emergency contact phone"), max_length=20, blank=True)
    wechat_nickname = models.CharField(_("WeChat group nickname"), max_length=50, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ResidentQuerySet.as_manager()

    class Meta:
        verbose_name = _("resident")
        verbose_name_plural = _("residents")
        ordering = ["name"]
        indexes = [models.Index(fields=["community", "status"], name="resident_community_status")]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        self.name_initials = "".join(lazy_pinyin(self.name, style=Style.FIRST_LETTER)).lower()[:20]
        super().save(*args, **kwargs)

    @property
    def masked_phone(self) -> str:
        return mask_phone(self.phone)

    def age(self, today: date) -> int | None:
        if not self.birth_date:
            return None
        b = self.birth_date
        return today.year - b.year - ((today.month, today.day) < (b.month, b.day))


class SpecialCategory(models.TextChoices):
    LIVING_ALONE = "alone", _("Living alone (独居)")
    SOLITARY = "solitary", _("Childless and alone (孤寡)")
    EMPTY_NEST = "empty_nest", _("Empty nest (空巢)")
    ADVANCED_AGE = "aged80", _("Aged 80+ (高龄)")
    DISABLED_CARE = "disabled_care", _("Loss of ability (失能)")
    SEMI_DISABLED = "semi_disabled", _("Partial loss of ability (半失能)")
    DEMENTIA = "dementia", _("Dementia (失智)")
    DISABILITY = "disability", _("Disability (残疾)")
    MIN_LIVING = "dibao", _("Minimum living allowance (低保)")
    LOW_INCOME = "low_income", _("Low income (低收入)")
    EXTREME_POVERTY = "tekun", _("Extreme poverty support (特困)")
    ENTITLED = "youfu", _("Entitled group (优抚对象)")
    FAMILY_PLANNING = "jisheng", _("Family-planning special family")
    LEFT_BEHIND = "left_behind", _("Left-behind (留守)")
    CHILD_IN_DIFFICULTY = "child_difficulty", _("Child in difficulty (困境儿童)")
    SERIOUS_ILLNESS = "serious_illness", _("Serious illness (重病)")
    OTHER = "other", _("Other")


#: Categories that are sensitive personal information (health, disability, 低保): only roles
#: with ``Membership.can_see_sensitive`` see them, and never on the shared board.
SENSITIVE_CATEGORIES = frozenset(
    {
        SpecialCategory.DISABLED_CARE,
        SpecialCategory.SEMI_DISABLED,
        SpecialCategory.DEMENTIA,
        SpecialCategory.DISABILITY,
        SpecialCategory.MIN_LIVING,
        SpecialCategory.LOW_INCOME,
        SpecialCategory.EXTREME_POVERTY,
        SpecialCategory.SERIOUS_ILLNESS,
    }
)


class RiskTier(models.TextChoices):
    HIGH = "high", _("High risk")
    KEY = "key", _("Key")
    GENERAL = "general", _("General")


DEFAULT_VISIT_INTERVAL_DAYS = {RiskTier.HIGH: 7, RiskTier.KEY: 30, RiskTier.GENERAL: 90}


class SpecialStatus(models.Model):
    """A resident's special-population status, with how often staff must visit."""

    resident = models.ForeignKey(Resident, on_delete=models.CASCADE, related_name="special_statuses")
    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="special_statuses")
    category = models.CharField(_("category"), max_length=30, choices=SpecialCategory.choices)
    tier = models.CharField(_("risk tier"), max_length=10, choices=RiskTier.choices, default=RiskTier.KEY)
    visit_interval_days = models.PositiveSmallIntegerField(_("visit interval (days)"))
    responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="special_statuses",
        verbose_name=_("responsible staff"),
    )
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)

    objects = CommunityQuerySet.as_manager()

    class Meta:
        verbose_name = _("special status")
        verbose_name_plural = _("special statuses")
        ordering = ["resident", "category"]

    def __str__(self) -> str:
        return f"{self.resident} · {self.get_category_display()}"

    def save(self, *args, **kwargs) -> None:
        self.community_id = self.resident.community_id
        if not self.visit_interval_days:
            self.visit_interval_days = DEFAULT_VISIT_INTERVAL_DAYS[RiskTier(self.tier)]
        super().save(*args, **kwargs)

    @property
    def is_sensitive(self) -> bool:
        return self.category in SENSITIVE_CATEGORIES


PHONE_IN_TEXT_RE = re.compile(r"(?<!\d)(1[3-9]\d)(\d{4})(\d{4})(?!\d)")
ID_IN_TEXT_RE = re.compile(r"(?<![0-9A-Za-z])(\d{3})\d{11}(\d{3}[0-9Xx])(?![0-9A-Za-z])")


def mask_numbers_in_text(text: str) -> str:
    """Mask mobile and ID numbers that residents typed into free text (exports, board)."""
    text = ID_IN_TEXT_RE.sub(lambda m: f"{m[1]}{'*' * 11}{m[2]}", text or "")
    return PHONE_IN_TEXT_RE.sub(lambda m: f"{m[1]}****{m[3]}", text)
