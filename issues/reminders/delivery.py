"""Deliveries of reminders through outside channels (e-mail, the WeCom group robot), claimed
and committed before sending so that a redelivered task never sends twice, retried with backoff."""

from __future__ import annotations

import json
import logging
import urllib.request
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from issues.models.reminder import Delivery, DeliveryChannel, DeliveryStatus, ReminderSettings
from residents.masking import mask_numbers_in_text

if TYPE_CHECKING:
    from issues.reminders.sweep import SweepResult

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 8
#: A delivery claimed longer ago than this was cut off mid-send (worker killed): it is retried.
STALE_CLAIM = timedelta(minutes=15)


def deliveries_waiting(now: datetime) -> list:
    """What makes the sweep call :func:`deliver_pending`: deliveries due, or cut off mid-send."""
    waiting = Delivery.objects.order_by("next_attempt_at")  # the partial index of those not yet sent
    return [
        waiting.filter(status=DeliveryStatus.PENDING, next_attempt_at__lte=now),
        waiting.filter(status=DeliveryStatus.SENDING, claimed_at__lt=timezone.now() - STALE_CLAIM),
    ]


def deliver_pending(*, now: datetime, result: SweepResult) -> SweepResult:
    """Send what is due. The claim (status SENDING) is committed before sending, so a task
    redelivered after a crash finds nothing to claim and does not send again.

    A claim is stamped with the clock, not with the sweep's ``now``, and a claim older than
    STALE_CLAIM by the clock is taken back (its worker was killed mid-send). Each delivery is
    sent only if its claim is still this sweep's, renewed just before sending: a batch whose
    mail server answers slowly may outlast STALE_CLAIM, and a later sweep that took back and
    sent its last rows must not have them sent a second time by this one."""
    Delivery.objects.filter(status=DeliveryStatus.SENDING, claimed_at__lt=timezone.now() - STALE_CLAIM).update(
        status=DeliveryStatus.PENDING
    )
    while True:
        with transaction.atomic():
            claimed = list(
                Delivery.objects.select_for_update(skip_locked=True)
                .filter(status=DeliveryStatus.PENDING, next_attempt_at__lte=now)
                .order_by("next_attempt_at")[:100]
            )
            ids = [d.pk for d in claimed]
            Delivery.objects.filter(pk__in=ids).update(status=DeliveryStatus.SENDING, claimed_at=timezone.now())
        if not ids:
            return result
        for delivery in Delivery.objects.filter(pk__in=ids).select_related(
            "reminder", "recipient", "reminder__community"
        ):
            still_ours = Delivery.objects.filter(
                pk=delivery.pk, status=DeliveryStatus.SENDING, claimed_at=delivery.claimed_at
            ).update(claimed_at=timezone.now())
            if still_ours:
                _deliver_one(delivery, now, result)


def _deliver_one(delivery: Delivery, now: datetime, result: SweepResult) -> None:
    try:
        SENDERS[delivery.channel](delivery)
    except Exception as exc:  # a failing channel never blocks the others or the sweep
        attempts = delivery.attempts + 1
        failed = attempts >= MAX_ATTEMPTS
        Delivery.objects.filter(pk=delivery.pk).update(
            status=DeliveryStatus.FAILED if failed else DeliveryStatus.PENDING,
            attempts=attempts,
            next_attempt_at=now + timedelta(minutes=2**attempts),
            last_error=f"{exc.__class__.__name__}: {exc}"[:1000],
        )
        log.warning("delivery %s via %s failed (attempt %s): %s", delivery.pk, delivery.channel, attempts, exc)
        result.failed += 1
        return
    Delivery.objects.filter(pk=delivery.pk).update(
        status=DeliveryStatus.SENT, attempts=delivery.attempts + 1, sent_at=now, last_error=""
    )
    result.delivered += 1


def send_email(delivery: Delivery) -> None:
    reminder = delivery.reminder
    send_mail(  # numbers in the text are masked again, as for WeCom: mail leaves the office
        subject=f"[{reminder.community.name}] {mask_numbers_in_text(reminder.title)}",
        message=f"{mask_numbers_in_text(reminder.body)}\n\n{settings.SITE_URL}{reminder.link}",
        from_email=None,
        recipient_list=[delivery.recipient.email],
    )


def send_wecom(delivery: Delivery) -> None:
    """A WeCom group robot: items and places only; numbers in the text are masked again."""
    reminder = delivery.reminder
    url = ReminderSettings.for_community(reminder.community_id).wecom_webhook_url
    content = mask_numbers_in_text(f"{reminder.title}\n{reminder.body}")
    payload = json.dumps({"msgtype": "text", "text": {"content": content}}).encode()
    request = urllib.request.Request(url, data=payload, headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=5) as response:
        answer = json.loads(response.read() or b"{}")
    if answer.get("errcode", 0) != 0:
        raise RuntimeError(f"WeCom answered {answer}")


SENDERS = {DeliveryChannel.EMAIL: send_email, DeliveryChannel.WECOM: send_wecom}
