"""Time the reminder sweep (`run_sweep`, what beat's `sweep_reminders` calls) over N due items
spread over several communities, then an idle sweep over the same items, now all open and
not due, with its query count.

Run through `scripts/bench sweep N [COMMUNITIES]`, never against a real database."""

import os
import statistics
import sys
import time
from contextlib import contextmanager
from datetime import timedelta

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fuhai.settings")
django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from issues.models.clock import IssueClock  # noqa: E402
from issues.models.issue import Issue  # noqa: E402
from issues.models.reminder import Reminder, ReminderSettings  # noqa: E402
from issues.reminders.sweep import run_sweep  # noqa: E402
from residents.models.community import Community, Membership, Role  # noqa: E402


@contextmanager
def counting():
    """Count the statements sent, without DEBUG's query log."""
    counter = {"queries": 0}

    def count(execute, sql, params, many, context):
        counter["queries"] += 1
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        yield counter


CLOSED = "closed"


def setup(rows: int, communities: int, now) -> None:
    owners = []
    for n in range(communities):
        community = Community.objects.create(name=f"基准社区{n}")
        owner = get_user_model().objects.create(username=f"bench-owner-{n}", first_name="基准")
        Membership.objects.create(user=owner, community=community, role=Role.SECRETARY)
        # Today's digest already went out: the sweep measured is the items', not the digest's.
        ReminderSettings.objects.create(community=community, last_digest_on=timezone.localdate(now))
        owners.append((community, owner))
    for start in range(0, rows, 5000):
        batch = []
        for n in range(start, min(rows, start + 5000)):
            community, owner = owners[n % communities]
            batch.append(
                Issue(
                    community=community,
                    code=f"B{n:07d}",
                    received_at=now - timedelta(days=3),
                    text="楼道堆物，请联系13812348000",
                    search_text="楼道堆物",
                    owner=owner,
                    due_at=now - timedelta(hours=1),
                )
            )
        Issue.objects.bulk_create(batch)
        IssueClock.objects.bulk_create(
            IssueClock(issue=issue, reminded_until=now - timedelta(days=3), next_reminder_at=now - timedelta(hours=1))
            for issue in batch
        )
    # Closed items that must cost the sweep nothing: the partial index leaves them out.
    for start in range(0, rows, 5000):
        closed = [
            Issue(community=owners[n % communities][0], code=f"C{n:07d}", received_at=now, text="已归档", status=CLOSED)
            for n in range(start, min(rows, start + 5000))
        ]
        Issue.objects.bulk_create(closed)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def main(rows: int, communities: int) -> None:
    assert connection.settings_dict["NAME"].startswith("fuhai_bench"), "only on a throwaway bench database"
    now = timezone.now()
    setup(rows, communities, now)
    # A worker sweeps every minute for days: the first sweep of a process also imports the URLconf
    # (for the reminders' links), a second or more on this machine that is not the sweep's throughput.
    reverse("board")

    with counting() as counted:
        started = time.monotonic()
        result = run_sweep(now=now)
        elapsed = time.monotonic() - started
    assert Reminder.objects.count() == rows == result.created, (Reminder.objects.count(), result.created)
    print(
        f"sweep over {rows} due items in {communities} communities: {elapsed:.2f} s, {result.created} reminders "
        f"({rows / elapsed:.0f} items/s), {counted['queries']} queries"
    )

    later = now + timedelta(minutes=1)
    timings = []
    for _ in range(21):
        with counting() as counted:
            started = time.monotonic()
            again = run_sweep(now=later)
            timings.append((time.monotonic() - started) * 1000)
        assert again.created == 0
    print(
        f"idle sweep over {rows} open items in {communities} communities: {statistics.median(timings):.1f} ms "
        f"(median of {len(timings)}), {counted['queries']} queries"
    )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 10_000, int(sys.argv[2]) if len(sys.argv) > 2 else 20)
