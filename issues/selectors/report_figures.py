"""The 民情日记 section of the monthly report: its figures, the rows behind each figure, and the
month-by-month trend (fuhai.reports composes them with the other apps' sections)."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import connection
from django.db.models import Count, DurationField, F, Min, Q, QuerySet, Sum

from issues import report_months
from issues.models.choices import FollowUpKind, IssueChannel, IssueStatus, Satisfaction
from issues.models.issue import Issue
from issues.models.timeline import FollowUp
from residents.models.community import Community

#: The 民情日记's figures of a report, each with the filter that finds its rows, so the number
#: on the report and the rows behind it come from the same words.
REPORT_FIGURES = (
    "received",
    "solved",
    "solved_on_time",
    "open_at_end",
    "overdue_at_end",
    "repeats",
    "escalated",
    "callbacks",
    "satisfied",
    "basic",
    "unsatisfied",
)

#: The figures the items' own dates answer (a group of the roll-up or of the items counts them).
#: ``unsatisfied`` is counted from the timeline (sent_back), and ``callbacks`` is 满意 + 基本满意 +
#: 不满意: a callback counts in the period it was made, whatever it answered.
_ROW_FIGURES = tuple(name for name in REPORT_FIGURES if name not in ("callbacks", "unsatisfied"))


def _open_at(end: datetime) -> Q:
    """Received before ``end``, not a duplicate, and neither solved nor closed before it."""
    settled_before_end = Q(resolved_at__lt=end) | Q(closed_at__lt=end)
    return Q(received_at__lt=end) & ~Q(status=IssueStatus.DUPLICATE) & ~settled_before_end


def _open_at_rows(end: datetime) -> Q:
    """The items that may be open at ``end``, as arms the date indexes answer: received before
    it and unsettled to this day (the partial index ``issue_comm_unsettled``), or settled after
    it (``issue_comm_resolved``, ``issue_comm_closed``). Never the history settled before it."""
    before_end = Q(received_at__lt=end)
    return (
        before_end & Q(resolved_at__isnull=True, closed_at__isnull=True)
        | before_end & Q(resolved_at__gte=end)
        | before_end & Q(closed_at__gte=end)
    )


def _report_filters(start: datetime, end: datetime) -> dict[str, Q]:
    received = Q(received_at__gte=start, received_at__lt=end) & ~Q(status=IssueStatus.DUPLICATE)
    # Solved in the period: first solved in it, though a 不满意 callback (counted apart, in
    # ``unsatisfied``) or a reopening has sent it back since. Each item counts once, in the
    # month of its first solving, and a month's 已解决 stays what it was when the month ended.
    solved = Q(first_resolved_at__gte=start, first_resolved_at__lt=end)
    open_at_end = _open_at(end)
    closed_by_callback = Q(closed_at__gte=start, closed_at__lt=end)
    # Such an item is in _report_rows: sent back in the period, it is open at its end, or was
    # solved or closed again after the callback, so in the period or after it.
    unsatisfied = Q(pk__in=sent_back(start, end))
    callbacks = closed_by_callback & Q(satisfaction__in=(Satisfaction.SATISFIED, Satisfaction.BASIC)) | unsatisfied
    return {
        "received": received,
        "solved": solved,
        "solved_on_time": solved & (Q(due_at__isnull=True) | Q(first_resolved_at__lte=F("due_at"))),
        "open_at_end": open_at_end,
        "overdue_at_end": open_at_end & Q(due_at__lt=end),
        "repeats": received & Q(report_count__gte=2),
        "escalated": received & Q(escalated=True),
        "callbacks": callbacks,
        "satisfied": closed_by_callback & Q(satisfaction=Satisfaction.SATISFIED),
        "basic": closed_by_callback & Q(satisfaction=Satisfaction.BASIC),
        "unsatisfied": unsatisfied,
    }


def sent_back(start: datetime, end: datetime) -> QuerySet:
    """The items given a 不满意 callback in [start, end): its timeline's callback entry of then,
    which sent the item back to 办理中 (the item keeps no time of it: it is neither solved nor
    closed by it). Read through the timeline's small partial index of such entries
    (``followup_sent_back``), whatever the years of history."""
    return FollowUp.objects.filter(
        kind=FollowUpKind.CALLBACK, to_status=IssueStatus.IN_PROGRESS, created_at__gte=start, created_at__lt=end
    ).values("issue_id")


def _report_rows(start: datetime, end: datetime) -> Q:
    """Every item any REPORT_FIGURE of [start, end) may count, as arms the per-community date
    indexes answer (a BitmapOr): received, first solved or closed in the period, and the items open at
    its end (received before it and not settled before it: unsettled to this day, or settled
    after the end). The figures' own filters then pick from these rows, so the report reads the
    period's rows, not the community's whole history."""
    return (
        Q(received_at__gte=start, received_at__lt=end)
        | Q(first_resolved_at__gte=start, first_resolved_at__lt=end)
        | Q(closed_at__gte=start, closed_at__lt=end)
        | _open_at_rows(end)
    )


def report_issue_figures(community: Community, *, start: datetime, end: datetime) -> dict:
    """The 民情日记 section of a report for [start, end): the REPORT_FIGURES, items received by
    channel and by category, and the average days from receipt to solving. One query. For whole
    local months on PostgreSQL (a month or quarter that is over: the report's default) it reads
    the monthly roll-up (issues.models.rollup), a row per month, category and channel, whatever
    the number of items; otherwise (the month so far) the period's rows, and those open at its
    end, through per-community date indexes."""
    if report_months.roll_up_kept() and report_months.whole_months(start, end):
        unsatisfied = Issue.objects.in_community(community).filter(pk__in=sent_back(start, end))
        groups, unsatisfied = report_months.rollup_groups(community, start=start, end=end, also_count=unsatisfied)
        return _figures_from_groups(groups, unsatisfied)
    return report_issue_figures_from_items(community, start=start, end=end)


def report_issue_figures_from_items(community: Community, *, start: datetime, end: datetime) -> dict:
    """report_issue_figures counted from the items themselves: one query, grouped by category
    and channel (the figures are the sums of the groups), reading only the period's rows (and
    those open at its end) through per-community date indexes, whatever the years of history."""
    filters = _report_filters(start, end)
    groups = list(
        Issue.objects.in_community(community)
        .filter(_report_rows(start, end))
        .order_by()
        .values("category_id", "category__name", "channel")
        .annotate(
            **{name: Count("id", filter=filters[name]) for name in (*_ROW_FIGURES, "unsatisfied")},
            solving=Sum(
                F("first_resolved_at") - F("received_at"), filter=filters["solved"], output_field=DurationField()
            ),
        )
    )
    return _figures_from_groups(groups, sum(group["unsatisfied"] for group in groups))


def oldest_open_received(communities: list[Community], *, end: datetime) -> dict[int, datetime]:
    """When the oldest item open at ``end`` (the report's ``open_at_end``) was received, per
    community id; a community with no item open then is left out. One query for all the
    communities, over the items open at ``end`` only (_open_at_rows), whatever the years of
    settled history."""
    rows = (
        Issue.objects.filter(community__in=communities)
        .filter(_open_at_rows(end))
        .filter(_open_at(end))
        .order_by()
        .values("community_id")
        .annotate(oldest=Min("received_at"))
    )
    return {row["community_id"]: row["oldest"] for row in rows}


def _figures_from_groups(groups: list[dict], unsatisfied: int) -> dict:
    """The figures from the groups of the roll-up or of the items, with the period's 不满意
    callbacks (counted from the timeline: such an answer leaves no time on the item)."""
    figures = {name: sum(group[name] for group in groups) for name in _ROW_FIGURES}
    figures["unsatisfied"] = unsatisfied
    figures["callbacks"] = figures["satisfied"] + figures["basic"] + unsatisfied
    solving = sum((group["solving"] for group in groups if group["solving"] is not None), timedelta())
    average = solving.total_seconds() / 86400 / figures["solved"] if figures["solved"] else None
    figures["average_days"] = None if average is None else round(average, 1)
    channels = dict.fromkeys(IssueChannel, 0)
    categories: dict[int | None, dict] = {}
    for group in groups:
        if group["received"]:
            if group["channel"] in channels:
                channels[group["channel"]] += group["received"]
            row = categories.setdefault(
                group["category_id"],
                {"category_id": group["category_id"], "category__name": group["category__name"], "n": 0},
            )
            row["n"] += group["received"]
    figures["by_channel"] = list(channels.items())
    # As ORDER BY n DESC, name would: the most first, then by name, no category (NULL) last.
    figures["by_category"] = sorted(
        categories.values(), key=lambda row: (-row["n"], row["category__name"] is None, row["category__name"] or "")
    )
    return figures


def report_issue_rows(
    community: Community, *, figure: str, start: datetime, end: datetime, channel: str = "", category: int | None = None
) -> QuerySet[Issue]:
    """The items behind one figure of report_issue_figures (received may be narrowed to a
    channel or a category; ``category=0`` means no category). KeyError for an unknown figure."""
    rows = Issue.objects.in_community(community).filter(_report_filters(start, end)[figure])
    if channel:
        rows = rows.filter(channel=channel)
    if category is not None:
        rows = rows.filter(category_id=category or None)
    return rows.select_related("category", "room__unit__building", "building", "owner").order_by("received_at", "id")


#: Per window: its items received (duplicates left out) and first solved (first_resolved_at).
#: A whole local month is read from the monthly roll-up (issues.models.rollup); any other window
#: (the month so far) is counted over per-community date indexes (index-only scans: the window's
#: index entries).
_TREND_SQL = """
SELECT CASE WHEN w.month IS NOT NULL
            THEN (SELECT coalesce(sum(m.received), 0) FROM issues_reportmonth_all m
                  WHERE m.community_id = %(c)s AND m.month = w.month)
            ELSE (SELECT count(*) FROM issues_issue i
                  WHERE i.community_id = %(c)s AND i.received_at >= w.start AND i.received_at < w.stop)
               - (SELECT count(*) FROM issues_issue i
                  WHERE i.community_id = %(c)s AND i.status = %(duplicate)s
                    AND i.received_at >= w.start AND i.received_at < w.stop) END,
       CASE WHEN w.month IS NOT NULL
            THEN (SELECT coalesce(sum(m.solved), 0) FROM issues_reportmonth_all m
                  WHERE m.community_id = %(c)s AND m.month = w.month)
            ELSE (SELECT count(*) FROM issues_issue i
                  WHERE i.community_id = %(c)s AND i.first_resolved_at >= w.start
                    AND i.first_resolved_at < w.stop) END
FROM unnest(%(starts)s::timestamptz[], %(stops)s::timestamptz[], %(months)s::date[])
     WITH ORDINALITY AS w(start, stop, month, n)
ORDER BY w.n
"""


def issue_month_trend(community: Community, *, months: list[tuple[datetime, datetime]]) -> list[dict[str, int]]:
    """Items received (duplicates left out) and solved in each [start, end) window, as
    report_issue_figures counts them (``received`` and ``solved``). One query for all windows:
    a whole month from the monthly roll-up, the month so far through the date indexes; never a
    row of the items themselves."""
    params = {
        "c": community.pk,
        "duplicate": IssueStatus.DUPLICATE.value,
        "starts": [start for start, _end in months],
        "stops": [end for _start, end in months],
        "months": [
            report_months.one_month(start, end) if report_months.roll_up_kept() else None for start, end in months
        ],
    }
    if connection.vendor != "postgresql":  # SQLite (`make run`): the same counts, a query each
        issues = Issue.objects.in_community(community)
        return [
            {
                "received": issues.filter(received_at__gte=start, received_at__lt=stop)
                .exclude(status=IssueStatus.DUPLICATE)
                .count(),
                "solved": issues.filter(first_resolved_at__gte=start, first_resolved_at__lt=stop).count(),
            }
            for start, stop in months
        ]
    with connection.cursor() as cursor:
        cursor.execute(_TREND_SQL, params)
        return [{"received": received, "solved": solved} for received, solved in cursor.fetchall()]
