"""Reminders are data, not delayed tasks.

Every item that can fall due keeps an indexed ``next_reminder_at``. The beat job calls
:func:`run_sweep` every minute: it claims due rows with ``SELECT … FOR UPDATE SKIP LOCKED``,
writes one :class:`Reminder` per (item, kind, due time) under a unique constraint, then delivers
pending deliveries the same way. So a double beat, a retried task or two workers never send
twice, and a Redis outage only delays reminders: nothing is lost, because nothing waits in Redis.
"""

from __future__ import annotations

import json
import logging
import urllib.request
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from issues.models import (
    Delivery,
    DeliveryChannel,
    DeliveryStatus,
    Issue,
    Notification,
    Reminder,
    ReminderKind,
    ReminderSettings,
    Status,
)
from residents.models import Community, Membership, Role, mask_numbers_in_text

log = logging.getLogger(__name__)

BATCH = 500
MAX_ATTEMPTS = 8
#: A delivery claimed longer ago than this was cut off mid-send (worker killed): it is retried.
STALE_CLAIM = timedelta(minutes=15)
#: A row whose reminder cannot be computed is pushed this far forward instead of stalling the loop.
BAD_ROW_DELAY = timedelta(hours=1)


def local_at(day: date, at: time) -> datetime:
    return timezone.make_aware(datetime.combine(day, at))


def issue_triggers(issue: Issue, rules: ReminderSettings | None = None) -> list[tuple[str, datetime]]:
    """When each reminder of this item falls due, given its state now."""
    rules = rules or _rules_cache(issue.community_id)
    triggers: list[tuple[str, datetime]] = []
    if issue.status in {Status.PENDING, Status.IN_PROGRESS} and issue.due_at:
        due_day = timezone.localtime(issue.due_at).date()
        if rules.remind_day_before:
            triggers.append((ReminderKind.DUE_TOMORROW, local_at(due_day - timedelta(days=1), time(8, 0))))
        triggers.append((ReminderKind.DUE_TODAY, min(local_at(due_day, time(8, 0)), issue.due_at)))
        triggers.append((ReminderKind.OVERDUE, issue.due_at))
        triggers.append((ReminderKind.OVERDUE_MEETING, issue.due_at + timedelta(days=rules.meeting_after_days)))
    elif issue.status == Status.WAITING and issue.promised_at:
        promised_day = timezone.localtime(issue.promised_at).date()
        triggers.append((ReminderKind.PROMISE_DUE, local_at(promised_day, time(9, 0))))
    elif issue.status == Status.RESOLVED and issue.resolved_at:
        triggers.append((ReminderKind.CALLBACK_DUE, issue.resolved_at + timedelta(days=rules.callback_after_days)))
    return triggers


#: Reads that are the same for every row of a community, kept for the length of one sweep.
_memo: ContextVar[dict | None] = ContextVar("reminder_memo", default=None)


def _memoized(key: tuple, compute):
    memo = _memo.get()
    if memo is None:
        return compute()
    if key not in memo:
        memo[key] = compute()
    return memo[key]


@contextmanager
def _sweep_memo():
    token = _memo.set({})
    try:
        yield
    finally:
        _memo.reset(token)


def _rules_cache(community_id: int) -> ReminderSettings:
    return _memoized(
        ("rules", community_id),
        lambda: (
            ReminderSettings.objects.filter(community_id=community_id).first()
            or ReminderSettings(community_id=community_id)
        ),
    )


def next_trigger_time(issue: Issue) -> datetime | None:
    """The earliest trigger not yet handled: what the sweep's partial index is ordered by."""
    after = issue.reminded_until
    times = [at for _, at in issue_triggers(issue) if after is None or at > after]
    return min(times) if times else None


@dataclass
class SweepResult:
    claimed: int = 0
    created: int = 0
    delivered: int = 0
    failed: int = 0
    digests: int = 0
    pushed_forward: list[int] = field(default_factory=list)


def run_sweep(*, now: datetime) -> SweepResult:
    """One pass: item reminders, the daily digests, then deliveries. What beat and
    `manage.py send_reminders` both call."""
    result = SweepResult()
    with _sweep_memo():
        _run_steps(now=now, result=result)
    return result


