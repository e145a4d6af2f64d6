"""Places and people: communities, staff membership, buildings, rooms and residents."""

from __future__ import annotations

import re
from datetime import date, timedelta

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from pypinyin import Style, lazy_pinyin

from residents import crypto


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

    @property
    def can_reveal(self) -> bool:
        """May reveal a full ID or phone number, with a reason that is logged."""
        return self.role in {Role.SECRETARY, Role.STAFF}


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


class Relation(models.TextChoices):
    HEAD = "head", _("Head of household")
    SPOUSE = "spouse", _("Spouse")
    CHILD = "child", _("Child")
    PARENT = "parent", _("Parent")
    GRANDCHILD = "grandchild", _("Grandchild")
    TENANT = "tenant", _("Tenant")
    OTHER = "other", _("Other relative")


class ResidentQuerySet(CommunityQuerySet):
    def active(self) -> ResidentQuerySet:
        """Moved-out and deceased residents are kept, but not in active lists."""
        return self.filter(status=ResidentStatus.LIVING)

    def with_id_number(self, value: str) -> ResidentQuerySet:
        """Exact look-up by ID number through the keyed hash (the clear number is not stored)."""
        return self.filter(id_number_hash=crypto.lookup_hash(value))


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
    relation = models.CharField(_("relation to head of household"), max_length=20, choices=Relation.choices, blank=True)
    # The ID number is never stored in clear: Fernet token, keyed hash for exact look-up, and
    # the masked form (first three, last four) so lists never need the key.
    id_number_encrypted = models.TextField(blank=True, editable=False)
    id_number_hash = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    id_number_masked = models.CharField(_("ID number"), max_length=18, blank=True, editable=False)
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

    @property
    def masked_emergency_phone(self) -> str:
        return mask_phone(self.emergency_phone)

    def set_id_number(self, value: str) -> None:
        """Keep an ID number encrypted, hashed and masked (call save() afterwards)."""
        value = crypto.normalise_id_number(value)
        self.id_number_encrypted = crypto.encrypt(value)
        self.id_number_hash = crypto.lookup_hash(value)
        self.id_number_masked = crypto.mask_id_number(value)

    def decrypted_id_number(self) -> str:
        """The full number: only for the logged reveal (services.reveal)."""
        return crypto.decrypt(self.id_number_encrypted)

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


class VisitCadence(models.Model):
    """A community's default visit interval per risk tier (高风险 weekly, 重点 monthly, 一般 quarterly)."""

    community = models.OneToOneField(Community, on_delete=models.CASCADE, related_name="visit_cadence")
    high_days = models.PositiveSmallIntegerField(_("high risk: visit every (days)"), default=7)
    key_days = models.PositiveSmallIntegerField(_("key: visit every (days)"), default=30)
    general_days = models.PositiveSmallIntegerField(_("general: visit every (days)"), default=90)

    class Meta:
        verbose_name = _("visit cadence")
        verbose_name_plural = _("visit cadences")

    def __str__(self) -> str:
        return f"{self.community}: {self.high_days}/{self.key_days}/{self.general_days}"

    @classmethod
    def interval_for(cls, community_id: int, tier: str) -> int:
        cadence = cls.objects.filter(community_id=community_id).first()
        if cadence is None:
            return DEFAULT_VISIT_INTERVAL_DAYS[RiskTier(tier)]
        return {RiskTier.HIGH: cadence.high_days, RiskTier.KEY: cadence.key_days}.get(tier, cadence.general_days)


class SpecialStatusQuerySet(CommunityQuerySet):
    def current(self, today: date) -> SpecialStatusQuerySet:
        """Valid on ``today`` and of a resident still living here."""
        return self.filter(
            models.Q(valid_to__isnull=True) | models.Q(valid_to__gte=today),
            valid_from__lte=today,
            resident__status=ResidentStatus.LIVING,
        )

    def visible_to(self, membership: Membership | None) -> SpecialStatusQuerySet:
        """Sensitive categories only for roles that need them (PIPL)."""
        if membership is not None and membership.can_see_sensitive:
            return self
        return self.exclude(category__in=SENSITIVE_CATEGORIES)

    def due_by(self, day: date) -> SpecialStatusQuerySet:
        """Falling due on or before ``day`` (served by the (community, next_due_on) index)."""
        return self.filter(next_due_on__lte=day)


