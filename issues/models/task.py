"""The morning meeting (晨会): tasks, their changes and the read-only board link."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import datetime, time
from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from issues.models.choices import FollowUpKind, TransitionError
from issues.models.issue import Issue
from issues.models.locking import lock_and_refresh
from residents.models.care import SpecialStatus
from residents.models.community import Community, CommunityQuerySet
from residents.models.labels import ChoiceLabels

if TYPE_CHECKING:
    from django.contrib.auth.models import User


#: When a day's task counts as left unfinished: the assignee is reminded then.
TASK_DAY_ENDS = time(17, 30)


class TaskStatus(models.TextChoices):
    TODO = "todo", _("To do")
    DOING = "doing", _("Under way")
    DONE = "done", _("Done")
    POSTPONED = "postponed", _("Postponed")


#: Which task state may follow which. Task.move checks this map.
TASK_TRANSITIONS: dict[str, frozenset[str]] = {
    TaskStatus.TODO: frozenset({TaskStatus.DOING, TaskStatus.DONE, TaskStatus.POSTPONED}),
    TaskStatus.DOING: frozenset({TaskStatus.TODO, TaskStatus.DONE, TaskStatus.POSTPONED}),
    TaskStatus.POSTPONED: frozenset({TaskStatus.TODO, TaskStatus.DOING, TaskStatus.DONE}),
    TaskStatus.DONE: frozenset({TaskStatus.TODO, TaskStatus.DOING}),
}
UNFINISHED_TASK_STATES = frozenset({TaskStatus.TODO, TaskStatus.DOING, TaskStatus.POSTPONED})


class StaleTask(Exception):
    """The task changed since the board showed it: somebody else moved it first."""


def task_day_end(day) -> datetime:
    return timezone.make_aware(datetime.combine(day, TASK_DAY_ENDS))


class TaskQuerySet(CommunityQuerySet):
    def on_day(self, day) -> TaskQuerySet:
        return self.filter(day=day)

    def unfinished(self) -> TaskQuerySet:
        return self.filter(status__in=UNFINISHED_TASK_STATES)

    def with_board_data(self) -> TaskQuerySet:
        return self.select_related("assignee", "issue", "carried_from", "link_type").prefetch_related("helpers")

    def _current_open(self) -> TaskQuerySet:
        """The open tasks still in play (not the past days' rows they were carried over from),
        locked. A task being moved on the board this instant is skipped rather than waited for:
        its move writes a note on the item, whose row the caller already holds (a deadlock)."""
        return (
            self.unfinished()
            .filter(carried_to__isnull=True)
            .select_for_update(skip_locked=True, of=("self",))
            .order_by("pk")
        )

    def finish_with_item(self, *, by: User, now: datetime) -> int:
        """The item these tasks are for (``issue.tasks``) is settled or closed: each open task is
        marked done through :meth:`Task.move`, as on the board (its TaskEvent, the note on the
        item), so the 17:30 sweep no longer reminds of it nor carries it over. Returns how many."""
        return sum(
            1
            for task in self._current_open()
            if task.move(by=by, now=now, status=TaskStatus.DONE, note=_("Item settled"))
        )

    def unfinish_with_item(self, *, closed_at: datetime, by: User, now: datetime, note: str) -> int:
        """The 撤销 of the item's closing: the tasks it marked done (at ``closed_at``, and not moved
        since) go back to the state they were in. Returns how many."""
        count = 0
        done = self.filter(status=TaskStatus.DONE, done_at=closed_at)
        for task in done.select_for_update(skip_locked=True, of=("self",)).order_by("pk"):
            last = task.events.order_by("-version").first()
            if last is None or last.version != task.version:
                continue
            # Done → 延期 is not in the map: a postponed task comes back as to do.
            back = last.from_status if task.allowed(last.from_status) else TaskStatus.TODO
            count += task.move(by=by, now=now, status=back, note=note) is not None
        return count

    def follow_duplicate(self, target: Issue, *, by: User, now: datetime) -> int:
        """The item these tasks are for was merged into ``target`` as its duplicate: each open
        task is for ``target`` now (done at once if ``target`` is settled already). Returns how many."""
        tasks = list(self._current_open())
        for task in tasks:
            task.relink(target, by=by, now=now)
            if not target.is_open:
                task.move(by=by, now=now, status=TaskStatus.DONE, note=_("Item settled"))
        return len(tasks)


class Task(ChoiceLabels, models.Model):
    """A task given out at the morning meeting (晨会任务): one person's job for one day.

    Every change goes through :meth:`move` (status, assignee or both), which checks the
    transition map and the optimistic ``version`` under a row lock and writes one TaskEvent,
    and a FollowUp on the linked item, in the same transaction."""

    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="tasks")
    title = models.CharField(_("task"), max_length=200)
    day = models.DateField(_("day"))
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="tasks",
        verbose_name=_("assignee"),
    )
    helpers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="helped_tasks", verbose_name=_("helpers")
    )
    status = models.CharField(_("status"), max_length=20, choices=TaskStatus.choices, default=TaskStatus.TODO)
    issue = models.ForeignKey(
        Issue, on_delete=models.SET_NULL, null=True, blank=True, related_name="tasks", verbose_name=_("item")
    )
    # A visit or an activity: those apps sit above issues in the layering, so a generic link.
    link_type = models.ForeignKey(ContentType, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    link_id = models.PositiveBigIntegerField(null=True, blank=True)
    link = GenericForeignKey("link_type", "link_id")
    # Today's due visits this task is for; the board shows them masked (surname and room).
    visits = models.ManyToManyField(SpecialStatus, blank=True, related_name="tasks", verbose_name=_("visits"))
    carried_from = models.OneToOneField(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="carried_to", editable=False
    )
    version = models.PositiveIntegerField(default=1, editable=False)
    # Reminders are data: the sweep claims tasks still unfinished at the end of their day.
    next_reminder_at = models.DateTimeField(null=True, blank=True, editable=False)
    done_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", editable=False
    )
    created_at = models.DateTimeField(_("created at"))

    objects = TaskQuerySet.as_manager()

    class Meta:
        verbose_name = _("task")
        verbose_name_plural = _("tasks")
        ordering = ["day", "created_at", "id"]
        indexes = [
            models.Index(fields=["community", "day"], name="task_comm_day"),
            models.Index(
                fields=["next_reminder_at"], name="task_next_reminder", condition=Q(next_reminder_at__isnull=False)
            ),
            # The carry-over reads unfinished tasks of past days.
            models.Index(
                fields=["community", "day"],
                name="task_unfinished_day",
                condition=Q(status__in=["todo", "doing", "postponed"]),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_done(self) -> bool:
        return self.status == TaskStatus.DONE

    def allowed(self, target: str) -> bool:
        return target == self.status or target in TASK_TRANSITIONS[TaskStatus(self.status)]

    def move(
        self,
        *,
        by: User,
        now: datetime,
        status: str | None = None,
        assignee=False,
        version: int | None = None,
        note: str = "",
    ) -> TaskEvent | None:
        """Change the status, the assignee or both: what drag, keyboard and buttons all call.

        ``version`` is the one the board showed: if the task changed since, StaleTask is
        raised and nothing is written, so two people moving it at once end in one state,
        recorded once. ``assignee=False`` leaves the assignee; None unassigns. Returns None
        when nothing changes."""
        with transaction.atomic():
            lock_and_refresh(self)
            if version is not None and self.version != version:
                raise StaleTask
            target = status or self.status
            if not self.allowed(target):
                raise TransitionError(
                    _("A task that is “%(from)s” cannot become “%(to)s”.")
                    % {"from": self.get_status_display(), "to": TaskStatus(target).label}
                )
            new_assignee_id = self.assignee_id if assignee is False else (assignee.pk if assignee else None)
            if target == self.status and new_assignee_id == self.assignee_id and not note:
                return None
            event = TaskEvent(
                task=self,
                by=by,
                at=now,
                note=note,
                from_status=self.status,
                to_status=target,
                from_assignee_id=self.assignee_id,
                to_assignee_id=new_assignee_id,
            )
            self.status = target
            self.assignee_id = new_assignee_id
            self.done_at = now if target == TaskStatus.DONE else None
            self.next_reminder_at = None if target == TaskStatus.DONE else self.reminder_due()
            self.version += 1
            self.save(update_fields=["status", "assignee", "done_at", "next_reminder_at", "version"])
            event.version = self.version
            event.save()
            if self.issue_id and event.from_status != event.to_status:
                self.issue.add_entry(
                    kind=FollowUpKind.NOTE,
                    by=by,
                    now=now,
                    note=_("Morning meeting task “%(title)s”: %(status)s")
                    % {"title": self.title, "status": TaskStatus(target).label},
                )
            return event

    move.alters_data = True

    def link_visits(self, *, by: User, now: datetime, visits: list[SpecialStatus]) -> TaskEvent | None:
        """Set the due visits this task is for (the board's edit menu). Bumps the version and
        writes one TaskEvent naming the visits masked; returns None when nothing changes."""
        wanted = {status.pk for status in visits}
        if any(status.community_id != self.community_id for status in visits):
            raise ValueError("a visit of another community")
        with transaction.atomic():
            lock_and_refresh(self)
            if wanted == set(self.visits.values_list("pk", flat=True)):
                return None
            self.visits.set(visits)
            self.version += 1
            self.save(update_fields=["version"])
            labels = "、".join(status.masked_label for status in visits) or "—"
            return self._event(by=by, now=now, note=(_("Visits: %(visits)s") % {"visits": labels})[:200])

    link_visits.alters_data = True

    def relink(self, issue: Issue, *, by: User, now: datetime) -> TaskEvent:
        """The task is for ``issue`` now (its item was merged into it as a duplicate): the
        version moves on, one TaskEvent says from which item, and ``issue`` gets the note a task
        given out for it gets."""
        with transaction.atomic():
            lock_and_refresh(self)
            before = self.issue.code if self.issue_id else "—"
            self.issue = issue
            self.version += 1
            self.save(update_fields=["issue", "version"])
            issue.add_entry(
                kind=FollowUpKind.NOTE,
                by=by,
                now=now,
                note=_("Morning meeting task “%(title)s”: %(status)s")
                % {"title": self.title, "status": TaskStatus(self.status).label},
            )
            return self._event(
                by=by,
                now=now,
                note=_("Item %(duplicate)s merged into %(item)s") % {"duplicate": before, "item": issue.code},
            )

    relink.alters_data = True

    def _event(self, *, by: User, now: datetime, note: str) -> TaskEvent:
        """The TaskEvent of a change that keeps the state and the assignee (visits linked, the
        item it is for), at the task's current version."""
        return TaskEvent.objects.create(
            task=self,
            version=self.version,
            by=by,
            at=now,
            from_status=self.status,
            to_status=self.status,
            from_assignee_id=self.assignee_id,
            to_assignee_id=self.assignee_id,
            note=note,
        )

    def reminder_due(self) -> datetime:
        return task_day_end(self.day)


class TaskEvent(ChoiceLabels, models.Model):
    """One change of a task, on the record: who moved it where, when. One row per version."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="events")
    version = models.PositiveIntegerField()
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    at = models.DateTimeField(_("time"))
    from_status = models.CharField(max_length=20, choices=TaskStatus.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=TaskStatus.choices, blank=True)
    from_assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    to_assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("task change")
        verbose_name_plural = _("task changes")
        ordering = ["task", "version"]
        constraints = [models.UniqueConstraint(fields=["task", "version"], name="task_event_once_per_version")]

    def __str__(self) -> str:
        return f"{self.task} v{self.version}"


class BoardToken(models.Model):
    """A read-only link to a community's board for the meeting-room screen, without a login.

    Only a hash of the secret is stored; the link is shown once, when it is made. Revoked
    links stay on the list so the secretary sees what was handed out."""

    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="board_tokens")
    label = models.CharField(_("where it is used"), max_length=50)
    secret_hash = models.CharField(max_length=64, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", editable=False
    )
    created_at = models.DateTimeField(_("created at"))
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    objects = CommunityQuerySet.as_manager()

    class Meta:
        verbose_name = _("board link")
        verbose_name_plural = _("board links")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.label

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None

    @staticmethod
    def hash_secret(secret: str) -> str:
        return hashlib.sha256(secret.encode()).hexdigest()

    @classmethod
    def create_link(cls, *, community: Community, label: str, by: User, now: datetime) -> tuple[BoardToken, str]:
        """Make a new link; returns the row and the token (``<id>.<secret>``), shown once."""
        secret = secrets.token_urlsafe(24)
        row = cls.objects.create(
            community=community, label=label, secret_hash=cls.hash_secret(secret), created_by=by, created_at=now
        )
        return row, f"{row.pk}.{secret}"

    @classmethod
    def active_for(cls, token: str) -> BoardToken | None:
        """The active row for ``token``, or None: forged, malformed and revoked alike."""
        ident, _dot, secret = (token or "").partition(".")
        if not ident.isdigit() or not secret:
            return None
        row = cls.objects.select_related("community").filter(pk=int(ident), revoked_at__isnull=True).first()
        # Constant-time comparison, so the response time does not leak how much of it matched.
        if row is None or not hmac.compare_digest(row.secret_hash, cls.hash_secret(secret)):
            return None
        return row

    def revoke(self, *, now: datetime) -> None:
        """The link stops working at once (the next refresh of the screen is a 404)."""
        BoardToken.objects.filter(pk=self.pk, revoked_at__isnull=True).update(revoked_at=now)
        self.refresh_from_db(fields=["revoked_at"])

    revoke.alters_data = True
