"""The home page's counts and the board's lanes read the open items through the partial index
issue_comm_open_due (migration 0014), never the community's history: checked on the plans
PostgreSQL makes for a few thousand items after ANALYZE."""

import random
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from issues import selectors
from issues.models.choices import IssueStatus
from issues.models.issue import Issue
from tests.plans import plans

NOW = timezone.now()
#: Mostly history, as after a year: about one item in twenty is open.
STATES = [IssueStatus.CLOSED] * 17 + [IssueStatus.RESOLVED, IssueStatus.PENDING, IssueStatus.IN_PROGRESS]


@pytest.fixture
def history(community, other_community):
    rng = random.Random(15)
    items = []
    for n, place in enumerate([community, other_community] * 2000):
        received_at = NOW - timedelta(minutes=rng.randrange(525_600))
        status = rng.choice(STATES)
        settled = status in (IssueStatus.RESOLVED, IssueStatus.CLOSED)
        items.append(
            Issue(
                community=place,
                code=f"L{n:06d}",
                received_at=received_at,
                due_at=received_at + timedelta(days=10),
                resolved_at=received_at + timedelta(days=3) if settled else None,
                closed_at=received_at + timedelta(days=5) if status == IssueStatus.CLOSED else None,
                text="楼道堆物",
                search_text="楼道堆物",
                status=status,
                escalated=rng.random() < 0.02,
            )
        )
    Issue.objects.bulk_create(items)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE issues_issue")
    return community


def test_it_counts_the_home_pages_items_through_indexes(history, secretary):
    counting = plans(lambda: selectors.home_summary(history, secretary, NOW))
    # The open counts read a partial index on the open states (ours, or the status index with
    # the states as its condition: the planner may take either at this size), never the table.
    assert any("issue_comm_open_due" in p or "issue_comm_status_recv" in p for p in counting[:1]), counting
    # and the callbacks' count reads the status index.
    assert not any("Seq Scan on issues_issue" in p for p in counting[:2]), counting


def test_it_reads_the_boards_lanes_through_indexes_only(history):
    picked, shown = plans(lambda: selectors.board_issue_lanes(history, now=NOW))
    for plan in (picked, shown):
        assert "Seq Scan on issues_issue" not in plan, plan
    # The overdue lane's ids come from the open items' partial index, in its order.
    assert "issue_comm_open_due" in picked, picked


def test_it_cuts_each_lane_to_its_limit_before_joining(history):
    picked, shown = plans(lambda: selectors.board_issue_lanes(history, now=NOW))
    # Each lane's ids are sorted and limited inside the IN, on the items alone; only the rows
    # picked are joined to their places and owners, once.
    assert picked.count("Limit") == 5, picked  # new, 待核实, 待回访, overdue, and the escalated heading it
    for table in ("residents_room", "residents_building", "auth_user"):
        assert table not in picked, picked
        assert shown.count(f" on {table}") == 1 + (table == "residents_building"), shown


def test_it_counts_each_lane_as_the_old_counts_did(history):
    lanes = selectors.board_issue_lanes(history, now=NOW)
    items = Issue.objects.in_community(history)
    since = selectors.previous_meeting(NOW)
    running = [IssueStatus.PENDING, IssueStatus.IN_PROGRESS]
    hot = items.open().filter(status__in=running, due_at__lt=NOW) | items.open().filter(escalated=True)
    assert lanes["pending"].total == items.filter(status=IssueStatus.PENDING).count() > 0
    assert lanes["hot"].total == hot.count() > 0
    assert lanes["new"].total == items.filter(received_at__gte=since).exclude(status=IssueStatus.DUPLICATE).count()
    escalated_first = sorted(hot, key=lambda i: (not i.escalated, i.due_at, i.received_at, i.pk))
    assert [i.pk for i in lanes["hot"].items] == [i.pk for i in escalated_first[:6]]
    assert [i.pk for i in lanes["pending"].items] == [
        i.pk for i in items.filter(status=IssueStatus.PENDING).order_by("received_at", "id")[:6]
    ]


def test_it_reads_the_callback_lane_through_its_partial_index(history):
    """The 待回访 lane: the settled items waiting for their callback, not the resolved history."""
    [picked, _shown] = plans(lambda: selectors.board_issue_lanes(history, now=NOW), scans=False)
    assert "issue_comm_callback" in picked, picked


def test_it_lists_the_items_waiting_longest_for_their_callback_first(history):
    lane = selectors.board_issue_lanes(history, now=NOW)["callback"]
    waiting = Issue.objects.in_community(history).filter(status=IssueStatus.RESOLVED)
    assert lane.total == waiting.count() > 6
    assert [i.pk for i in lane.items] == [i.pk for i in waiting.order_by("resolved_at", "id")[:6]]


