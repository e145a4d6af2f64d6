"""Reminders as data: per-community rules, one Reminder per (item, kind, due time), the bell and deliveries."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, date, datetime, time

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from residents.models.community import Community
from residents.models.labels import ChoiceLabels


def local_at(day: date, at: time) -> datetime:
    """``make_aware(combine(day, at))``; the current time zone is looked up once per sweep (the
    lookup costs more than the rest: the sweep calls this twice for every item due)."""
    return datetime.combine(day, at, tzinfo=memoized(("timezone",), timezone.get_current_timezone))


def utc_at(day: date, at: time) -> datetime:
    """:func:`local_at` as the same instant in UTC: what the sweep compares with times read
    from the database (UTC). An aware datetime in a ``ZoneInfo`` zone looks its offset up on
    every comparison and hash (about thirty times a UTC one's cost: a tenth of the sweep's time).
    Kept per day and time for the sweep: the items due on one day share their morning."""
    return memoized(("utc_at", day, at), lambda: local_at(day, at).astimezone(UTC))


def local_day(value: datetime) -> date:
    """``timezone.localtime(value).date()``, the current time zone looked up once per sweep."""
    return value.astimezone(memoized(("timezone",), timezone.get_current_timezone)).date()


#: Reads that are the same for every row of a community, kept for the length of one sweep.
_memo: ContextVar[dict | None] = ContextVar("reminder_memo", default=None)


def memoized(key: tuple, compute: Callable):
    """``compute()``, remembered under ``key`` inside :func:`sweep_memo` (and not outside it)."""
    memo = _memo.get()
    if memo is None:
        return compute()
    try:  # one lookup for what is found: the sweep asks this several times an item
        return memo[key]
    except KeyError:
        value = memo[key] = compute()
        return value


@contextmanager
def sweep_memo() -> Iterator[None]:
    if _memo.get() is not None:
        yield
        return
    token = _memo.set({})
    try:
        yield
    finally:
        _memo.reset(token)


class ReminderSettings(models.Model):
    """Per-community reminder rules. Created with the defaults the first time they are read."""

    community = models.OneToOneField(Community, on_delete=models.CASCADE, related_name="reminder_settings")
    remind_day_before = models.BooleanField(_("remind the day before an item falls due"), default=True)
    meeting_after_days = models.PositiveSmallIntegerField(
        _("put overdue items on the morning meeting after (days)"), default=3
    )
    callback_after_days = models.PositiveSmallIntegerField(_("remind to call back after (days)"), default=1)
    digest_time = models.TimeField(_("daily digest at"), default=time(8, 0))
    wecom_webhook_url = models.URLField(
        _("WeCom group robot webhook"),
        blank=True,
        help_text=_("Messages name items and places, never a resident's phone or ID number."),
    )
    last_digest_on = models.DateField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("reminder settings")
        verbose_name_plural = _("reminder settings")

    def __str__(self) -> str:
        return str(self.community)

    @classmethod
    def for_community(cls, community_id: int) -> ReminderSettings:
        settings_row, _ = cls.objects.get_or_create(community_id=community_id)
        return settings_row

    @classmethod
    def rules_for(cls, community_id: int) -> ReminderSettings:
        """The rules to compute triggers with (the defaults, unsaved, when none are stored);
        read once per community for the length of a sweep."""
        return memoized(
            ("rules", community_id),
            lambda: cls.objects.filter(community_id=community_id).first() or cls(community_id=community_id),
        )


class ReminderKind(models.TextChoices):
    DUE_TOMORROW = "due_tomorrow", _("Due tomorrow")
    DUE_TODAY = "due_today", _("Due today")
    OVERDUE = "overdue", _("Overdue")
    OVERDUE_MEETING = "overdue_meeting", _("Overdue: on the morning meeting")
    PROMISE_DUE = "promise_due", _("Partner's promised date has come")
    CALLBACK_DUE = "callback_due", _("Call the resident back")
    DIGEST = "digest", _("Daily digest")
    VISIT_DUE = "visit_due", _("Home visit due today")
    VISIT_OVERDUE = "visit_overdue", _("Home visit overdue")
    HOTLINE_RESPONSE_50 = "hotline_response_50", _("12345: half the response time used")
    HOTLINE_RESPONSE_80 = "hotline_response_80", _("12345: response time four-fifths used")
    HOTLINE_RESOLUTION_50 = "hotline_resolution_50", _("12345: half the resolution time used")
    HOTLINE_RESOLUTION_80 = "hotline_resolution_80", _("12345: resolution time four-fifths used")
    HOTLINE_RESPONSE_OVERDUE = "hotline_response_over", _("12345: response time is up")
    HOTLINE_RESOLUTION_OVERDUE = "hotline_resolution_over", _("12345: resolution time is up")


class Reminder(ChoiceLabels, models.Model):
    """One reminder event: (item, kind, due time) exists once, whatever the number of sweeps,
    workers or retries; its notifications and deliveries hang off it."""

    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="reminders")
    # No index of its own: the unique (content_type, object_id, kind, due_at) starts with it.
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, db_index=False)
    object_id = models.PositiveBigIntegerField()
    subject = GenericForeignKey("content_type", "object_id")
    kind = models.CharField(_("kind"), max_length=30, choices=ReminderKind.choices)
    due_at = models.DateTimeField(_("due"))
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"), blank=True)
    link = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(_("created at"))

    class Meta:
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id", "kind", "due_at"], name="reminder_once_per_item_kind_due"
            )
        ]

    def __str__(self) -> str:
        return self.title


class NotificationQuerySet(models.QuerySet):
    def unread(self) -> NotificationQuerySet:
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    """The in-app copy of a reminder for one person (the bell)."""

    # Neither has an index of its own: notification_once (reminder, recipient) and
    # notification_page (recipient, read_at…) start with them. The sweep inserts thousands a minute.
    reminder = models.ForeignKey(Reminder, on_delete=models.CASCADE, related_name="notifications", db_index=False)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications", db_index=False
    )
    read_at = models.DateTimeField(null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-reminder__created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["reminder", "recipient"], name="notification_once")]
        indexes = [
            # The bell's page (unread first: DESC puts NULL first in PostgreSQL, then by when read,
            # newest first) and its unread count (recipient_id = … AND read_at IS NULL).
            models.Index(fields=["recipient", "-read_at", "-id"], name="notification_page"),
        ]

    def __str__(self) -> str:
        return f"{self.recipient} · {self.reminder}"


class DeliveryChannel(models.TextChoices):
    EMAIL = "email", _("E-mail")
    WECOM = "wecom", _("WeCom group")


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Waiting")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")


class Delivery(ChoiceLabels, models.Model):
    """One reminder sent through one outside channel, retried with backoff until it goes."""

    reminder = models.ForeignKey(Reminder, on_delete=models.CASCADE, related_name="deliveries")
    channel = models.CharField(max_length=10, choices=DeliveryChannel.choices)
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, related_name="+")
    status = models.CharField(max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField()
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        constraints = [
            models.UniqueConstraint(
                fields=["reminder", "channel", "recipient"], name="delivery_once", condition=Q(recipient__isnull=False)
            ),
            models.UniqueConstraint(
                fields=["reminder", "channel"], name="delivery_once_to_group", condition=Q(recipient__isnull=True)
            ),
        ]
        indexes = [
            models.Index(
                fields=["next_attempt_at"], name="delivery_pending", condition=Q(status__in=["pending", "sending"])
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} · {self.reminder}"
