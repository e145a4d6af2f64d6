"""Activities at the 新时代文明实践站, volunteers and their hours, commendations and notices."""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime, time, timedelta
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Count, F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from residents.masking import ID_IN_TEXT_RE, NUMERALS_AS_DIGITS, PHONE_IN_TEXT_RE, names_a_flat, names_in_label
from residents.models.community import Community, CommunityQuerySet
from residents.models.labels import ChoiceLabels
from residents.models.resident import Resident

if TYPE_CHECKING:
    from django.contrib.auth.models import User

#: Stored data, not UI text: the place is called this in every language.
DEFAULT_VENUE = "新时代文明实践站"

#: The desk opens this long before the start, not the evening before: a sign-in taken at 22:09
#: for the next afternoon's activity was counted as 到场.
CHECK_IN_OPENS_BEFORE = timedelta(hours=2)


class Platform(models.TextChoices):
    """The 新时代文明实践 platforms an activity is reported under."""

    THEORY = "theory", _("Theory outreach")
    POLICY = "policy", _("Policy and law")
    EDUCATION = "education", _("Education")
    CULTURE = "culture", _("Culture")
    SCIENCE = "science", _("Science popularisation")
    HEALTH = "health", _("Health and sports")
    VOLUNTEER = "volunteer", _("Volunteer service")
    FESTIVAL = "festival", _("Festivals")


class HoursRounding(models.TextChoices):
    """How volunteer hours are rounded before they are recorded."""

    HALF_DOWN = "half_down", _("Down to the half hour")
    HALF_NEAREST = "half_nearest", _("To the nearest half hour")
    QUARTER_NEAREST = "quarter_nearest", _("To the nearest quarter hour")
    HOUR_DOWN = "hour_down", _("Down to the whole hour")
    EXACT = "exact", _("Exact (two decimals)")


_ROUNDING_STEPS = {
    HoursRounding.HALF_DOWN: (Decimal("0.5"), ROUND_DOWN),
    HoursRounding.HALF_NEAREST: (Decimal("0.5"), ROUND_HALF_UP),
    HoursRounding.QUARTER_NEAREST: (Decimal("0.25"), ROUND_HALF_UP),
    HoursRounding.HOUR_DOWN: (Decimal("1"), ROUND_DOWN),
    HoursRounding.EXACT: (Decimal("0.01"), ROUND_HALF_UP),
}


def round_hours(hours: Decimal, rule: str) -> Decimal:
    """Round ``hours`` by a HoursRounding rule: 1.7 h is 1.5 h 'down to the half hour'."""
    step, mode = _ROUNDING_STEPS[HoursRounding(rule)]
    units = (Decimal(hours) / step).quantize(Decimal("1"), rounding=mode)
    return max(units * step, Decimal("0")).quantize(Decimal("0.01"))


class ActivitySettings(ChoiceLabels, models.Model):
    """Per-community choices for activities; a community without a row gets the defaults."""

    community = models.OneToOneField(
        Community, on_delete=models.CASCADE, related_name="activity_settings", verbose_name=_("community")
    )
    hours_rounding = models.CharField(
        _("volunteer hours rounding"), max_length=20, choices=HoursRounding.choices, default=HoursRounding.HALF_DOWN
    )

    class Meta:
        verbose_name = _("activity settings")
        verbose_name_plural = _("activity settings")

    def __str__(self) -> str:
        return str(self.community)

    @classmethod
    def for_community(cls, community: Community) -> ActivitySettings:
        return cls.objects.filter(community=community).first() or cls(community=community)


class ActivityQuerySet(CommunityQuerySet):
    def upcoming(self, now: datetime) -> ActivityQuerySet:
        """Not yet over: an activity running now is still upcoming for the check-in desk."""
        return self.filter(ends_at__gte=now)

    def past(self, now: datetime) -> ActivityQuerySet:
        return self.filter(ends_at__lt=now)

    def overlapping(self, start: datetime, end: datetime) -> ActivityQuerySet:
        return self.filter(starts_at__lt=end, ends_at__gt=start)

    def with_counts(self) -> ActivityQuerySet:
        """Sign-ups, people present (volunteers who are there included) and volunteers (those
        planned ahead included: they are listed, but neither present nor their hours counted)."""
        return self.annotate(
            signed_up_count=Count("participations", filter=Q(participations__signed_up_at__isnull=False)),
            present_count=Count("participations", filter=Q(participations__checked_in_at__isnull=False)),
            volunteer_count=Count("participations", filter=Q(participations__role="volunteer")),
        )


