"""Project-wide records that belong to no single app."""

from datetime import datetime, timedelta

from django.core.validators import MaxValueValidator
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


#: Where the 月探访率 turns red for a subdistrict that has set nothing.
DEFAULT_VISIT_RATE_THRESHOLD = 90


class SubdistrictSettings(models.Model):
    """What a 街道 (subdistrict) expects of the communities it supervises: the 月探访率 under
    which a community is flagged red on the overview. Matched by Community.subdistrict."""

    name = models.CharField(_("subdistrict"), max_length=100, unique=True)
    visit_rate_threshold = models.PositiveSmallIntegerField(
        _("flag a monthly visit rate below (%)"),
        default=DEFAULT_VISIT_RATE_THRESHOLD,
        validators=[MaxValueValidator(100)],
    )

    class Meta:
        verbose_name = _("subdistrict settings")
        verbose_name_plural = _("subdistrict settings")

    def __str__(self) -> str:
        return self.name

    @classmethod
    def thresholds(cls, names: set[str]) -> dict[str, int]:
        """The threshold of each subdistrict named (the default for those with no row). One query."""
        found = dict(cls.objects.filter(name__in=names).values_list("name", "visit_rate_threshold"))
        return {name: found.get(name, DEFAULT_VISIT_RATE_THRESHOLD) for name in names}
