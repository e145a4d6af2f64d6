"""The monthly roll-up (issues.models.rollup) that the report reads for months that are over
must give the figures counted from the items themselves, after every kind of write: created one
by one and in bulk, saved, updated in bulk, moved between months, categories and channels,
marked duplicate, reopened, deleted; and the rows it keeps must be those a count from nothing
gives (rebuild_report_months), whether or not the changes the triggers append have been folded in."""

import importlib
import random
import threading
import time
from datetime import date, datetime, timedelta
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.db.models import F, Q
from django.test.utils import CaptureQueriesContext

from issues import report_months
from issues.models.choices import IssueChannel, IssueStatus, Satisfaction
from issues.models.issue import Issue
from issues.models.rollup import ReportMonth, ReportMonthChange
from issues.selectors import report_figures
from issues.tasks import fold_report_months
from tests.factories import IssueCategoryFactory

TRIGGERS = importlib.import_module("issues.migrations.0033_issue_first_resolved")

TZ = ZoneInfo("Asia/Shanghai")
MONTHS = [date(2026, m, 1) for m in range(6, 13)]
STATES = list(IssueStatus.values)


def aware(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=TZ)


def next_month(day: date) -> date:
    return date(day.year + day.month // 12, day.month % 12 + 1, 1)


def moment(rng: random.Random) -> datetime:
    """Any minute from June to November 2026, the month edges (local midnight) often."""
    if rng.random() < 0.15:
        return aware(rng.choice(MONTHS[1:])) - timedelta(minutes=rng.choice([0, 1]))
    return aware(MONTHS[0]) + timedelta(minutes=rng.randrange(183 * 24 * 60))


def random_fields(rng: random.Random, categories) -> dict:
    received = moment(rng)
    status = rng.choice(STATES)
    # now and then settled or due before it was received (a typed-in date, an import)
    resolved = received + timedelta(hours=rng.randrange(-48, 24 * 40)) if rng.random() < 0.6 else None
    closed = (resolved or received) + timedelta(hours=rng.randrange(-24, 24 * 20)) if rng.random() < 0.5 else None
    # first solved: when it was solved, or earlier (solved, sent back by a callback, solved again), or
    # solved once and sent back since (no solved time now)
    first = resolved - timedelta(hours=rng.randrange(24 * 30)) if resolved and rng.random() < 0.3 else resolved
    if first is None and rng.random() < 0.3:
        first = received + timedelta(hours=rng.randrange(-24, 24 * 30))
    return {
        "received_at": received,
        "status": status,
        "resolved_at": resolved,
        "first_resolved_at": first,
        "closed_at": closed,
        "due_at": received + timedelta(days=rng.randrange(-2, 30)) if rng.random() < 0.8 else None,
        "category": rng.choice([*categories, None]),
        "channel": rng.choice(IssueChannel.values),
        "report_count": rng.choice([1, 1, 2, 3]),
        "escalated": rng.random() < 0.2,
        "satisfaction": rng.choice(["", "", *Satisfaction.values]) if closed else "",
    }


def make(community, rng, categories, n) -> Issue:
    return Issue(community=community, code=f"R{n:05d}", text="楼道堆物", **random_fields(rng, categories))


def periods():
    """Every month, a quarter, and the half year: [start, end) of whole local months."""
    found = [(aware(m), aware(next_month(m))) for m in MONTHS[:-1]]
    return [*found, (aware(date(2026, 7, 1)), aware(date(2026, 10, 1))), (aware(MONTHS[0]), aware(MONTHS[-1]))]


def assert_roll_up_counts_as_the_items(community):
    for start, end in periods():
        from_months = report_figures.report_issue_figures(community, start=start, end=end)
        from_items = report_figures.report_issue_figures_from_items(community, start=start, end=end)
        assert from_months == from_items, (start, end)
    windows = [(aware(m), aware(next_month(m))) for m in MONTHS[:-1]]
    trend = report_figures.issue_month_trend(community, months=windows)
    for (start, end), row in zip(windows, trend, strict=True):
        items = report_figures.report_issue_figures_from_items(community, start=start, end=end)
        assert row == {"received": items["received"], "solved": items["solved"]}, start


def kept_rows() -> set[tuple]:
    """The roll-up's rows that count something (a row whose shares cancelled out stays, all zero),
    the changes appended so far folded in first."""
    report_months.fold_changes()
    assert not ReportMonthChange.objects.exists()
    counters = [
        f.name
        for f in ReportMonth._meta.fields
        if f.name not in ("id", "community_id", "month", "category_id", "channel")
    ]
    rows = ReportMonth.objects.values_list("community_id", "month", "category_id", "channel", *counters)
    return {row for row in rows if any(row[4:])}


@pytest.fixture
def categories(community):
    return [IssueCategoryFactory(community=community, name=name) for name in ("噪音", "养犬", "消防")]


def test_it_counts_as_the_items_after_every_kind_of_write(community, other_community, categories):
    rng = random.Random(2026)
    Issue.objects.bulk_create([make(community, rng, categories, n) for n in range(150)])
    Issue.objects.bulk_create([make(other_community, rng, [], 1000 + n) for n in range(30)])
    for n in range(20):
        make(community, rng, categories, 500 + n).save()
    assert_roll_up_counts_as_the_items(community)
    figures = report_figures.report_issue_figures(community, start=aware(MONTHS[0]), end=aware(MONTHS[-1]))
    assert figures["received"] > 100 and figures["open_at_end"] > 0 and figures["overdue_at_end"] > 0
    assert figures["callbacks"] > 0 and figures["repeats"] > 0 and figures["solved_on_time"] > 0

    items = list(Issue.objects.filter(community=community))
    for item in rng.sample(items, 60):  # saved one by one, every figure's column changed somewhere
        for name, value in random_fields(rng, categories).items():
            if rng.random() < 0.4:
                setattr(item, name, value)
        item.save()
    Issue.objects.filter(pk__in=[i.pk for i in items[:15]]).update(status=IssueStatus.DUPLICATE)
    Issue.objects.filter(pk__in=[i.pk for i in items[15:30]]).update(resolved_at=None, closed_at=None)
    Issue.objects.filter(pk__in=[i.pk for i in items[70:85]]).update(
        first_resolved_at=F("received_at") + timedelta(days=3)
    )
    Issue.objects.filter(pk__in=[i.pk for i in items[30:40]]).update(category=categories[0], channel="phone")
    Issue.objects.filter(pk__in=[i.pk for i in items[40:50]]).update(received_at=aware(MONTHS[2]))
    Issue.objects.filter(pk=items[50].pk).delete()
    Issue.objects.filter(pk__in=[i.pk for i in items[51:70]]).delete()
    assert ReportMonthChange.objects.exists()  # not folded yet: the report reads both
    assert_roll_up_counts_as_the_items(community)

    kept = kept_rows()
    assert_roll_up_counts_as_the_items(community)  # folded
    call_command("rebuild_report_months", stdout=StringIO())
    assert kept_rows() == kept


def row_versions() -> list[tuple]:
    with connection.cursor() as cursor:
        # ctid: where the row's current version lies; every UPDATE writes a new one
        cursor.execute("SELECT id, ctid::text FROM issues_reportmonth ORDER BY id")
        rows = cursor.fetchall()
        cursor.execute("SELECT id, ctid::text FROM issues_reportmonthchange ORDER BY id")
        return rows + cursor.fetchall()


def test_an_update_of_columns_no_figure_reads_does_not_touch_the_roll_up(community, categories):
    """As the reminder sweep's and the board's updates: not one roll-up row is written (its
    rows' versions stay), not merely written with the same numbers."""
    rng = random.Random(7)
    Issue.objects.bulk_create([make(community, rng, categories, n) for n in range(40)])
    report_months.fold_changes()
    Issue.objects.bulk_create([make(community, rng, categories, n) for n in range(40, 45)])
    before = row_versions()
    assert before
    Issue.objects.filter(community=community).update(on_meeting_since=date(2026, 11, 30), version=5)
    for item in Issue.objects.filter(community=community)[:5]:
        item.text = "楼道堆物已清理"
        item.save()
    assert row_versions() == before
    counted = Issue.objects.filter(community=community).exclude(status=IssueStatus.DUPLICATE).first()
    Issue.objects.filter(pk=counted.pk).update(escalated=not counted.escalated)
    assert row_versions() != before


def test_truncating_the_items_empties_the_roll_up(community, categories):
    rng = random.Random(9)
    Issue.objects.bulk_create([make(community, rng, categories, n) for n in range(10)])
    report_months.fold_changes()
    Issue.objects.bulk_create([make(community, rng, categories, n) for n in range(10, 15)])
    assert ReportMonth.objects.exists() and ReportMonthChange.objects.exists()
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # the test's transaction: checks still pending
        cursor.execute("TRUNCATE issues_issue CASCADE")
    assert not ReportMonth.objects.exists() and not ReportMonthChange.objects.exists()


def test_in_another_time_zone_the_report_counts_the_items(community, categories, settings):
    """The roll-up keeps Asia/Shanghai's months; a Fuhai run in another zone must not read them."""
    rng = random.Random(10)
    Issue.objects.bulk_create([make(community, rng, categories, n) for n in range(60)])
    settings.TIME_ZONE = "Europe/Berlin"
    start, end = (
        datetime(2026, 9, 1, tzinfo=ZoneInfo("Europe/Berlin")),
        datetime(2026, 10, 1, tzinfo=ZoneInfo("Europe/Berlin")),
    )
    with CaptureQueriesContext(connection) as queries:
        figures = report_figures.report_issue_figures(community, start=start, end=end)
    assert "issues_reportmonth" not in queries.captured_queries[0]["sql"]
    trend = report_figures.issue_month_trend(community, months=[(start, end)])
    assert figures == report_figures.report_issue_figures_from_items(community, start=start, end=end)
    assert trend == [{"received": figures["received"], "solved": figures["solved"]}]


def fields_read(q: Q) -> set[str]:
    found = set()
    for child in q.children:
        if isinstance(child, Q):
            found |= fields_read(child)
        else:
            lookup, value = child
            found.add(lookup.split("__")[0])
            if isinstance(value, F):
                found.add(value.name)
    return found


def test_the_triggers_watch_every_column_a_figure_reads():
    """A figure reading a column the triggers do not watch would go stale without a sign."""
    read = {"category", "channel", "received_at", "first_resolved_at"}  # grouped by; the days to solve
    filters = report_figures._report_filters(aware(MONTHS[0]), aware(MONTHS[1]))
    for name in report_figures._ROW_FIGURES:  # 不满意 is counted from the timeline, not the roll-up
        read |= fields_read(filters[name])
    watched = {name.removesuffix("_id") for name in TRIGGERS.COLUMNS}
    assert read <= watched, read - watched


def test_rebuild_report_months_counts_again_what_was_lost(community, categories):
    rng = random.Random(8)
    Issue.objects.bulk_create([make(community, rng, categories, n) for n in range(60)])
    kept = kept_rows()
    Issue.objects.bulk_create([make(community, rng, categories, n) for n in range(60, 70)])
    kept = kept_rows()
    ReportMonth.objects.filter(month__gte=MONTHS[3]).delete()
    with connection.cursor() as cursor:
        cursor.execute("UPDATE issues_reportmonth SET received = received + 5")
    ReportMonthChange.objects.create(community_id=community.pk, month=MONTHS[1], channel="phone", received=3)
    assert kept_rows() != kept
    ReportMonthChange.objects.create(community_id=community.pk, month=MONTHS[1], channel="phone", received=3)
    call_command("rebuild_report_months", stdout=StringIO())
    assert not ReportMonthChange.objects.exists()  # a stray change is gone with the rest
    assert kept_rows() == kept
    assert_roll_up_counts_as_the_items(community)


def test_the_fold_moves_the_changes_and_the_figures_stay(community, categories):
    rng = random.Random(11)
    Issue.objects.bulk_create([make(community, rng, categories, n) for n in range(80)])
    for item in Issue.objects.filter(community=community)[:20]:
        item.status = IssueStatus.CLOSED
        item.closed_at = item.received_at + timedelta(days=2)
        item.save()
    figures = [report_figures.report_issue_figures(community, start=start, end=end) for start, end in periods()]
    changes = ReportMonthChange.objects.count()
    assert changes > ReportMonth.objects.count() == 0
    assert fold_report_months() > 0  # the beat job
    assert not ReportMonthChange.objects.exists()
    assert [report_figures.report_issue_figures(community, start=start, end=end) for start, end in periods()] == figures
    assert fold_report_months() == 0  # nothing more to fold
    assert_roll_up_counts_as_the_items(community)


@pytest.fixture
def two_writers():
    """Run two functions at once in threads, each on its own connection and transaction."""

    def run(*steps):
        errors = []

        def one(step):
            try:
                step()
            except Exception as error:  # reported below, in the test's thread
                errors.append(error)
            finally:
                connection.close()

        threads = [threading.Thread(target=one, args=(step,)) for step in steps]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
        assert not any(thread.is_alive() for thread in threads), "a writer is still waiting"
        return errors

    return run


@pytest.mark.django_db(transaction=True)
def test_two_people_saving_items_of_the_same_months_in_opposite_orders_do_not_deadlock(
    community, categories, two_writers
):
    """Each saves two items, one of each category, of the same month, in the opposite order
    of the other, both in one transaction (as the WeChat batch saves its items). With the
    roll-up's rows updated in place, the second of the two held what the first needed next."""
    rng = random.Random(12)
    fields = {"received_at": aware(MONTHS[1]) + timedelta(days=3), "status": IssueStatus.PENDING, "resolved_at": None}
    fields |= {"closed_at": None, "due_at": None, "channel": "phone", "satisfaction": ""}
    mine, theirs = [], []
    for n, category in enumerate(categories[:2] * 2):
        item = make(community, rng, categories, n)
        for name, value in (fields | {"category": category}).items():
            setattr(item, name, value)
        item.save()
        (mine if n < 2 else theirs).append(item)
    report_months.fold_changes()
    both_saved = threading.Barrier(2, timeout=10)

    def save_in_order(items):
        def step():
            with transaction.atomic():
                for n, item in enumerate(items):
                    item.status = IssueStatus.RESOLVED
                    item.resolved_at = item.received_at + timedelta(days=1)
                    item.save()
                    if n == 0:
                        both_saved.wait()  # each holds what it wrote first

        return step

    errors = two_writers(save_in_order(mine), save_in_order(list(reversed(theirs))))
    assert errors == []
    assert Issue.objects.filter(status=IssueStatus.RESOLVED).count() == 4
    assert_roll_up_counts_as_the_items(community)


def fold_waiting() -> bool:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
            "AND query LIKE %s AND pid <> pg_backend_pid()",
            ["%INSERT INTO issues_reportmonth AS t%"],
        )
        return cursor.fetchone()[0] > 0


