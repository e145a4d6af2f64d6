"""Time the reminder sweep over N due items, then over none (the partial index's plan).

Run through `scripts/bench sweep N`, never against a real database."""

import os
import sys
import time
from datetime import timedelta

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fuhai.settings")
django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402

from issues.models.issue import Issue  # noqa: E402
from issues.models.reminder import Reminder  # noqa: E402
from issues.reminders import triggers  # noqa: E402
from residents.models.community import Community, Membership, Role  # noqa: E402


def main(rows: int) -> None:
    assert connection.settings_dict["NAME"] == "fuhai_bench", "only on the throwaway bench database"
    community = Community.objects.create(name="基准社区")
    owner = get_user_model().objects.create(username="bench-owner", first_name="基准")
    Membership.objects.create(user=owner, community=community, role=Role.SECRETARY)
    now = timezone.now()
    batch = [
        Issue(
            community=community,
            code=f"B{n:07d}",
            received_at=now - timedelta(days=3),
            text="楼道堆物",
            search_text="楼道堆物",
            owner=owner,
            due_at=now - timedelta(hours=1),
            reminded_until=now - timedelta(days=3),
            next_reminder_at=now - timedelta(hours=1),
        )
        for n in range(rows)
    ]
    for start in range(0, rows, 5000):
        Issue.objects.bulk_create(batch[start : start + 5000])
    # Closed items that must cost the sweep nothing: the partial index leaves them out.
    Issue.objects.bulk_create(
        [
            Issue(community=community, code=f"C{n:07d}", received_at=now, text="已归档", status="closed")
            for n in range(rows)
        ]
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE issues_issue")
    started = time.monotonic()
    result = triggers.sweep_issues(now=now)
    elapsed = time.monotonic() - started
    print(f"sweep over {rows} due items: {elapsed:.1f} s, {result.created} reminders ({rows / elapsed:.0f} items/s)")
    assert Reminder.objects.count() == rows
    started = time.monotonic()
    again = triggers.sweep_issues(now=now)
    print(f"second sweep, nothing due: {(time.monotonic() - started) * 1000:.1f} ms, {again.created} reminders")
    queryset = Issue.objects.filter(next_reminder_at__lte=now).order_by("next_reminder_at")[:500]
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql + " FOR UPDATE SKIP LOCKED", params)
        print("\n".join(row[0] for row in cursor.fetchall()))


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 10_000)