def _run_steps(*, now: datetime, result: SweepResult) -> None:
    sweep_issues(now=now, result=result)
    sweep_tasks(now=now, result=result)
    sweep_hotline(now=now, result=result)
    send_digests(now=now, result=result)
    deliver_pending(now=now, result=result)


# --- items -------------------------------------------------------------------------------


def claim_due(queryset, *, now: datetime, handle, result: SweepResult, label: str) -> SweepResult:
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


def sweep_issues(*, now: datetime, result: SweepResult | None = None) -> SweepResult:
    if _memo.get() is None:
        with _sweep_memo():
            return sweep_issues(now=now, result=result)
    queryset = Issue.objects.select_related("community", "owner", "category", "room__unit__building", "building")
    return claim_due(
        queryset, now=now, handle=lambda issue: _remind_issue(issue, now), result=result or SweepResult(), label="issue"
    )


def _remind_issue(issue: Issue, now: datetime) -> int:
    rules = _rules_cache(issue.community_id)
    after = issue.reminded_until
    pending = [(kind, at) for kind, at in issue_triggers(issue, rules) if (after is None or at > after) and at <= now]
    created = 0
    if pending:
        # Only the most advanced stage: nobody needs "due tomorrow" for an item already overdue.
        kind, at = max(pending, key=lambda pair: pair[1])
        created = _create_issue_reminder(issue, kind, at, now)
        if kind == ReminderKind.OVERDUE_MEETING and issue.on_meeting_since is None:
            issue.on_meeting_since = timezone.localtime(now).date()
    issue.reminded_until = now
    issue.save(update_fields=["reminded_until", "on_meeting_since"])
    return created


def _secretaries(community_id: int) -> list:
    return _memoized(
        ("secretaries", community_id),
        lambda: list(
            get_user_model().objects.filter(
                memberships__community_id=community_id, memberships__role=Role.SECRETARY, memberships__is_active=True
            )
        ),
    )


