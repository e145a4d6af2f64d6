"""The monthly report reads the month's items (and those open at its end) through the
per-community date indexes, never the community's whole history: checked on the plans
PostgreSQL makes for a few thousand items over three years after ANALYZE (issues #15, #16)."""

import random
import re
from datetime import date, timedelta

import pytest
from django.db import connection
from django.utils import timezone

from fuhai.reports.compose import aware
from issues.models.choices import IssueStatus
from issues.models.issue import Issue
from issues.selectors import report_figures
from tests.plans import plans

START, END = aware(date(2026, 11, 1)), aware(date(2026, 12, 1))
#: Mostly history: settled items over three years, a few still open.
SEQ_SCAN = re.compile(r"Seq Scan on issues_issue\s")
STATES = [IssueStatus.CLOSED] * 17 + [IssueStatus.RESOLVED, IssueStatus.PENDING, IssueStatus.IN_PROGRESS]


@pytest.fixture
def history(community, other_community):
    rng = random.Random(16)
    items = []
    for n, place in enumerate([community, other_community] * 2500):
        received_at = END - timedelta(minutes=rng.randrange(3 * 525_600))
        status = rng.choice(STATES)
        settled = status in (IssueStatus.RESOLVED, IssueStatus.CLOSED)
        solved_at = received_at + timedelta(days=3)
        items.append(
            Issue(
                community=place,
                code=f"R{n:06d}",
                received_at=received_at,
                due_at=received_at + timedelta(days=10),
                resolved_at=solved_at if settled else None,
                # solved once, and sent back by a 不满意 callback since: still solved then
                first_resolved_at=solved_at if settled or status == IssueStatus.IN_PROGRESS else None,
                closed_at=received_at + timedelta(days=5) if status == IssueStatus.CLOSED else None,
                text="楼道堆物",
                search_text="楼道堆物",
                status=status,
            )
        )
    Issue.objects.bulk_create(items)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE issues_issue")
    return community


def test_it_reads_a_month_that_is_over_from_the_monthly_roll_up_not_the_items(history):
    [figures] = plans(lambda: report_figures.report_issue_figures(history, start=START, end=END))
    assert re.search(r"on issues_reportmonth\s", figures), figures  # the roll-up (not only its changes)
    # the 不满意 callbacks, in the same query: the timeline's few such entries, their items by id
    assert "followup_sent_back" in figures, figures
    assert not SEQ_SCAN.search(figures), figures


def test_it_reads_the_month_so_far_through_the_date_indexes(history):
    now = END - timedelta(days=3)
    [figures] = plans(lambda: report_figures.report_issue_figures(history, start=START, end=now))
    assert not SEQ_SCAN.search(figures), figures
    assert "followup_sent_back" in figures, figures  # the 不满意 callbacks, in the same query
    # "open at the month's end": the never-settled items through their own partial index, the
    # ones settled later through the resolved/closed indexes; 已解决 through the first solvings'.
    indexes = ("issue_comm_received", "issue_comm_resolved", "issue_comm_closed", "issue_comm_unsettled")
    for index in (*indexes, "issue_comm_first_resolved"):
        assert index in figures, figures


def test_it_reads_only_the_trends_months(history):
    months = [(aware(date(2025 + (10 + n) // 12, (10 + n) % 12 + 1, 1)), None) for n in range(12)]
    windows = [(start, months[n + 1][0] if n < 11 else END) for n, (start, _none) in enumerate(months)]
    [plan] = plans(lambda: report_figures.issue_month_trend(history, months=windows))
    assert not SEQ_SCAN.search(plan), plan


def test_it_counts_the_figures_as_their_rows(history):
    figures = report_figures.report_issue_figures(history, start=START, end=END)
    for name in report_figures.REPORT_FIGURES:
        rows = report_figures.report_issue_rows(history, figure=name, start=START, end=END)
        assert figures[name] == rows.count(), name
    assert figures["open_at_end"] > 0
    assert figures["received"] > 0 and figures["solved"] > 0
    assert sum(n for _channel, n in figures["by_channel"]) == figures["received"]
    assert timezone.is_aware(START)


def test_it_finds_the_oldest_open_item_through_the_open_items_indexes(history, other_community):
    [plan] = plans(lambda: report_figures.oldest_open_received([history, other_community], end=END), scans=False)
    assert not SEQ_SCAN.search(plan), plan
    assert "issue_comm_unsettled" in plan, plan
    assert "issue_comm_received" not in plan, plan  # no walk through the years by receipt


def test_it_finds_the_oldest_of_the_items_open_at_the_end(history, other_community):
    oldest = report_figures.oldest_open_received([history, other_community], end=END)
    for community in (history, other_community):
        rows = report_figures.report_issue_rows(community, figure="open_at_end", start=START, end=END)
        assert oldest[community.pk] == rows.first().received_at
