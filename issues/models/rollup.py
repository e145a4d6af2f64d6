"""The monthly roll-up of the 民情日记 figures that the monthly report and the 街道 overview
read for a month that is over, instead of the month's items (thousands in a busy community,
and the year of the 12-month trend)."""

from __future__ import annotations

from django.db import models

#: The roll-up's months are local months of this zone (all of China keeps one). Migration 0024
#: writes it into the SQL function issues_local_month; the report reads the roll-up only when
#: settings.TIME_ZONE is this zone, and otherwise counts the items.
MONTH_ZONE = "Asia/Shanghai"


class MonthFigures(models.Model):
    """What the items of one community, category and channel add to one local month's figures:

    - received, repeats, escalated: items (not duplicates) received in the month;
    - solved, solved_on_time, solving_seconds: items resolved in the month;
    - callbacks, satisfied, basic, unsatisfied: items closed in the month with a callback answer;
    - open_out, due_in, due_out: what makes "open at the end" and "overdue at the end" of any
      month a sum over the months before its end (received − open_out; due_in − due_out), for
      items not settled (resolved or closed), and past due, by then.

    Plain numbers, not foreign keys: the rows of a category or community are not deleted with
    it (they add nothing once their items have gone), and a trigger never fails on one."""

    community_id = models.BigIntegerField()
    month = models.DateField()
    category_id = models.BigIntegerField(default=0)  # 0: no category (a key column, never NULL)
    channel = models.CharField(max_length=20)
    received = models.IntegerField(default=0)
    repeats = models.IntegerField(default=0)
    escalated = models.IntegerField(default=0)
    solved = models.IntegerField(default=0)
    solved_on_time = models.IntegerField(default=0)
    solving_seconds = models.DecimalField(max_digits=24, decimal_places=6, default=0)
    callbacks = models.IntegerField(default=0)
    satisfied = models.IntegerField(default=0)
    basic = models.IntegerField(default=0)
    unsatisfied = models.IntegerField(default=0)
    open_out = models.IntegerField(default=0)
    due_in = models.IntegerField(default=0)
    due_out = models.IntegerField(default=0)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.community_id} {self.month:%Y-%m} {self.category_id} {self.channel}"


class ReportMonth(MonthFigures):
    """The roll-up: one row per community, local month, category and channel, the sum of every
    change folded into it so far. Read together with the changes not yet folded (the SQL view
    issues_reportmonth_all) by issues.selectors.report_figures.report_issue_figures and issue_month_trend."""

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["community_id", "month", "category_id", "channel"],
                name="report_month_key",
            )
        ]


class ReportMonthChange(MonthFigures):
    """What one write to the items changed in a month's figures, appended by triggers on
    issues_issue (migrations 0024 and 0025, PostgreSQL only) in the same transaction as every
    write, whatever writes it (a form, a bulk update, SQL, TRUNCATE): the old row's share taken
    out, the new one's put in, a statement's rows summed per key.

    Appended, never updated: two people saving items of the same month at once lock nothing in
    common, so they neither wait for each other nor meet in a deadlock. Every minute the beat
    job ``issues.tasks.fold_report_months`` moves the changes into :class:`ReportMonth`, one
    worker at a time (issues.report_months.fold_changes)."""

    class Meta:
        indexes = [models.Index(fields=["community_id", "month"], name="report_month_change_month")]
