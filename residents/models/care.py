"""Special populations (特殊群体): statuses with a visit cadence, visits, and supplies handed out."""

from __future__ import annotations

from datetime import date, timedelta

from django.conf import settings
from django.db import models
from django.db.models import DateField, DurationField, ExpressionWrapper, IntegerField, Value
from django.db.models.functions import Cast, Coalesce
from django.utils.translation import gettext_lazy as _

from residents.masking import mask_name
from residents.models.community import Community, CommunityQuerySet, Membership
from residents.models.labels import ChoiceLabels
from residents.models.place import Room
from residents.models.resident import Resident, ResidentStatus


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

    community = models.OneToOneField(
        Community, on_delete=models.CASCADE, related_name="visit_cadence", verbose_name=_("community")
    )
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


# get_category_display hashes every (value, label) pair of the choices on each call, which
# translates every label: a roster page of 50 rows paid some 1,400 translations for 100 labels.
# A dict by value looks up without touching the labels.
CATEGORY_LABELS = dict(SpecialCategory.choices)
TIER_LABELS = dict(RiskTier.choices)


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

    def to_visit_for(self, membership: Membership | None) -> SpecialStatusQuerySet:
        """As visible_to, and the statuses of a hidden category this person is responsible for:
        a grid worker responsible for a 残疾 resident must see that the visit is due (the board,
        the reminders and the secretary's plan all name him), though not why: pages show him such
        a status's category as 特殊关爱 (``category_for`` in residents_tags)."""
        if membership is None or membership.can_see_sensitive:
            return self.visible_to(membership)
        return self.filter(~models.Q(category__in=SENSITIVE_CATEGORIES) | models.Q(responsible_id=membership.user_id))

    def due_by(self, day: date) -> SpecialStatusQuerySet:
        """Falling due on or before ``day`` (served by the (community, next_due_on) index)."""
        return self.filter(next_due_on__lte=day)

    def overdue(self, today: date) -> SpecialStatusQuerySet:
        """Not visited within the interval before ``today`` (SpecialStatus.is_overdue)."""
        # (last visit, or the start when never visited) + interval × 1 day: a date plus a duration,
        # which Django writes for PostgreSQL and for SQLite (`make run`) alike.
        days = Cast("visit_interval_days", IntegerField())  # SQLite multiplies a duration by an IntegerField only
        interval = ExpressionWrapper(days * Value(timedelta(days=1)), output_field=DurationField())
        late_after = ExpressionWrapper(Coalesce("last_visited_on", "valid_from") + interval, output_field=DateField())
        return self.alias(late_after=late_after).filter(late_after__lt=today)


class SpecialStatus(ChoiceLabels, models.Model):
    """A resident's special-population status, with how often staff must visit.

    ``next_due_on`` is stored (last visit + interval, or ``valid_from`` before the first
    visit) and indexed with the community, so "who is due or overdue" is one index range scan
    for the roster, the day plan and the reminder sweep."""

    resident = models.ForeignKey(
        Resident, on_delete=models.CASCADE, related_name="special_statuses", verbose_name=_("resident")
    )
    community = models.ForeignKey(
        Community, on_delete=models.CASCADE, related_name="special_statuses", verbose_name=_("community")
    )
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

    @property
    def category_label(self) -> str:
        return CATEGORY_LABELS.get(self.category, self.category)

    def category_for(self, membership: Membership | None) -> str:
        """The category as ``membership`` may read it: a sensitive one (残疾, 低保…) is 特殊关爱 to
        a role that may not see those, shown the status only as the person responsible for the
        visit (SpecialStatusQuerySet.to_visit_for): he learns that it is due, not why."""
        if not self.is_sensitive or (membership is not None and membership.can_see_sensitive):
            return str(self.category_label)
        return str(_("Special care"))

    @property
    def tier_label(self) -> str:
        return TIER_LABELS.get(self.tier, self.tier)

    @property
    def never_visited(self) -> bool:
        return self.last_visited_on is None

    def is_overdue(self, today: date) -> bool:
        """No visit within the interval before ``today``. Never visited, the status is due from
        the day it began (``next_due_on``) but late only one interval after it: a resident who
        became special yesterday is to be visited, not a week behind."""
        return (self.last_visited_on or self.valid_from) + timedelta(days=self.visit_interval_days) < today

    @property
    def masked_label(self) -> str:
        """What a shared screen or a printed sheet may say of this visit: surname and room only
        ("王** 3-2-401"), never the full name, phone or category. Needs resident__room__unit__building."""
        resident = self.resident
        room = resident.room.short_label if resident.room_id else ""
        return f"{mask_name(resident.name)} {room}".strip()

    def visited_since(self, day: date) -> bool:
        return self.last_visited_on is not None and self.last_visited_on >= day


