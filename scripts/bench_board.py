"""Time the morning-meeting board on the demo data: staff page, refresh and screen link.

Run through scripts/bench-board, never against a real database."""

import os
import statistics
import sys
import time
from io import StringIO

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fuhai.settings")
django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, reset_queries  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from activities.models import Activity  # noqa: E402
from issues import services  # noqa: E402
from issues.models.issue import Issue  # noqa: E402
from issues.models.task import BoardToken  # noqa: E402
from residents.models.community import Community  # noqa: E402

TASKS = [
    ("staff1", "入户走访3号楼王奶奶，带灭火毯"),
    ("staff1", "电话回访7号楼渗水住户"),
    ("staff2", "联系物业处理5号楼楼道堆物"),
    ("staff2", "准备周五宪法宣传展板"),
    ("grid1", "巡查北区车棚飞线充电"),
    ("grid1", "走访独居老人（南区）"),
    ("grid2", "核实2号楼枯枝位置并拍照"),
    ("secretary", "与设计公司现场看文化墙安装"),
]


def main(runs: int) -> None:
    assert connection.settings_dict["NAME"] == "fuhai_bench_board", "only on the throwaway bench database"
    call_command("seed_demo", force=True, verbosity=0, stdout=StringIO())
    community = Community.objects.get(name="福海佳园")
    users = {u.username: u for u in get_user_model().objects.all()}
    now = timezone.now()
    issues = list(Issue.objects.in_community(community)[:4])
    for n, (username, title) in enumerate(TASKS):
        services.add_task(
            community=community,
            by=users["secretary"],
            now=now,
            title=title,
            day=timezone.localdate(now),
            assignee=users[username],
            issue=issues[n] if n < len(issues) else None,
        )
    start = now.replace(hour=1, minute=30, second=0, microsecond=0)
    for hours, title in ((1, "宪法宣传日主题活动"), (6, "流感疫苗接种提醒")):
        Activity.objects.create(
            community=community,
            title=title,
            starts_at=start + timezone.timedelta(hours=hours),
            ends_at=start + timezone.timedelta(hours=hours + 2),
        )
    with connection.cursor() as cursor:
        # As autovacuum would have by the next morning: fresh statistics for the planner.
        cursor.execute("ANALYZE")
    _row, token = BoardToken.create_link(community=community, label="bench", by=users["secretary"], now=now)
    staff = Client()
    staff.force_login(users["secretary"])
    screen = Client()
    pages = [
        ("staff board", staff, reverse("board"), {}),
        ("staff refresh", staff, reverse("board_refresh"), {"HTTP_HX_REQUEST": "true"}),
        ("screen link", screen, reverse("board_tv", args=[token]), {}),
        ("mid-week summary", staff, reverse("board_summary"), {}),
    ]
    print(f"demo data: {Issue.objects.in_community(community).count()} items, 8 tasks, 2 activities; {runs} runs each")
    for name, client, url, headers in pages:
        client.get(url, **headers)  # warm the connection and the template cache
        timings = []
        for _ in range(runs):
            reset_queries()
            started = time.perf_counter()
            response = client.get(url, **headers)
            timings.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, (name, response.status_code)
        with CaptureQueriesContext(connection) as queries:
            client.get(url, **headers)
        timings.sort()
        p95 = timings[max(int(len(timings) * 0.95) - 1, 0)]
        print(
            f"{name:17} median {statistics.median(timings):6.1f} ms   p95 {p95:6.1f} ms"
            f"   max {timings[-1]:6.1f} ms   {len(queries)} queries"
        )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 50)
