"""The read side of the monthly roll-up (issues.models.rollup): whether it serves this process,
which periods it answers (whole local months), and its figures grouped as the report's
selectors group the items' (issues.selectors.report_figures.report_issue_figures); and the fold that moves
the changes the triggers append into it."""

from __future__ import annotations

import importlib
import re
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db import connection, transaction
from django.db.models import QuerySet
from django.utils import timezone

from issues.models.rollup import MONTH_ZONE
from residents.models.community import Community

#: The roll-up's SQL, as migration 0033 last wrote it.
SQL = importlib.import_module("issues.migrations.0033_issue_first_resolved")


def roll_up_kept() -> bool:
    """Whether the monthly roll-up serves this process: on PostgreSQL, in its months' zone."""
    return connection.vendor == "postgresql" and settings.TIME_ZONE == MONTH_ZONE


def fold_changes() -> int | None:
    """Move the changes appended by the triggers into the roll-up (the beat job
    ``issues.tasks.fold_report_months``, every minute). Returns the number of roll-up rows
    written, or None when another worker is folding (it takes these changes too) or this is
    not PostgreSQL. What the report reads is the same before and after."""
    if connection.vendor != "postgresql":
        return None
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(SQL.FOLD_LOCK)
        if not cursor.fetchone()[0]:
            return None
        cursor.execute(SQL.FOLD)
        return cursor.rowcount


def local_month(moment: datetime) -> date | None:
    """The first day of the local month that ``moment`` starts, or None if it starts none."""
    local = timezone.localtime(moment)
    return local.date() if local.day == 1 and local.time() == time.min else None


def next_month(first: date) -> date:
    return date(first.year + first.month // 12, first.month % 12 + 1, 1)


def whole_months(start: datetime, end: datetime) -> bool:
    first, last = local_month(start), local_month(end)
    return first is not None and last is not None and first < last


def one_month(start: datetime, end: datetime) -> date | None:
    """The month [start, end) is, if it is exactly one local month."""
    first = local_month(start)
    return first if first is not None and local_month(end) == next_month(first) else None


#: Per category and channel: the period's figures from its months, and those at its end from
#: every month before it (open at the end = received − settled; overdue = due − due and settled).
_ROLLUP_SQL = """
SELECT m.category_id, c.name, m.channel, %(also)s, {period},
       coalesce(sum(m.received - m.open_out), 0), coalesce(sum(m.due_in - m.due_out), 0)
FROM issues_reportmonth_all m LEFT JOIN issues_issuecategory c ON c.id = m.category_id
WHERE m.community_id = %(c)s AND m.month < %(end)s
GROUP BY m.category_id, c.name, m.channel
"""
_ROLLUP_PERIOD = (
    "received",
    "solved",
    "solved_on_time",
    "repeats",
    "escalated",
    "callbacks",
    "satisfied",
    "basic",
    "unsatisfied",
    "solving_seconds",
)


def rollup_groups(community: Community, *, start: datetime, end: datetime, also_count: QuerySet) -> tuple[list, int]:
    """The roll-up's groups for the whole months [start, end), and in the same query the number
    of rows of ``also_count`` (the report's 不满意 callbacks, which the timeline answers, not the
    roll-up): a column of every group, or a query of its own when there is no group."""
    period = ", ".join(f"coalesce(sum(m.{name}) FILTER (WHERE m.month >= %(start)s), 0)" for name in _ROLLUP_PERIOD)
    counted, counted_params = also_count.order_by().values("pk").query.sql_with_params()
    named = {"c": community.pk, "start": local_month(start), "end": local_month(end)}
    params: list = []

    def positional(match: re.Match) -> str:
        if match[1] == "also":
            params.extend(counted_params)
            return f"(SELECT count(*) FROM ({counted}) AS also_counted)"
        params.append(named[match[1]])
        return "%s"

    sql = re.sub(r"%\((\w+)\)s", positional, _ROLLUP_SQL.format(period=period))
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    groups = []
    for category_id, name, channel, _also, *counts in rows:
        group = dict(zip((*_ROLLUP_PERIOD, "open_at_end", "overdue_at_end"), counts, strict=True))
        seconds = group.pop("solving_seconds")
        group |= {"category_id": category_id or None, "category__name": name, "channel": channel}
        group["solving"] = timedelta(microseconds=int(seconds * 1_000_000)) if group["solved"] else None
        groups.append(group)
    return groups, rows[0][3] if rows else also_count.count()
