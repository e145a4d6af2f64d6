"""The item's reminder clock: a narrow row beside each 民情日记 item that the sweep claims."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import connection, models
from django.db.models import Q

if TYPE_CHECKING:
    from issues.models.issue import Issue


class IssueClock(models.Model):
    """The item's reminder clock, one narrow row beside it: triggers up to ``reminded_until``
    have been handled, and the sweep claims the row when ``next_reminder_at`` has come (partial
    index). The sweep moves only this row on; the item's own wide row, with its two dozen
    indexes (three of them GIN expressions recomputed on every row rewritten), is left alone.
    Issue.save() winds it from the item's state (:meth:`wind`)."""

    issue = models.OneToOneField("issues.Issue", on_delete=models.CASCADE, primary_key=True, related_name="clock")
    next_reminder_at = models.DateTimeField(null=True, blank=True, editable=False)
    reminded_until = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        indexes = [
            models.Index(
                fields=["next_reminder_at"], name="issue_next_reminder", condition=Q(next_reminder_at__isnull=False)
            ),
        ]

    def __str__(self) -> str:
        return f"{self.issue_id} → {self.next_reminder_at}"

    @classmethod
    def wind(cls, issue: Issue) -> None:
        """Set the item's next reminder from its state, after the triggers already handled:
        one upsert that reads ``reminded_until`` in the database (a new item's is its
        ``received_at``), so the item's save needs no extra read."""
        times = [at for _kind, at in issue.reminder_triggers()]
        if connection.vendor != "postgresql":
            clock, _created = cls.objects.get_or_create(issue=issue, defaults={"reminded_until": issue.received_at})
            clock.next_reminder_at = issue.next_trigger_time(clock.reminded_until)
            clock.save(update_fields=["next_reminder_at"])
            return
        table = cls._meta.db_table
        earliest = "(SELECT min(t) FROM unnest(%s::timestamptz[]) AS t WHERE {after} IS NULL OR t > {after})"
        sql = (
            f"INSERT INTO {table} (issue_id, reminded_until, next_reminder_at) "
            f"VALUES (%s, %s, {earliest.format(after='%s::timestamptz')}) "
            f"ON CONFLICT (issue_id) DO UPDATE SET next_reminder_at = "
            f"{earliest.format(after=f'{table}.reminded_until')}"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [issue.pk, issue.received_at, times, issue.received_at, issue.received_at, times])
