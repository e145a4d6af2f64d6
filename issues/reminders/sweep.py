"""Reminders are data, not delayed tasks: the one sweep.

Every item that can fall due keeps an indexed ``next_reminder_at``. The beat job calls
:func:`run_sweep` every minute: each registered source (the 民情日记's items and tasks, 12345
cases, the daily digest) claims its due rows with ``SELECT … FOR UPDATE SKIP LOCKED`` through
:func:`claim_due` and writes one :class:`Reminder` per (item, kind, due time) under a unique
constraint; then pending deliveries go out. So a double beat, a retried task or two workers
never send twice, and a Redis outage only delays reminders: nothing is lost, because nothing
waits in Redis.

Sources register themselves with :func:`reminder_source`, so the sweep imports no feature.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction

from issues.models.reminder import (
    Delivery,
    DeliveryChannel,
    Notification,
    Reminder,
    ReminderSettings,
    memoized,
    sweep_memo,
)
from issues.reminders.delivery import deliver_pending
from residents.models.community import Role
from residents.selectors import staff_of

log = logging.getLogger(__name__)

BATCH = 500
#: A row whose reminder cannot be computed is pushed this far forward instead of stalling the loop.
BAD_ROW_DELAY = timedelta(hours=1)

#: The registered sources, by the order they run in: name -> (order, sweep function).
_SOURCES: dict[str, tuple[int, Callable[..., SweepResult]]] = {}


def reminder_source(order: int) -> Callable:
    """Register ``fn(*, now, result)`` as a step of every sweep; lower ``order`` runs first."""

    def register(fn: Callable[..., SweepResult]) -> Callable[..., SweepResult]:
        _SOURCES[f"{fn.__module__}.{fn.__qualname__}"] = (order, fn)
        return fn

    return register


@dataclass
class SweepResult:
    claimed: int = 0
    created: int = 0
    delivered: int = 0
    failed: int = 0
    digests: int = 0
    pushed_forward: list[int] = field(default_factory=list)


def run_sweep(*, now: datetime) -> SweepResult:
    """One pass: every registered source in order, then deliveries. What beat and
    `manage.py send_reminders` both call."""
    result = SweepResult()
    with sweep_memo():
        for _order, step in sorted(_SOURCES.values(), key=lambda source: source[0]):
            step(now=now, result=result)
        deliver_pending(now=now, result=result)
    return result


def claim_due(queryset: models.QuerySet, *, now: datetime, handle, result: SweepResult, label: str) -> SweepResult:
    """The one claim loop: lock due rows with SKIP LOCKED in batches, handle each in its own
    savepoint, and push a row that fails an hour forward instead of stalling the others."""
    model = queryset.model
    while True:
        with transaction.atomic():
            rows = list(
                queryset.select_for_update(skip_locked=True, of=("self",))
                .filter(next_reminder_at__lte=now)
                .order_by("next_reminder_at")[:BATCH]
            )
            for row in rows:
                try:
                    with transaction.atomic():
                        result.created += handle(row)
                except Exception:
                    log.exception("reminder sweep: %s %s pushed forward", label, row.pk)
                    model.objects.filter(pk=row.pk).update(next_reminder_at=now + BAD_ROW_DELAY)
                    result.pushed_forward.append(row.pk)
            result.claimed += len(rows)
        if len(rows) < BATCH:
            return result


def secretaries(community_id: int) -> list:
    """The community's secretaries: who hears of what has no owner, once per sweep."""
    return memoized(
        ("secretaries", community_id),
        lambda: list(staff_of(community_id, role=Role.SECRETARY)),
    )


def create_reminder(
    *,
    community_id: int,
    subject,
    kind: str,
    due_at: datetime,
    title: str,
    body: str,
    link: str,
    recipients: list,
    now: datetime,
    to_group: bool = True,
) -> int:
    """Write the reminder, its notifications and deliveries once. Returns 1 if it is new.

    Other apps (visits, 12345 cases, tasks) plug into the one mechanism through this."""
    reminder, created = Reminder.objects.get_or_create(
        content_type=ContentType.objects.get_for_model(subject),
        object_id=subject.pk,
        kind=kind,
        due_at=due_at,
        defaults={
            "community_id": community_id,
            "title": title[:200],
            "body": body,
            "link": link,
            "created_at": now,
        },
    )
    if not created:
        return 0
    Notification.objects.bulk_create(
        [Notification(reminder=reminder, recipient=user) for user in recipients], ignore_conflicts=True
    )
    deliveries = [
        Delivery(reminder=reminder, channel=DeliveryChannel.EMAIL, recipient=user, next_attempt_at=now)
        for user in recipients
        if user.email
    ]
    if to_group and ReminderSettings.rules_for(community_id).wecom_webhook_url:
        deliveries.append(Delivery(reminder=reminder, channel=DeliveryChannel.WECOM, next_attempt_at=now))
    Delivery.objects.bulk_create(deliveries, ignore_conflicts=True)
    return 1