@pytest.mark.django_db(transaction=True)
def test_items_saved_while_a_fold_runs_are_counted_once(community, categories, two_writers):
    """The fold is held up writing the roll-up (its rows locked, as by the rebuild), items are
    saved and committed meanwhile, then it goes on: their changes are left for the next fold,
    neither dropped with the changes it moved nor counted twice. (A fold that summed the
    changes in one statement and deleted them in another would drop them.)"""
    rng = random.Random(13)
    Issue.objects.bulk_create([make(community, rng, categories, n) for n in range(30)])
    report_months.fold_changes()
    Issue.objects.bulk_create([make(community, rng, categories, n) for n in range(30, 60)])
    held, release, folding = threading.Event(), threading.Event(), threading.Event()

    def hold_the_roll_up():
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SELECT id FROM issues_reportmonth FOR UPDATE")
            held.set()
            assert release.wait(timeout=20)

    def fold():
        assert held.wait(timeout=10)
        folding.set()
        report_months.fold_changes()

    def save_meanwhile():
        assert folding.wait(timeout=10)
        for _ in range(100):
            if fold_waiting():
                break
            time.sleep(0.05)
        else:
            release.set()
            raise AssertionError("the fold never waited on the roll-up's rows")
        Issue.objects.bulk_create([make(community, rng, categories, n) for n in range(60, 70)])
        release.set()

    assert two_writers(hold_the_roll_up, fold, save_meanwhile) == []
    assert ReportMonthChange.objects.exists()  # the items saved meanwhile, for the next fold
    assert_roll_up_counts_as_the_items(community)
    assert kept_rows()  # folds the rest
    assert_roll_up_counts_as_the_items(community)