class Activity(ChoiceLabels, models.Model):
    """An event at the 新时代文明实践站 (or elsewhere): planned, signed up for, held, written up."""

    community = models.ForeignKey(
        Community, on_delete=models.CASCADE, related_name="activities", verbose_name=_("community")
    )
    title = models.CharField(_("activity name"), max_length=100)
    platform = models.CharField(_("platform"), max_length=20, choices=Platform.choices, default=Platform.POLICY)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    venue = models.CharField(_("venue"), max_length=100, default=DEFAULT_VENUE)
    organiser = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="organised_activities",
        verbose_name=_("organiser"),
    )
    partners = models.ManyToManyField(
        "issues.Partner", blank=True, related_name="activities", verbose_name=_("partner organisations")
    )
    capacity = models.PositiveIntegerField(
        _("capacity"), null=True, blank=True, help_text=_("Leave empty when there is no limit.")
    )
    description = models.TextField(_("description"), blank=True)
    summary = models.TextField(_("write-up"), blank=True, help_text=_("The 活动简报 sent to the subdistrict."))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("created by")
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ActivityQuerySet.as_manager()

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        ordering = ["starts_at"]
        indexes = [models.Index(fields=["community", "starts_at"], name="activity_comm_starts")]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="activity_ends_after_start"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("activities:activity_detail", args=[self.pk])

    def clean(self) -> None:
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            raise ValidationError({"ends_at": _("The activity must end after it starts.")})

    @property
    def duration_hours(self) -> Decimal:
        return Decimal((self.ends_at - self.starts_at).total_seconds()) / Decimal(3600)

    @property
    def check_in_opens_at(self) -> datetime:
        return self.starts_at - CHECK_IN_OPENS_BEFORE

    @property
    def check_in_closes_at(self) -> datetime:
        """Midnight after the end: sign-ins noted on paper at the door can be entered that evening."""
        end_day = timezone.localdate(self.ends_at)
        return timezone.make_aware(datetime.combine(end_day + timedelta(days=1), time.min))

    def is_check_in_open(self, now: datetime) -> bool:
        return self.check_in_opens_at <= now < self.check_in_closes_at

    def is_full(self, signed_up: int) -> bool:
        return self.capacity is not None and signed_up >= self.capacity

    def may_overbook(self, user) -> bool:
        """The organiser (and the secretary) may sign up more people than there are places."""
        membership = user.memberships.filter(community=self.community, is_active=True).first()
        return user.pk == self.organiser_id or bool(membership and membership.is_secretary)


class ParticipantRole(models.TextChoices):
    PARTICIPANT = "participant", _("Participant")
    VOLUNTEER = "volunteer", _("Volunteer")


#: A volunteer has served, and their hours count, once they are present: one planned ahead is
#: listed with their task but is not 到场 until they sign in or are recorded once sign-in opens.
SERVED = Q(role=ParticipantRole.VOLUNTEER, checked_in_at__isnull=False)
#: SERVED as seen from an activity (annotations over its participations).
SERVED_AT_ACTIVITY = Q(participations__role=ParticipantRole.VOLUNTEER, participations__checked_in_at__isnull=False)


class AlreadyCheckedIn(Exception):
    """The person has already signed in; signing in again would count them twice."""

    def __init__(self, participation: Participation):
        super().__init__(participation.display_name)
        self.participation = participation


class CheckInClosed(Exception):
    """Signing in outside the activity's sign-in hours; nothing is counted."""


