"""Time the WeChat batch entry: read 100 and 500 pasted messages against 500 open items.

Run through `scripts/bench wechat 500` (a throwaway database), never against real data.
Prints seconds and query counts for the page (read step) and for `parse_wechat --community`."""

import os
import random
import sys
import time
from io import StringIO

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fuhai.settings")
django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from issues import services  # noqa: E402
from issues.models.category import IssueCategory  # noqa: E402
from issues.models.choices import default_due  # noqa: E402
from issues.models.issue import Issue  # noqa: E402
from residents.models.community import Community  # noqa: E402
from residents.models.place import Building  # noqa: E402

PROBLEMS = [
    "门口又有人遛狗不拴绳",
    "楼道里堆了好多纸箱",
    "车棚有人飞线充电",
    "电梯又停了",
    "卫生间顶上渗水",
    "广场舞音响太吵",
    "路灯不亮",
    "井盖松动了",
    "垃圾好几天没人清",
    "车位被人占了",
    "树枝快断了",
    "暖气不热",
    "单元门口贴满小广告",
    "楼上装修太吵",
]
SENDERS = ["王秀英", "李阿姨", "阳光明媚", "老张", "静待花开", "赵大爷", "小刘妈妈", "孙姐"]


def paste(n: int, rng: random.Random) -> str:
    lines = []
    for i in range(n):
        hour, minute = 7 + i // 60 % 12, i % 60
        text = f"{rng.randint(1, 12)}号楼{rng.choice(PROBLEMS)}，{rng.choice(['麻烦看看', '谢谢', '好几天了', ''])}"
        lines.append(f"{rng.choice(SENDERS)} {hour:02d}:{minute:02d}\n{text}\n")
    return "\n".join(lines)


def seed_open_items(community: Community, count: int, rng: random.Random) -> None:
    now = timezone.now()
    categories = list(IssueCategory.objects.in_community(community))
    buildings = list(Building.objects.filter(community=community)) or [None]
    Issue.objects.bulk_create(
        Issue(
            community=community,
            code=f"MQ20000101-{n:04d}",
            received_at=now,
            due_at=default_due(now, "normal"),
            text=f"{rng.choice(PROBLEMS)}，{rng.choice(['麻烦看看', '好几天了', '谢谢'])}",
            category=rng.choice(categories),
            building=rng.choice(buildings),
        )
        for n in range(count)
    )


def measure(label: str, run) -> None:
    with CaptureQueriesContext(connection) as queries:
        started, cpu = time.perf_counter(), time.process_time()
        run()
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    # CPU seconds of this process as well: on a shared machine the wall clock also counts the others.
    print(f"{label}: {seconds:.2f} s ({cpu:.2f} s CPU in Python), {len(queries)} queries")


def main(open_items: int) -> None:
    assert connection.settings_dict["NAME"].startswith("fuhai_bench"), "only on a throwaway bench database"
    call_command("seed_demo", force=True, verbosity=0, stdout=StringIO())
    community = Community.objects.get(name="福海佳园")
    services.ensure_default_categories(community)
    setup_test_environment()  # the response's context, to check every message became a row
    rng = random.Random(17)
    seed_open_items(community, open_items, rng)
    with connection.cursor() as cursor:
        # As autovacuum leaves a table that has grown: statistics that count the open items.
        cursor.execute("VACUUM ANALYZE issues_issue")
    print(f"{Issue.objects.in_community(community).open().count()} open items in {community.name}")
    client = Client()
    client.force_login(get_user_model().objects.get(username="secretary"))
    client.get(reverse("issues:wechat_paste"))  # warm up: URLs and templates load on the first request
    for n in (100, 500):
        text = paste(n, rng)
        path = f"/tmp/bench_wechat_{n}.txt"
        with open(path, "w", encoding="utf-8") as out:
            out.write(text)

        def page(text=text, n=n):
            response = client.post(reverse("issues:wechat_paste"), {"paste": text, "action": "parse"})
            assert response.status_code == 200 and len(response.context["rows"]) >= n, response.status_code

        def command(path=path):
            call_command("parse_wechat", path, "--json", "--community", community.name, stdout=StringIO())

        measure(f"page, {n} messages", page)
        measure(f"parse_wechat --community, {n} messages", command)


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 500)
