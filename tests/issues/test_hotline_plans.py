"""The 12345 list reads what it lists, not the community's years of cases: the month's cases
through (community, dispatched), the earlier ones still open through the open 12345 items'
partial index (migration 0020), each case looked up by its item. Checked on the plans
PostgreSQL makes for a few thousand cases after ANALYZE, and against the list's meaning."""

import random
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.db.models import Q
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from issues.hotline.models import HotlineCase
from issues.models.choices import OPEN_STATES, IssueChannel, IssueStatus
from issues.models.issue import Issue
from tests.plans import plans

TZ = ZoneInfo("Asia/Shanghai")
MONTH = date(2026, 12, 1)
START = datetime(2026, 12, 1, tzinfo=TZ)
NOW = datetime(2026, 12, 9, 10, 0, tzinfo=TZ)
#: Mostly settled history, as after a year: about one case in twelve still open.
STATES = [IssueStatus.CLOSED] * 10 + [IssueStatus.RESOLVED, IssueStatus.IN_PROGRESS]


@pytest.fixture
def history(community, other_community):
    rng = random.Random(15)
    items, cases = [], []
    for n, place in enumerate([community, other_community] * 1500):
        dispatched = NOW - timedelta(minutes=rng.randrange(525_600))
        status = rng.choice(STATES)
        items.append(
            Issue(
                community=place,
                code=f"H{n:06d}",
                channel=IssueChannel.HOTLINE,
                received_at=dispatched,
                text="油烟扰民",
                search_text="油烟扰民",
                status=status,
            )
        )
    Issue.objects.bulk_create(items)
    for n, item in enumerate(items):
        cases.append(
            HotlineCase(
                issue=item,
                community=item.community,
                case_no=f"BJ{n:06d}",
                request_type="complaint",
                dispatched_at=item.received_at,
                response_deadline=item.received_at + timedelta(hours=24),
                resolution_deadline=item.received_at + timedelta(days=7),
            )
        )
    HotlineCase.objects.bulk_create(cases)
    # Other channels' open items are many more than the 12345 ones: the list does not read them.
    Issue.objects.bulk_create(
        Issue(community=community, code=f"W{n:06d}", received_at=NOW, text="楼道堆物", status=IssueStatus.PENDING)
        for n in range(2000)
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE issues_issue")
        cursor.execute("ANALYZE issues_hotlinecase")
    return community


def read_page(community, number=1, **options):
    ids, count = HotlineCase.objects.listed_page(community, MONTH, number=number, per_page=50, **options)
    return count, ids


def test_it_reads_the_list_through_indexes_only(history):
    [plan] = plans(lambda: read_page(history), scans=False)  # counted and cut in one query
    assert "Seq Scan" not in plan, plan
    # The month's cases by their dispatch time, and the earlier ones from the open 12345
    # items: each item's case looked up by its issue_id (in hotline_issue_dispatched, or the
    # unique index until VACUUM marks the pages visible), never a join of all earlier cases.
    assert "hotline_comm_dispatched" in plan and "issue_hotline_open" in plan, plan
    assert "Index Cond: (issue_id = ANY ($0))" in plan, plan
    assert "Join" not in plan, plan


def test_it_reads_the_months_cases_from_their_index_alone(db):
    """The month's part pages by id: with it in the index beside (community, dispatched), a busy
    month's cases are read from the index (after VACUUM an Index Only Scan), not each from its
    table row (migration 0037; the bench's 240 cases of a month: 4 pages read instead of 242)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_get_indexdef('hotline_comm_dispatched'::regclass)")
        [definition] = cursor.fetchone()
    assert definition.endswith("(community_id, dispatched_at DESC) INCLUDE (id)"), definition


def test_it_lists_what_the_month_filter_means(history):
    cases = HotlineCase.objects.in_community(history)
    end = datetime(2027, 1, 1, tzinfo=TZ)
    month = Q(dispatched_at__gte=START, dispatched_at__lt=end)
    earlier_open = Q(dispatched_at__lt=START, issue__status__in=OPEN_STATES)
    meant = cases.filter(month | earlier_open).order_by("-dispatched_at", "-pk")
    count, rows = read_page(history)
    assert count == meant.count() > 50
    assert rows == [case.pk for case in meant[:50]]
    assert cases.filter(earlier_open).exists() and cases.filter(month).exists()
    open_meant = meant.filter(issue__status__in=OPEN_STATES)
    count, rows = read_page(history, open_only=True)
    assert count == open_meant.count() < meant.count()
    assert rows == [case.pk for case in open_meant[:50]]


def test_a_page_past_the_end_shows_the_last_and_one_not_a_number_the_first(history, staff_client):
    """As Paginator.get_page did before the page was counted in its own query: a bookmark of
    page 9 of a month that now has fewer pages shows the last page, not an empty list."""
    cases = HotlineCase.objects.in_community(history)
    meant = cases.filter(
        Q(dispatched_at__gte=START) | Q(dispatched_at__lt=START, issue__status__in=OPEN_STATES)
    ).order_by("-dispatched_at", "-pk")
    total = meant.count()
    last = -(-total // 50)
    assert last >= 2
    for asked, number in [("99", last), ("last", last), ("99999999999999999999999", last), ("x", 1), ("0", 1), ("", 1)]:
        response = staff_client.get(reverse("issues:hotline_list"), {"month": "2026-12", "page": asked})
        page = response.context["page_obj"]
        assert (page.number, page.paginator.count, page.paginator.num_pages) == (number, total, last), asked
        assert [case.pk for case in page] == [case.pk for case in meant[(number - 1) * 50 : number * 50]], asked


def test_an_empty_month_is_one_empty_page(history, staff_client):
    response = staff_client.get(reverse("issues:hotline_list"), {"month": "2020-01", "page": "3"})
    page = response.context["page_obj"]
    assert (page.number, page.paginator.count, list(page)) == (1, 0, [])
    assert "2020年1月没有12345工单。" in response.content.decode()


def test_it_shows_only_the_pages_cases_in_order(history, staff_client):
    response = staff_client.get(reverse("issues:hotline_list"), {"month": "2026-12", "page": 2})
    page = response.context["page_obj"]
    cases = HotlineCase.objects.in_community(history)
    meant = cases.filter(
        Q(dispatched_at__gte=START) | Q(dispatched_at__lt=START, issue__status__in=OPEN_STATES)
    ).order_by("-dispatched_at", "-pk")
    assert [case.pk for case in page] == [case.pk for case in meant[50:100]]
    assert page.paginator.count == meant.count()
    assert all(case.community_id == history.pk for case in page)


def test_the_home_page_and_the_board_read_open_cases_from_the_open_items(history):
    # Both show the community's open cases by deadline; they read them from the open 12345
    # items (the small partial index), not by filtering every case of the community's years
    # (a parallel scan of issues_hotlinecase in make bench SCALE=district: 49 ms of the home page).
    from issues.selectors import board_hotline_clocks, home_summary

    # Scans priced out: at 5,000 items a scan of the items costs what the index costs, and
    # which wins turned on earlier tests' dead rows (a CI run planned a scan of issues_issue).
    # What is checked is the form: the old one, every case of the community joined to its item,
    # could not use the partial index at all.
    for plan in plans(lambda: board_hotline_clocks(history, now=NOW), scans=False) + [
        p for p in plans(lambda: home_summary(history, None, NOW), scans=False) if "issues_hotlinecase" in p
    ]:
        assert "issue_hotline_open" in plan, plan
        assert "Seq Scan on issues_hotlinecase" not in plan, plan


def test_the_home_page_and_the_board_show_the_same_open_cases(history):
    from issues.selectors import board_hotline_clocks, home_summary

    open_cases = HotlineCase.objects.in_community(history).filter(issue__status__in=OPEN_STATES)
    shown = home_summary(history, None, NOW)["hotline"]
    assert [case.pk for case in shown] == list(
        open_cases.order_by("resolution_deadline").values_list("pk", flat=True)[:5]
    )
    cases, total = board_hotline_clocks(history, now=NOW)
    running = open_cases.filter(Q(first_contact_at__isnull=True) | Q(replied_at__isnull=True))
    assert total == running.count() > 4 and len(cases) == 4


def _rows_through(plan: dict, index: str) -> int:
    """How many rows the executed plan read through ``index``, over every node and every loop."""
    own = plan["Actual Rows"] * plan["Actual Loops"] if plan.get("Index Name") == index else 0
    return own + sum(_rows_through(child, index) for child in plan.get("Plans", []))


def test_the_board_joins_only_the_cases_it_shows(history):
    # The board shows the four cases whose clocks run out first of the (here about 120) running
    # ones. Their ids are sorted and cut on the cases alone; only those four are joined to their
    # items (by the items' primary key) and places. Joined before the cut, a busy community's
    # thousand open cases were most of the board's SQL (14 of its 34 ms in make bench).
    from issues.selectors import board_hotline_clocks

    with CaptureQueriesContext(connection) as queries:
        cases, total = board_hotline_clocks(history, now=NOW, limit=4)
    assert total > 4 * 10 and len(cases) == 4
    (query,) = queries.captured_queries
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + query["sql"])
        plan = cursor.fetchone()[0][0]["Plan"]
    assert 0 < _rows_through(plan, "issues_issue_pkey") <= 4, plan


def test_the_home_page_joins_only_the_cases_it_shows(history):
    from issues.selectors import home_summary

    with CaptureQueriesContext(connection) as queries:
        shown = home_summary(history, None, NOW)["hotline"]
    assert len(shown) == 5
    (query,) = [query["sql"] for query in queries.captured_queries if "issues_hotlinecase" in query["sql"]]
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + query)
        plan = cursor.fetchone()[0][0]["Plan"]
    assert 0 < _rows_through(plan, "issues_issue_pkey") <= 5, plan
