"""项目: a small project with an outside partner (the culture wall with a design company).

A ``Project`` has ``Milestone`` rows (节点), each with the date the partner promised. A
milestone that falls due reminds the project's person in charge through the one sweep
(issues/projects/reminders.py): ``next_reminder_at`` is its due clock, on a partial index like
every other source's. A promise moved later keeps the dates it replaced, because a partner's
slipping dates are what the office has to show when it asks them why."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models, transaction
from django.db.models import Prefetch, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from issues.models.locking import lock_and_refresh
from issues.models.partner import Partner
from issues.models.reminder import ReminderKind, local_at
from residents.models.community import Community, CommunityQuerySet
from residents.models.labels import ChoiceLabels

if TYPE_CHECKING:
    from django.contrib.auth.models import User

#: The hour a milestone's reminders go out: the morning, before the office's day starts.
REMIND_AT = time(8, 0)


class ProjectStatus(models.TextChoices):
    # Contexts of their own: an item's "In progress" is 办理中, a project's 进行中.
    ACTIVE = "active", pgettext_lazy("project status", "In progress")
    FINISHED = "finished", pgettext_lazy("project status", "Finished")


class ProjectError(Exception):
    """A change the project's state does not allow; the message says why, for the page."""


class ProjectQuerySet(CommunityQuerySet):
    def active(self) -> ProjectQuerySet:
        return self.filter(status=ProjectStatus.ACTIVE)

    def for_list(self) -> ProjectQuerySet:
        """Open projects first, each with its partner, person in charge and open milestones
        (the list shows the next one) in a fixed number of queries."""
        open_milestones = Milestone.objects.filter(done_on__isnull=True).order_by("promised_on", "id")
        return (
            self.select_related("partner", "owner")
            .prefetch_related(Prefetch("milestones", queryset=open_milestones, to_attr="open_milestones"))
            .order_by(models.Case(models.When(status=ProjectStatus.ACTIVE, then=0), default=1), "-created_at")
        )


class Project(ChoiceLabels, models.Model):
    """A small project the community runs with an outside partner: milestones, promised dates."""

    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="projects")
    title = models.CharField(_("project name"), max_length=100)
    partner = models.ForeignKey(
        Partner,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="projects",
        verbose_name=_("partner"),
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="projects",
        verbose_name=_("person in charge"),
    )
    description = models.TextField(_("description"), max_length=2000, blank=True)
    started_on = models.DateField(_("start date"))
    status = models.CharField(
        _("status"), max_length=10, choices=ProjectStatus.choices, default=ProjectStatus.ACTIVE, editable=False
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", editable=False
    )
    created_at = models.DateTimeField(_("created at"), editable=False)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True, editable=False)

    objects = ProjectQuerySet.as_manager()

    class Meta:
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["community", "status", "-created_at"], name="project_comm_status")]

    def __str__(self) -> str:
        return self.title

    @property
    def is_active(self) -> bool:
        return self.status == ProjectStatus.ACTIVE

    def finish(self, *, by: User, now: datetime) -> None:
        """Mark the project finished; its open milestones stop reminding anyone."""
        with transaction.atomic():
            lock_and_refresh(self)
            if not self.is_active:
                raise ProjectError(_("This project is already finished."))
            self.status = ProjectStatus.FINISHED
            self.finished_at = now
            self.save(update_fields=["status", "finished_at"])
            self.milestones.filter(next_reminder_at__isnull=False).update(next_reminder_at=None)

    finish.alters_data = True


def milestone_triggers(promised_on: date) -> list[tuple[str, datetime]]:
    """A milestone's reminders: the morning before the promised date, and the morning after it
    (the promise was not kept)."""
    return [
        (ReminderKind.DUE_TOMORROW, local_at(promised_on - timedelta(days=1), REMIND_AT)),
        (ReminderKind.OVERDUE, local_at(promised_on + timedelta(days=1), REMIND_AT)),
    ]


class Milestone(models.Model):
    """A step of a project (节点) with the date the partner promised it (承诺完成日期)."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(_("milestone"), max_length=100)
    promised_on = models.DateField(_("promised completion date"))
    # The dates this promise replaced, oldest first (ISO dates): 原定12月10日 → 改为12月15日.
    earlier_promises = models.JSONField(default=list, blank=True, editable=False)
    done_on = models.DateField(_("completed on"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)
    # The reminder clock: triggers up to ``reminded_until`` are handled; the sweep claims the
    # row when ``next_reminder_at`` has come (partial index below, as every other source's).
    next_reminder_at = models.DateTimeField(null=True, blank=True, editable=False)
    reminded_until = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("created at"), editable=False)

    class Meta:
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        ordering = ["promised_on", "id"]
        indexes = [
            models.Index(
                fields=["next_reminder_at"],
                name="milestone_next_reminder",
                condition=Q(next_reminder_at__isnull=False),
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def earlier_dates(self) -> list[date]:
        return [date.fromisoformat(day) for day in self.earlier_promises]

    def next_trigger(self, after: datetime | None) -> datetime | None:
        """The first reminder still to come after ``after``; None once done or the project finished."""
        if self.done_on or not self.project.is_active:
            return None
        return next((at for _kind, at in milestone_triggers(self.promised_on) if after is None or at > after), None)

    def start_clock(self, now: datetime) -> None:
        """Set the clock of a new or moved promise: what has already passed is not reminded."""
        self.reminded_until = now
        self.next_reminder_at = self.next_trigger(now)

    def mark_done(self, *, on: date, now: datetime) -> None:
        """Record the milestone as completed on ``on``; it stops reminding."""
        with transaction.atomic():
            lock_and_refresh(self)
            if self.done_on:
                raise ProjectError(_("This milestone is already completed."))
            self.done_on = on
            self.next_reminder_at = None
            self.save(update_fields=["done_on", "next_reminder_at"])

    mark_done.alters_data = True

    def move_promise(self, *, to: date, now: datetime) -> None:
        """The partner promised a new date: keep the old one, and restart the reminders."""
        with transaction.atomic():
            lock_and_refresh(self)
            if self.done_on:
                raise ProjectError(_("This milestone is already completed."))
            if to == self.promised_on:
                return
            self.earlier_promises = [*self.earlier_promises, self.promised_on.isoformat()]
            self.promised_on = to
            self.start_clock(now)
            self.save(update_fields=["earlier_promises", "promised_on", "reminded_until", "next_reminder_at"])

    move_promise.alters_data = True