def _create_issue_reminder(issue: Issue, kind: str, at: datetime, now: datetime) -> int:
    owner_rule = {
        ReminderKind.DUE_TOMORROW,
        ReminderKind.DUE_TODAY,
        ReminderKind.PROMISE_DUE,
        ReminderKind.CALLBACK_DUE,
    }
    recipients = []
    if kind in owner_rule or kind == ReminderKind.OVERDUE:
        recipients = [issue.owner] if issue.owner else []
    if kind in {ReminderKind.OVERDUE, ReminderKind.OVERDUE_MEETING} or not recipients:
        recipients += [u for u in _secretaries(issue.community_id) if u not in recipients]
    where = issue.place_label or str(issue.category or "")
    what = str(ReminderKind(kind).label)
    title = f"{issue.code} {where}：{what}"
    partner = issue.partner_contact or issue.partner
    body = mask_numbers_in_text(issue.text[:80])
    if kind == ReminderKind.PROMISE_DUE and partner:
        body = _("Call %(partner)s about: %(text)s") % {"partner": partner, "text": body}
    return create_reminder(
        community_id=issue.community_id,
        subject=issue,
        kind=kind,
        due_at=at,
        title=title,
        body=body,
        link=reverse("issues:issue_detail", args=[issue.pk]),
        recipients=recipients,
        now=now,
        to_group=kind != ReminderKind.DIGEST,
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
    if to_group and _rules_cache(community_id).wecom_webhook_url:
        deliveries.append(Delivery(reminder=reminder, channel=DeliveryChannel.WECOM, next_attempt_at=now))
    Delivery.objects.bulk_create(deliveries, ignore_conflicts=True)
    return 1


# --- 12345 clocks ----------------------------------------------------------------------------


def sweep_hotline(*, now: datetime, result: SweepResult | None = None) -> SweepResult:
    """12345 cases at 50 % and 80 % of their response and resolution time."""
    from issues.hotline import HotlineCase, hotline_triggers

    def handle(case) -> int:
        after = case.reminded_until
        due = [(kind, at) for kind, at in hotline_triggers(case) if (after is None or at > after) and at <= now]
        created = sum(_create_hotline_reminder(case, kind, at, now) for kind, at in due)
        case.reminded_until = now
        case.save(update_fields=["reminded_until"])
        return created

    queryset = HotlineCase.objects.select_related("issue__owner", "issue__room__unit__building", "issue__building")
    return claim_due(queryset, now=now, handle=handle, result=result or SweepResult(), label="12345 case")


def _create_hotline_reminder(case, kind: str, at: datetime, now: datetime) -> int:
    issue = case.issue
    recipients = [issue.owner] if issue.owner else []
    if kind.endswith("_80") or not recipients:
        recipients += [u for u in _secretaries(case.community_id) if u not in recipients]
    deadline = case.response_deadline if "response" in kind else case.resolution_deadline
    title = f"12345 {case.case_no} {issue.place_label}：{ReminderKind(kind).label}"
    body = _("Deadline %(deadline)s. %(text)s") % {
        "deadline": timezone.localtime(deadline).strftime("%m-%d %H:%M"),
        "text": mask_numbers_in_text(issue.text[:80]),
    }
    return create_reminder(
        community_id=case.community_id,
        subject=case,
        kind=kind,
        due_at=at,
        title=title,
        body=body,
        link=reverse("issues:hotline_detail", args=[case.pk]),
        recipients=recipients,
        now=now,
    )


# --- digests -------------------------------------------------------------------------------


def send_digests(*, now: datetime, result: SweepResult | None = None) -> SweepResult:
    """Once a day per community, at its digest time: one message per staff member."""
    result = result or SweepResult()
    local = timezone.localtime(now)
    for community in Community.objects.all():
        rules = ReminderSettings.for_community(community.pk)
        if local.time() < rules.digest_time:
            continue
        # Conditional UPDATE: of two sweeps at the same minute, exactly one wins the day.
        won = (
            ReminderSettings.objects.filter(pk=rules.pk)
            .filter(Q(last_digest_on__isnull=True) | Q(last_digest_on__lt=local.date()))
            .update(last_digest_on=local.date())
        )
        if won:
            result.created += _remind_visits(community, now)
            result.digests += _digest_for(community, now)
    return result


def _remind_visits(community: Community, now: datetime) -> int:
    """Once a day, with the digest: special-population visits due today or overdue remind
    their responsible staff (the secretary when nobody is responsible). One reminder per
    status and due date: a visit recorded moves the due date and ends them."""
    from residents import selectors as resident_selectors

    today = timezone.localtime(now).date()
    created = 0
    for status in resident_selectors.due_statuses(community, day=today).select_related(
        "resident__room__unit__building", "responsible"
    ):
        kind = ReminderKind.VISIT_DUE if status.next_due_on == today else ReminderKind.VISIT_OVERDUE
        resident = status.resident
        room = resident.room.label if resident.room else ""
        created += create_reminder(
            community_id=community.pk,
            subject=status,
            kind=kind,
            due_at=local_at(status.next_due_on, time(8, 0)),
            # Surname and room only: the group robot may carry this, and health stays out.
            title=f"{resident.name[:1]}** {room}：{ReminderKind(kind).label}",
            body=_("Due on %(day)s.") % {"day": status.next_due_on.isoformat()},
            link=reverse("residents:resident_detail", args=[resident.pk]),
            recipients=[status.responsible] if status.responsible else _secretaries(community.pk),
            now=now,
        )
    return created


def digest_sections(community: Community, user, now: datetime) -> list[tuple[str, list[str]]]:
    """What one person should know at 8:30, in a few lines, not twenty messages."""
    issues = Issue.objects.in_community(community).select_related("room__unit__building", "building", "category")
    today = timezone.localtime(now).date()
    day_end = local_at(today + timedelta(days=1), time(0, 0))
    mine = issues.filter(owner=user)
    sections = [
        (_("Overdue"), mine.overdue(now)),
        (
            _("Due today"),
            mine.filter(status__in=[Status.PENDING, Status.IN_PROGRESS], due_at__gte=now, due_at__lt=day_end),
        ),
        (_("Partner promised by today"), mine.filter(status=Status.WAITING, promised_at__lt=day_end)),
        (_("To call back"), mine.filter(status=Status.RESOLVED)),
    ]
    lines = []
    for heading, queryset in sections:
        items = [f"{i.code} {i.place_label} {i.category or ''}".strip() for i in queryset[:10]]
        if items:
            lines.append((str(heading), items))
    for heading, items in extra_digest_sections(community, user, now):
        if items:
            lines.append((heading, items))
    return lines


def extra_digest_sections(community: Community, user, now: datetime) -> list[tuple[str, list[str]]]:
    """Sections other apps add (visits due, today's activities) through their selectors."""
    sections = []
    try:
        from activities import selectors as activity_selectors

        todays = getattr(activity_selectors, "todays_activities", None)
        if todays:
            sections.append((_("Today's activities"), [str(a) for a in todays(community, now=now)]))
    except ImportError:
        pass
    return sections


def _digest_for(community: Community, now: datetime) -> int:
    members = Membership.objects.filter(community=community, is_active=True).exclude(role=Role.VIEWER)
    members = members.select_related("user")
    today = timezone.localtime(now).date()
    created = 0
    for membership in members:
        sections = digest_sections(community, membership.user, now)
        if not sections:
            continue
        body = "\n".join(f"{heading}：{'；'.join(items)}" for heading, items in sections)
        created += create_reminder(
            community_id=community.pk,
            subject=membership,
            kind=ReminderKind.DIGEST,
            due_at=local_at(today, time(0, 0)),
            title=_("%(community)s daily digest %(date)s") % {"community": community.name, "date": today.isoformat()},
            body=body,
            link=reverse("issues:notification_list"),
            recipients=[membership.user],
            now=now,
            to_group=False,
        )
    return created


# --- deliveries ------------------------------------------------------------------------------


def deliver_pending(*, now: datetime, result: SweepResult | None = None) -> SweepResult:
    """Send what is due. The claim (status SENDING) is committed before sending, so a task
    redelivered after a crash finds nothing to claim and does not send again."""
    result = result or SweepResult()
    Delivery.objects.filter(status=DeliveryStatus.SENDING, claimed_at__lt=now - STALE_CLAIM).update(
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
            Delivery.objects.filter(pk__in=ids).update(status=DeliveryStatus.SENDING, claimed_at=now)
        if not ids:
            return result
        for delivery in Delivery.objects.filter(pk__in=ids).select_related(
            "reminder", "recipient", "reminder__community"
        ):
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
    send_mail(
        subject=f"[{reminder.community.name}] {reminder.title}",
        message=f"{reminder.body}\n\n{settings.SITE_URL}{reminder.link}",
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


# --- morning meeting tasks ---------------------------------------------------------------------


def sweep_tasks(*, now: datetime, result: SweepResult | None = None) -> SweepResult:
    """Tasks still unfinished at the end of their day remind their assignee (once per task and
    day), then unfinished tasks of past days are carried over to today."""
    from issues.models import Task, TaskStatus
    from issues.services import carry_over_tasks

    def handle(task) -> int:
        created = _create_task_reminder(task, now) if task.status != TaskStatus.DONE else 0
        Task.objects.filter(pk=task.pk).update(next_reminder_at=None)
        return created

    result = claim_due(
        Task.objects.select_related("assignee"), now=now, handle=handle, result=result or SweepResult(), label="task"
    )
    carry_over_tasks(now=now)
    return result


def _create_task_reminder(task, now: datetime) -> int:
    recipients = [task.assignee] if task.assignee else _secretaries(task.community_id)
    return create_reminder(
        community_id=task.community_id,
        subject=task,
        kind=ReminderKind.OVERDUE,
        due_at=task.next_reminder_at,
        title=_("Task not finished today: %(title)s") % {"title": mask_numbers_in_text(task.title)[:150]},
        body=_("It is carried over to tomorrow's morning meeting."),
        link=reverse("board"),
        recipients=recipients,
        now=now,
        to_group=False,
    )
