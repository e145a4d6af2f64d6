"""Project-wide records that belong to no single app."""

from datetime import datetime, timedelta

from django.db import models
from django.utils.translation import gettext_lazy as _


class Heartbeat(models.Model):
    """When a background process last proved it runs. Beat writes one every minute,
    through a worker, so a stale row means reminders have stopped going out."""

    name = models.CharField(max_length=50, unique=True)
    last_seen = models.DateTimeField()

    class Meta:
        verbose_name = _("heartbeat")
        verbose_name_plural = _("heartbeats")

    def __str__(self) -> str:
        return f"{self.name} @ {self.last_seen:%Y-%m-%d %H:%M:%S}"

    def is_stale(self, now: datetime, limit: timedelta = timedelta(minutes=5)) -> bool:
        return now - self.last_seen > limit