class Participation(ChoiceLabels, models.Model):
    """One person at one activity: signed up, signed in, or serving as a volunteer.

    A registered resident is linked; a walk-in is recorded by name only."""

    activity = models.ForeignKey(
        Activity, on_delete=models.CASCADE, related_name="participations", verbose_name=_("activity")
    )
    resident = models.ForeignKey(
        Resident,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="participations",
        verbose_name=_("resident"),
    )
    name = models.CharField(_("name"), max_length=50)
    role = models.CharField(
        _("role"), max_length=20, choices=ParticipantRole.choices, default=ParticipantRole.PARTICIPANT
    )
    volunteer_role = models.CharField(_("volunteer task"), max_length=50, blank=True)
    hours = models.DecimalField(_("hours"), max_digits=5, decimal_places=2, null=True, blank=True)
    signed_up_at = models.DateTimeField(_("signed up at"), null=True, blank=True)
    checked_in_at = models.DateTimeField(_("signed in at"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("recorded by")
    )

    class Meta:
        verbose_name = _("participation")
        verbose_name_plural = _("participations")
        ordering = ["checked_in_at", "name"]
        constraints = [
            # One row per person and activity, so a second sign-in finds the first.
            models.UniqueConstraint(
                fields=["activity", "resident"],
                condition=Q(resident__isnull=False),
                name="participation_unique_resident",
            ),
            models.UniqueConstraint(
                fields=["activity", "name"], condition=Q(resident__isnull=True), name="participation_unique_walkin"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.display_name} @ {self.activity}"

    @property
    def display_name(self) -> str:
        return self.resident.name if self.resident_id else self.name

    @transaction.atomic
    def check_in(self, *, by: User | None, now: datetime) -> None:
        """Mark the person present; a second sign-in raises AlreadyCheckedIn and changes nothing."""
        locked = Participation.objects.select_for_update().get(pk=self.pk)
        if locked.checked_in_at is not None:
            self.checked_in_at = locked.checked_in_at
            raise AlreadyCheckedIn(self)
        self.checked_in_at = now
        self.recorded_by = by
        self.save(update_fields=["checked_in_at", "recorded_by"])

    check_in.alters_data = True

    @transaction.atomic
    def undo_check_in(self) -> None:
        """Take back a sign-in tapped by mistake. A walk-in who was only signed in leaves no row;
        a sign-up stays signed up; a volunteer is not touched (their hours are the record)."""
        locked = Participation.objects.select_for_update().get(pk=self.pk)
        if locked.role == ParticipantRole.VOLUNTEER or locked.checked_in_at is None:
            return
        if locked.signed_up_at is None:
            locked.delete()
            self.checked_in_at = None
            return
        self.checked_in_at = None
        self.save(update_fields=["checked_in_at"])

    undo_check_in.alters_data = True


def activity_photo_path(instance: ActivityPhoto, filename: str) -> str:
    return f"activities/{instance.activity.community_id}/{instance.activity_id}/{filename}"


class ActivityPhoto(models.Model):
    """Evidence of an activity (sign-in sheet, banner, the room full). Stored under MEDIA_ROOT
    and served only through a view that checks the community."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="photos", verbose_name=_("activity"))
    file = models.ImageField(_("photo"), upload_to=activity_photo_path)
    thumbnail = models.ImageField(_("thumbnail"), upload_to=activity_photo_path, blank=True)
    caption = models.CharField(_("caption"), max_length=100, blank=True)
    content_type = models.CharField(_("file type"), max_length=50)
    size = models.PositiveIntegerField(_("file size (bytes)"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("uploaded by")
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("activity photo")
        verbose_name_plural = _("activity photos")
        ordering = ["uploaded_at"]

    def __str__(self) -> str:
        return self.file.name


class CommendationKind(models.TextChoices):
    BANNER = "banner", _("Banner (锦旗)")
    LETTER = "letter", _("Letter of thanks")
    HOTLINE = "hotline", _("12345 praise")


class CommendationQuerySet(CommunityQuerySet):
    def between(self, start: date, end: date) -> CommendationQuerySet:
        return self.filter(received_on__gte=start, received_on__lt=end)


#: Five digits in a row or more (full-width ones, spaces and dashes between them read as typed
#: together): part of a phone or ID number, never a word of a banner.
_NUMBER_QUERY_RE = re.compile(r"\d{5,}")


def text_query(query: str) -> Q:
    """Commendations whose inscription, giver or note contain ``query``; none when it holds a
    phone or ID number or a part of one: the texts show numbers masked, and what a search by the
    number finds would say whose number it is."""
    digits = re.sub(r"[\s\-－—]", "", unicodedata.normalize("NFKC", query))
    if _NUMBER_QUERY_RE.search(digits):
        return Q(pk__in=[])
    return Q(inscription__icontains=query) | Q(giver_name__icontains=query) | Q(note__icontains=query)


def commendation_photo_path(instance: Commendation, filename: str) -> str:
    return f"commendations/{instance.community_id}/{filename}"


class Commendation(ChoiceLabels, models.Model):
    """A 锦旗, 感谢信 or 12345 praise the office received, and whom it credits."""

    community = models.ForeignKey(
        Community, on_delete=models.CASCADE, related_name="commendations", verbose_name=_("community")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=CommendationKind.choices, default=CommendationKind.BANNER)
    received_on = models.DateField(_("date received"))
    giver = models.ForeignKey(
        Resident,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="commendations_given",
        verbose_name=_("giver (resident)"),
    )
    giver_name = models.CharField(
        _("giver"), max_length=100, blank=True, help_text=_("A name or a family, e.g. 3号楼王阿姨一家")
    )
    inscription = models.CharField(_("inscription"), max_length=200, blank=True)
    credited_staff = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="commendations",
        verbose_name=_("credited staff"),
        help_text=_("Leave empty when it thanks the whole office."),
    )
    issue = models.ForeignKey(
        "issues.Issue",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="commendations",
        verbose_name=_("issue it thanks for"),
    )
    note = models.TextField(_("note"), blank=True)
    photo = models.ImageField(_("photo"), upload_to=commendation_photo_path, blank=True)
    photo_thumbnail = models.ImageField(_("thumbnail"), upload_to=commendation_photo_path, blank=True)
    photo_content_type = models.CharField(_("photo file type"), max_length=50, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("created by")
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = CommendationQuerySet.as_manager()

    class Meta:
        verbose_name = _("commendation")
        verbose_name_plural = _("commendations")
        ordering = ["-received_on", "-id"]
        indexes = [models.Index(fields=["community", "received_on"], name="commendation_comm_date")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.inscription or self.giver_display}"

    def get_absolute_url(self) -> str:
        """It has no page of its own: the wall of honour showing its card alone. By number: the
        giver's name in the address was kept in server logs and browser history."""
        return f"{reverse('activities:commendation_list')}?pk={self.pk}#commendation-{self.pk}"

    def clean(self) -> None:
        if not self.giver_id and not self.giver_name.strip():
            raise ValidationError({"giver_name": _("Please enter who gave it.")})

    @property
    def giver_display(self) -> str:
        return self.giver.name if self.giver_id else self.giver_name

    @property
    def giver_names(self) -> list[str]:
        """The people its giver names (李先生 of 7号楼李先生, a linked resident's name): the names its
        inscription is shown with as 王** to the 街道 viewer."""
        return names_in_label(self.giver_display)


class NoticeTopic(models.TextChoices):
    SEASON = "season", _("Season and health")
    FIRE = "fire", _("Fire safety")
    UTILITIES = "utilities", _("Water, power, gas, heating")
    EVENT = "event", _("Activity")
    OTHER = "other", _("Other")


def personal_data_in(text: str) -> list[str]:
    """The mobile and ID numbers in ``text``: a notice for the WeChat group carries none."""
    found = [m.group(0) for m in ID_IN_TEXT_RE.finditer(text or "")]
    found += [m.group(0) for m in PHONE_IN_TEXT_RE.finditer(text or "")]
    return found


SPACED_DIGITS_RE = re.compile(r"(?<=\d)[\s\-－]+(?=\d)")


def validate_no_personal_data(text: str) -> None:
    # Digits split by spaces or dashes ("138 1234 8000") are joined first, so spacing does not hide a
    # number; nor does writing it in Chinese numerals ("一三九 一二三四 五六七八").
    digits = (text or "").translate(NUMERALS_AS_DIGITS)
    if personal_data_in(digits) or personal_data_in(SPACED_DIGITS_RE.sub("", digits)):
        raise ValidationError(
            _(
                "A notice for the group must not contain personal data: remove the mobile or ID number "
                "(an office landline such as 010-12345678 is fine)."
            ),
            code="personal_data",
        )
    if names_a_flat(digits):  # 三号楼二单元五零一 names the flat 3号楼2单元501 does
        raise ValidationError(
            _(
                "A notice for the group must not name a flat (such as 3号楼2单元501): in the group it says "
                "whose home it is. Write the building or the unit."
            ),
            code="personal_data",
        )


class NoticeQuerySet(CommunityQuerySet):
    def templates(self) -> NoticeQuerySet:
        return self.filter(is_template=True)


class Notice(ChoiceLabels, models.Model):
    """A 温馨提醒 for the residents' WeChat group. Never contains personal data."""

    community = models.ForeignKey(
        Community, on_delete=models.CASCADE, related_name="notices", verbose_name=_("community")
    )
    topic = models.CharField(_("topic"), max_length=20, choices=NoticeTopic.choices, default=NoticeTopic.OTHER)
    title = models.CharField(_("heading"), max_length=100)
    text = models.TextField(_("text"), validators=[validate_no_personal_data])
    is_template = models.BooleanField(
        _("template"), default=False, help_text=_("Templates are the starting point for new notices.")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("created by")
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = NoticeQuerySet.as_manager()

    class Meta:
        verbose_name = _("notice")
        verbose_name_plural = _("notices")
        ordering = ["-is_template", "-updated_at"]

    def __str__(self) -> str:
        return self.title