class SpecialStatus(models.Model):
    """A resident's special-population status, with how often staff must visit.

    ``next_due_on`` is stored (last visit + interval, or ``valid_from`` before the first
    visit) and indexed with the community, so "who is due or overdue" is one index range scan
    for the roster, the day plan and the reminder sweep."""

    resident = models.ForeignKey(Resident, on_delete=models.CASCADE, related_name="special_statuses")
    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="special_statuses")
    category = models.CharField(_("category"), max_length=30, choices=SpecialCategory.choices)
    tier = models.CharField(_("risk tier"), max_length=10, choices=RiskTier.choices, default=RiskTier.KEY)
    visit_interval_days = models.PositiveSmallIntegerField(
        _("visit interval (days)"), blank=True, help_text=_("Empty: the community's default for the tier")
    )
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
    last_visited_on = models.DateField(_("last visit"), null=True, blank=True, editable=False)
    next_due_on = models.DateField(_("next visit due"), null=True, blank=True, editable=False)

    objects = SpecialStatusQuerySet.as_manager()

    class Meta:
        verbose_name = _("special status")
        verbose_name_plural = _("special statuses")
        ordering = ["resident", "category"]
        indexes = [models.Index(fields=["community", "next_due_on"], name="special_community_due")]

    def __str__(self) -> str:
        return f"{self.resident} · {self.get_category_display()}"

    def save(self, *args, **kwargs) -> None:
        self.community_id = self.resident.community_id
        if not self.visit_interval_days:
            self.visit_interval_days = VisitCadence.interval_for(self.community_id, self.tier)
        self.next_due_on = self.compute_next_due()
        super().save(*args, **kwargs)

    def compute_next_due(self) -> date:
        if self.last_visited_on is None:
            return self.valid_from
        return self.last_visited_on + timedelta(days=self.visit_interval_days)

    @property
    def is_sensitive(self) -> bool:
        return self.category in SENSITIVE_CATEGORIES

    def is_overdue(self, today: date) -> bool:
        return self.next_due_on is not None and self.next_due_on < today


PHONE_IN_TEXT_RE = re.compile(r"(?<!\d)(1[3-9]\d)(\d{4})(\d{4})(?!\d)")
ID_IN_TEXT_RE = re.compile(r"(?<![0-9A-Za-z])(\d{3})\d{11}(\d{3}[0-9Xx])(?![0-9A-Za-z])")


def mask_numbers_in_text(text: str) -> str:
    """Mask mobile and ID numbers that residents typed into free text (exports, board)."""
    text = ID_IN_TEXT_RE.sub(lambda m: f"{m[1]}{'*' * 11}{m[2]}", text or "")
    return PHONE_IN_TEXT_RE.sub(lambda m: f"{m[1]}****{m[3]}", text)


class AccessField(models.TextChoices):
    ID_NUMBER = "id_number", _("ID number")
    PHONE = "phone", _("Phone")
    EXPORT = "export", _("Unmasked export")


class AppendOnlyError(Exception):
    """An access record is evidence: it is never changed or deleted."""