class VisitMethod(models.TextChoices):
    HOME = "home", _("Home visit (上门)")
    PHONE = "phone", _("By phone")
    VIDEO = "video", _("Video call")
    VOLUNTEER = "volunteer", _("By a volunteer")


class VisitOutcome(models.TextChoices):
    MET = "met", _("Visited")
    NOT_HOME = "not_home", _("Nobody at home (未遇)")


class CheckResult(models.TextChoices):
    GOOD = "good", _("Fine")
    WATCH = "watch", _("Keep an eye on")
    PROBLEM = "problem", _("Problem")


#: The checks made on a visit, in the order staff walk through them.
VISIT_CHECKS = ("health", "mental_state", "home_safety", "hygiene", "living_conditions")
#: Checks that are health data: shown, like the sensitive categories, only to roles with
#: ``Membership.can_see_sensitive``.
SENSITIVE_CHECKS = frozenset({"health"})


class VisitQuerySet(CommunityQuerySet):
    def on_day(self, day: date) -> VisitQuerySet:
        return self.filter(visited_on=day)

    def made(self) -> VisitQuerySet:
        """Visits that reached the resident: a 未遇 (nobody at home) is an attempt, on record
        but counted in no figure or rate."""
        return self.filter(outcome=VisitOutcome.MET)


class Visit(ChoiceLabels, models.Model):
    """A home visit, call or video call to one or more residents of a room (走访/探访), or an
    attempt that found nobody at home (``outcome`` 未遇): recorded with who went, when and the
    note, but it moves no due date and counts in no figure (``VisitQuerySet.made``)."""

    community = models.ForeignKey(
        Community, on_delete=models.CASCADE, related_name="visits", verbose_name=_("community")
    )
    room = models.ForeignKey(
        Room, on_delete=models.SET_NULL, null=True, blank=True, related_name="visits", verbose_name=_("room")
    )
    residents = models.ManyToManyField(Resident, related_name="visits", verbose_name=_("residents"))
    staff = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="visits", verbose_name=_("staff"))
    visited_on = models.DateField(_("date"))
    method = models.CharField(_("method"), max_length=20, choices=VisitMethod.choices, default=VisitMethod.HOME)
    # db_default as well: the bench data inserts visits in SQL, naming the columns it knows.
    outcome = models.CharField(
        _("outcome"),
        max_length=10,
        choices=VisitOutcome.choices,
        default=VisitOutcome.MET,
        db_default=VisitOutcome.MET,
    )
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
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = VisitQuerySet.as_manager()

    class Meta:
        verbose_name = _("visit")
        verbose_name_plural = _("visits")
        ordering = ["-visited_on", "-id"]
        indexes = [models.Index(fields=["community", "visited_on"], name="visit_community_day")]

    def __str__(self) -> str:
        return f"{self.visited_on} {self.room or ''}"

    @property
    def found_nobody(self) -> bool:
        return self.outcome == VisitOutcome.NOT_HOME

    def checks(self, *, sensitive: bool) -> list[tuple[str, str, str]]:
        """(label, value, display) of each check that was made; without ``sensitive``, the
        health check is left out."""
        return [
            (self._meta.get_field(name).verbose_name, getattr(self, name), getattr(self, f"get_{name}_display")())
            for name in VISIT_CHECKS
            if getattr(self, name) and (sensitive or name not in SENSITIVE_CHECKS)
        ]


class SupplyItem(models.TextChoices):
    FIRE_BLANKET = "fire_blanket", _("Fire blanket")
    EXTINGUISHER = "extinguisher", _("Fire extinguisher")
    SMOKE_ALARM = "smoke_alarm", _("Smoke alarm")
    GAS_ALARM = "gas_alarm", _("Gas alarm")
    GIFT = "gift", _("Care package")


class SupplyStock(ChoiceLabels, models.Model):
    """How many of an item the office still has. Changed only under a row lock (services)."""

    community = models.ForeignKey(
        Community, on_delete=models.CASCADE, related_name="supply_stocks", verbose_name=_("community")
    )
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


class Distribution(ChoiceLabels, models.Model):
    """Supplies handed to a resident or a household (物资发放), usually on a visit."""

    community = models.ForeignKey(
        Community, on_delete=models.CASCADE, related_name="distributions", verbose_name=_("community")
    )
    item = models.CharField(_("item"), max_length=20, choices=SupplyItem.choices)
    quantity = models.PositiveSmallIntegerField(_("quantity"), default=1)
    resident = models.ForeignKey(
        Resident,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="distributions",
        verbose_name=_("resident"),
    )
    room = models.ForeignKey(
        Room, on_delete=models.PROTECT, null=True, blank=True, related_name="distributions", verbose_name=_("room")
    )
    visit = models.ForeignKey(
        Visit, on_delete=models.SET_NULL, null=True, blank=True, related_name="distributions", verbose_name=_("visit")
    )
    handed_on = models.DateField(_("date"))
    signed = models.BooleanField(_("receipt signed"), default=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )
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
