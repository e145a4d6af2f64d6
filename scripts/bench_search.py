"""Fill fuhai_bench with N issues of realistic Chinese text and EXPLAIN (ANALYZE) the top bar's
search (issues.selectors.search_items: ids first, then the join) and the list's search, for a
2-, a 3- and a 4-character query.

Run through `scripts/bench search N`, never against a real database."""

import os
import random
import sys
import time
from datetime import timedelta

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fuhai.settings")
django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from issues.filters import search_issues  # noqa: E402
from issues.models.issue import Issue  # noqa: E402
from issues.selectors import search_items  # noqa: E402
from residents.models.community import Community  # noqa: E402

PHRASES = [
    "遛狗不拴绳",
    "楼道堆放杂物",
    "飞线充电",
    "电梯停运",
    "楼上漏水",
    "卫生间渗水",
    "广场舞噪音",
    "路灯不亮",
    "井盖松动",
    "垃圾没人清",
    "车位被占",
    "树枝要断",
    "暖气不热",
    "小广告乱贴",
    "门禁坏了",
    "邻居装修吵",
]
FILLER = "居民反映希望社区尽快协调物业处理谢谢今天早上昨天晚上门口附近单元楼下车棚绿地"


def main(rows: int) -> None:
    assert connection.settings_dict["NAME"].startswith("fuhai_bench"), "only on a throwaway bench database"
    community = Community.objects.create(name="基准社区")
    rng = random.Random(7)
    now = timezone.now()
    started = time.monotonic()
    batch = []
    for n in range(rows):
        place = f"{rng.randint(1, 12)}号楼"
        text = "".join(rng.sample(FILLER, 12)) + place + rng.choice(PHRASES) + "".join(rng.sample(FILLER, 8))
        batch.append(
            Issue(
                community=community,
                code=f"B{n:07d}",
                received_at=now - timedelta(minutes=rng.randrange(525_600)),
                text=text,
                search_text=f"B{n:07d} {text}",
            )
        )
        if len(batch) == 5000:
            Issue.objects.bulk_create(batch)
            batch = []
    Issue.objects.bulk_create(batch)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE issues_issue")  # as autovacuum leaves a grown table
    print(f"inserted {rows} issues in {time.monotonic() - started:.1f} s")
    for q in ["拴绳", "3号楼", "遛狗不拴"]:
        count = search_issues(Issue.objects.filter(community=community), q).count()
        with CaptureQueriesContext(connection) as queries:
            search_items(community, q, limit=50)
        found = search_issues(Issue.objects.filter(community=community), q)
        # The list page's search statements (IssueListView.paginate_queryset): the count, then
        # the first page's 30 ids; only those are then joined, by id.
        page = found.values_list("pk", flat=True)[:30]
        for label, (sql, params) in [
            ("top-bar search (50 newest)", (queries[0]["sql"], None)),
            ("list page count", found.values("pk").order_by().query.sql_with_params()),
            ("list page ids (30 newest)", page.query.sql_with_params()),
        ]:
            if label == "list page count":
                sql = f"SELECT count(*) FROM ({sql}) AS found"
            print(f"\n=== {label}, q={q!r} ({len(q)} characters): {count} matching rows ===\n{explain(sql, params)}")


def explain(sql: str, params) -> str:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)  # warm the cache: the figure is the query's, not the disk's
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)
        return "\n".join(row[0] for row in cursor.fetchall())


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000)