class AccessLog(models.Model):
    """Who revealed whose full ID or phone number, which field, when and why. Append-only."""

    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="access_logs")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    resident = models.ForeignKey(Resident, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    field = models.CharField(_("field"), max_length=20, choices=AccessField.choices)
    reason = models.CharField(_("reason"), max_length=200)
    created_at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)

    objects = CommunityQuerySet.as_manager()

    class Meta:
        verbose_name = _("access record")
        verbose_name_plural = _("access records")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.user} · {self.resident} · {self.field}"

    def save(self, *args, **kwargs) -> None:
        if self.pk is not None:
            raise AppendOnlyError("Access records cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("Access records cannot be deleted.")


class VisitMethod(models.TextChoices):
    HOME = "home", _("Home visit (上门)")
    PHONE = "phone", _("By phone")
    VIDEO = "video", _("Video call")
    VOLUNTEER = "volunteer", _("By a volunteer")


class CheckResult(models.TextChoices):
    GOOD = "good", _("Fine")
    WATCH = "watch", _("Keep an eye on")
    PROBLEM = "problem", _("Problem")


#: The checks made on a visit, in the order staff walk through them.
VISIT_CHECKS = ("health", "mental_state", "home_safety", "hygiene", "living_conditions")


class VisitQuerySet(CommunityQuerySet):
    def on_day(self, day: date) -> VisitQuerySet:
        return self.filter(visited_on=day)


class Visit(models.Model):
    """A home visit, call or video call to one or more residents of a room (走访/探访)."""

    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="visits")
    room = models.ForeignKey(Room, on_delete=models.SET_NULL, null=True, blank=True, related_name="visits")
    residents = models.ManyToManyField(Resident, related_name="visits", verbose_name=_("residents"))
    staff = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="visits", verbose_name=_("staff"))
    visited_on = models.DateField(_("date"))
    method = models.CharField(_("method"), max_length=20, choices=VisitMethod.choices, default=VisitMethod.HOME)
    health = models.CharField(_("health"), max_length=10, choices=CheckResult.choices, blank=True)
    mental_state = models.CharField(_("mental state"), max_length=10, choices=CheckResult.choices, blank=True)
    home_safety = models.CharField(
        _("gas, power and water safety"), max_length=10, choices=CheckResult.choices, blank=True
    )
    hygiene = models.CharField(_("hygiene"), max_length=10, choices=CheckResult.choices, blank=True)
    living_conditions = models.CharField(_("living conditions"), max_length=10, choices=CheckResult.choices, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    health_note = models.TextField(
        _("health note"), blank=True, help_text=_("Only the secretary and social workers see this")
    )
    needs = models.TextField(_("needs found"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = VisitQuerySet.as_manager()

    class Meta:
        verbose_name = _("visit")
        verbose_name_plural = _("visits")
        ordering = ["-visited_on", "-id"]
        indexes = [models.Index(fields=["community", "visited_on"], name="visit_community_day")]

    def __str__(self) -> str:
        return f"{self.visited_on} {self.room or ''}"

    def checks(self) -> list[tuple[str, str, str]]:
        """(label, value, display) of each check that was made."""
        return [
            (self._meta.get_field(name).verbose_name, getattr(self, name), getattr(self, f"get_{name}_display")())
            for name in VISIT_CHECKS
            if getattr(self, name)
        ]


class SupplyItem(models.TextChoices):
    FIRE_BLANKET = "fire_blanket", _("Fire blanket")
    EXTINGUISHER = "extinguisher", _("Fire extinguisher")
    SMOKE_ALARM = "smoke_alarm", _("Smoke alarm")
    GAS_ALARM = "gas_alarm", _("Gas alarm")
    GIFT = "gift", _("Care package")


class SupplyStock(models.Model):
    """How many of an item the office still has. Changed only under a row lock (services)."""

    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="supply_stocks")
    item = models.CharField(_("item"), max_length=20, choices=SupplyItem.choices)
    quantity = models.IntegerField(_("in stock"), default=0)

    objects = CommunityQuerySet.as_manager()

    class Meta:
        verbose_name = _("stock")
        verbose_name_plural = _("stock")
        ordering = ["item"]
        constraints = [
            models.UniqueConstraint(fields=["community", "item"], name="stock_unique_item"),
            models.CheckConstraint(condition=models.Q(quantity__gte=0), name="stock_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.get_item_display()}: {self.quantity}"


class Distribution(models.Model):
    """Supplies handed to a resident or a household (物资发放), usually on a visit."""

    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="distributions")
    item = models.CharField(_("item"), max_length=20, choices=SupplyItem.choices)
    quantity = models.PositiveSmallIntegerField(_("quantity"), default=1)
    resident = models.ForeignKey(
        Resident, on_delete=models.PROTECT, null=True, blank=True, related_name="distributions"
    )
    room = models.ForeignKey(Room, on_delete=models.PROTECT, null=True, blank=True, related_name="distributions")
    visit = models.ForeignKey(Visit, on_delete=models.SET_NULL, null=True, blank=True, related_name="distributions")
    handed_on = models.DateField(_("date"))
    signed = models.BooleanField(_("receipt signed"), default=False)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = CommunityQuerySet.as_manager()

    class Meta:
        verbose_name = _("distribution")
        verbose_name_plural = _("distributions")
        ordering = ["-handed_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(resident__isnull=False) | models.Q(room__isnull=False),
                name="distribution_has_recipient",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_item_display()} ×{self.quantity}"