def test_it_counts_the_home_pages_figures_as_before(history, secretary):
    counts = selectors.home_summary(history, secretary, NOW)["counts"]
    items = Issue.objects.in_community(history)
    assert counts == {
        "open": items.open().count(),
        "pending": items.filter(status=IssueStatus.PENDING).count(),
        "overdue": items.overdue(NOW).count(),
        "escalated": items.open().filter(escalated=True).count(),
        "callbacks": items.filter(status=IssueStatus.RESOLVED).count(),
    }


def test_it_reads_the_weeks_figures_through_date_ranges_not_history(history):
    monday = NOW - timedelta(days=NOW.weekday())
    weeks = [(monday, NOW), (monday - timedelta(days=7), NOW - timedelta(days=7))]
    [plan] = plans(lambda: selectors.issue_week_figures(history, weeks=weeks))
    assert "Seq Scan on issues_issue" not in plan, plan
    for index in ("issue_comm_received", "issue_comm_resolved", "issue_comm_closed", "issue_comm_due"):
        assert index in plan, plan


def test_it_counts_the_weeks_figures_as_over_all_items(history):
    start = NOW - timedelta(days=30)
    [figures] = selectors.issue_week_figures(history, weeks=[(start, NOW)])
    items = Issue.objects.in_community(history)
    assert figures["logged"] == items.filter(received_at__gte=start, received_at__lt=NOW).count() > 0
    # Settled three days after receipt, due after ten: only the unsettled ones fell overdue.
    due = items.filter(due_at__gte=start, due_at__lt=NOW)
    assert figures["overdue"] == due.filter(resolved_at__isnull=True).count() > 0
    assert figures["settled"] == items.filter(resolved_at__gte=start, resolved_at__lt=NOW).count() > 0
    assert figures["closed"] == items.filter(closed_at__gte=start, closed_at__lt=NOW).count() > 0


def test_it_heads_the_overdue_lane_with_what_was_escalated(community):
    """Ordered by days overdue alone, a busy community's hundreds of overdue items pushed the
    escalated ones (the dog complaint taken to the police) off the six shown (found by a tester)."""
    overdue = [
        Issue(
            community=community,
            code=f"O{n:03d}",
            received_at=NOW - timedelta(days=40),
            text="楼道堆物",
            due_at=NOW - timedelta(days=30 - n),
            status=IssueStatus.PENDING,
        )
        for n in range(20)
    ]
    escalated = Issue(
        community=community,
        code="E001",
        received_at=NOW - timedelta(days=1),
        text="遛狗不拴绳",
        due_at=NOW + timedelta(days=2),
        status=IssueStatus.IN_PROGRESS,
        escalated=True,
    )
    on_meeting = Issue(
        community=community,
        code="M001",
        received_at=NOW - timedelta(days=2),
        text="消防通道",
        due_at=NOW + timedelta(days=5),
        status=IssueStatus.IN_PROGRESS,
        on_meeting_since=NOW.date(),
    )
    Issue.objects.bulk_create([*overdue, escalated, on_meeting])
    lane = selectors.board_issue_lanes(community, now=NOW)["hot"]
    assert [i.code for i in lane.items] == ["E001", "M001", "O000", "O001", "O002", "O003"]
    assert lane.total == 22 and lane.more == 16


@pytest.fixture
def skewed_district(community, other_community):
    """Ours with a year of history, mostly 已办结 (30 待核实 of 3,000); the other newly joined,
    its backlog of 3,000 items all 待核实: half the district's items are pending, ours hardly."""
    items = [
        Issue(
            community=community,
            code=f"S{n:06d}",
            received_at=NOW - timedelta(days=n % 365),
            text="楼道堆物",
            status=IssueStatus.PENDING if n % 100 == 0 else IssueStatus.CLOSED,
        )
        for n in range(3000)
    ] + [
        Issue(community=other_community, code=f"B{n:06d}", received_at=NOW, text="油烟扰民", status=IssueStatus.PENDING)
        for n in range(3000)
    ]
    Issue.objects.bulk_create(items)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE issues_issue")
    return community


def test_the_planner_knows_how_many_of_a_communitys_items_are_pending(skewed_district):
    """Each column alone said: 1 item in 2 is 待核实 (the district), so 1,500 of ours; the board's
    待核实 count was then read off the community index, filtering all of our history (make bench:
    41 ms a board). Migration 0034's statistics on (community, status) together give ours."""
    pending = Issue.objects.in_community(skewed_district).filter(status=IssueStatus.PENDING)
    assert pending.count() == 30
    sql, params = pending.order_by().values("pk").query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (FORMAT JSON) " + sql, params)
        [top] = cursor.fetchone()[0]
    nodes, scans = [top["Plan"]], []
    while nodes:
        node = nodes.pop()
        nodes += node.get("Plans", [])
        if node.get("Relation Name") == "issues_issue":
            scans.append(node)
    [scan] = scans
    assert scan["Plan Rows"] < 300, top  # taken apart: 1 in 2 of ours, about 1,500
