"""A resident import running in the background: what was checked, how far it is, how it ended."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from residents.models.community import Community, CommunityQuerySet
from residents.models.labels import ChoiceLabels


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting to be written")
    RUNNING = "running", _("Importing")
    DONE = "done", _("Imported")
    FAILED = "failed", _("Failed, nothing imported")


class Failure(models.TextChoices):
    DUPLICATE = "duplicate", _("ID numbers registered since the check")
    ERROR = "error", _("The database refused the rows")
    STOPPED = "stopped", _("The worker stopped while writing")


class ImportJob(ChoiceLabels, models.Model):
    """One checked roster being written: its rows wait in ``payload`` (ID numbers already
    encrypted, never in clear) until the worker writes them all in one transaction, then the
    payload is emptied and ``report`` keeps what happened. Stored, so closing the tab loses
    nothing; ``done`` is written from a connection of its own so the page sees it move."""

    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="import_jobs")
    # Empty when the job came from `manage.py import_residents`.
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    file_name = models.CharField(_("file"), max_length=255)
    status = models.CharField(_("status"), max_length=20, choices=JobStatus.choices, default=JobStatus.QUEUED)
    total = models.PositiveIntegerField(_("rows"))
    done = models.PositiveIntegerField(_("rows written"), default=0)
    payload = models.JSONField(default=list, editable=False)
    report = models.JSONField(default=dict, editable=False)
    failure = models.CharField(_("failure"), max_length=20, choices=Failure.choices, blank=True)
    created_at = models.DateTimeField(_("uploaded"), auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = CommunityQuerySet.as_manager()

    class Meta:
        verbose_name = _("resident import")
        verbose_name_plural = _("resident imports")
        ordering = ["-created_at", "-id"]
        # The import page lists a community's latest jobs.
        indexes = [models.Index(fields=["community", "-created_at"], name="importjob_community_recent")]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.get_status_display()})"

    @property
    def finished(self) -> bool:
        return self.status in (JobStatus.DONE, JobStatus.FAILED)

    @property
    def percent(self) -> int:
        if self.status == JobStatus.DONE:
            return 100
        return self.done * 100 // self.total if self.total else 0
