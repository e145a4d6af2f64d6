"""Pages at 1,000 items against the same pages at N items, side by side in one run.

Two communities with the same people, places and special residents; one has 1,000 items of
12 months' history, the other N. Each page is fetched in both, interleaved, through Django's
test client; the script prints queries per page and the median time in each, and the ratio.

Run through scripts/bench-pages, never against a real database."""

import os
import random
import statistics
import sys
import time
from datetime import date, timedelta

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fuhai.settings")
django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import NoReverseMatch, reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from issues.models.category import IssueCategory  # noqa: E402
from issues.models.issue import Issue  # noqa: E402
from issues.models.partner import Partner  # noqa: E402
from issues.models.timeline import FollowUp  # noqa: E402
from residents.models.care import RiskTier, SpecialCategory, SpecialStatus  # noqa: E402
from residents.models.community import Community, Membership, Role  # noqa: E402
from residents.models.place import Building, Room, Unit  # noqa: E402
from residents.models.resident import Resident  # noqa: E402

PHRASES = ["遛狗不拴绳", "楼道堆放杂物", "飞线充电", "电梯停运", "楼上漏水", "卫生间渗水", "广场舞噪音", "路灯不亮"]
PHRASES += ["井盖松动", "垃圾没人清", "车位被占", "树枝要断", "暖气不热", "小广告乱贴", "门禁坏了", "邻居装修吵"]
FILLER = "居民反映希望社区尽快协调物业处理谢谢今天早上昨天晚上门口附近单元楼下车棚绿地"
# closed history, settled, side exits, then the open states (about 7 % overdue, as measured in issue 15)
STATES = [("closed", 68), ("resolved", 8), ("not_ours", 5), ("duplicate", 3)]
STATES += [("pending", 4), ("in_progress", 6), ("waiting", 6)]
CATEGORIES = ["环境卫生", "噪音扰民", "房屋漏水", "消防安全", "停车管理"]
CATEGORIES += ["绿化", "设施维修", "邻里纠纷", "养犬", "其他"]


def community_with_history(name: str, rows: int, now, rng: random.Random) -> tuple[Community, object, int]:
    """A community with staff, places, special residents and ``rows`` items over 12 months."""
    community = Community.objects.create(name=name, subdistrict="福海街道", district="朝阳区")
    users = get_user_model().objects
    secretary = users.create(username=f"{name}-secretary", first_name="书记")
    Membership.objects.create(user=secretary, community=community, role=Role.SECRETARY)
    staff = [secretary]
    for n in range(5):
        user = users.create(username=f"{name}-staff{n}", first_name=f"社工{n}")
        Membership.objects.create(user=user, community=community, role=Role.STAFF)
        staff.append(user)
    categories = IssueCategory.objects.bulk_create([IssueCategory(community=community, name=c) for c in CATEGORIES])
    partners = Partner.objects.bulk_create(
        [Partner(community=community, kind="property", name=f"物业公司{n}") for n in range(3)]
    )
    buildings = Building.objects.bulk_create([Building(community=community, number=str(n + 1)) for n in range(20)])
    units = Unit.objects.bulk_create([Unit(building=b, number=str(u + 1)) for b in buildings for u in range(2)])
    rooms = Room.objects.bulk_create(
        [
            Room(community=community, unit=u, floor_no=f, room_no=f"{f}0{r}")
            for u in units
            for f in range(1, 7)
            for r in range(1, 3)
        ]
    )
    residents = Resident.objects.bulk_create(
        [
            Resident(community=community, room=rng.choice(rooms), name=f"居民{n}", phone="13812348000")
            for n in range(400)
        ]
    )
    today = timezone.localdate(now)
    SpecialStatus.objects.bulk_create(
        [
            SpecialStatus(
                resident=r,
                community=community,
                category=rng.choice(SpecialCategory.values),
                tier=rng.choice(RiskTier.values),
                visit_interval_days=30,
                valid_from=date(2024, 1, 1),
                responsible=rng.choice(staff),
                last_visited_on=today - timedelta(days=rng.randint(0, 60)),
                next_due_on=today + timedelta(days=rng.randint(-30, 30)),
            )
            for r in residents[:120]
        ]
    )
    states = [s for s, weight in STATES for _ in range(weight)]
    batch, open_pk = [], None
    for n in range(rows):
        received = now - timedelta(minutes=rng.randint(0, 365 * 24 * 60))
        status = rng.choice(states)
        text = "".join(rng.sample(FILLER, 10)) + rng.choice(PHRASES) + "".join(rng.sample(FILLER, 6))
        room = rng.choice(rooms) if rng.random() < 0.5 else None
        code = f"MQ{n:07d}"
        batch.append(
            Issue(
                community=community,
                code=code,
                received_at=received,
                text=text,
                search_text=f"{code} {text}",
                status=status,
                room=room,
                category=rng.choice(categories),
                owner=rng.choice(staff),
                partner=rng.choice(partners) if status == "waiting" else None,
                due_at=received + timedelta(days=10),
                escalated=rng.random() < 0.02,
                resolved_at=received + timedelta(days=3) if status in ("resolved", "closed") else None,
                first_resolved_at=received + timedelta(days=3) if status in ("resolved", "closed") else None,
                closed_at=received + timedelta(days=5) if status == "closed" else None,
                created_by=rng.choice(staff),
            )
        )
        if len(batch) == 5000:
            Issue.objects.bulk_create(batch)
            batch = []
    Issue.objects.bulk_create(batch)
    item = Issue.objects.filter(community=community, status="in_progress").order_by("-received_at").first()
    open_pk = item.pk
    FollowUp.objects.bulk_create(
        [
            FollowUp(issue=item, kind="note", note=f"第{n}次电话联系", author=secretary, created_at=now)
            for n in range(10)
        ]
    )
    return community, secretary, open_pk


def pages(open_pk: int) -> list[tuple[str, str, dict]]:
    listed = [
        ("home", reverse("home"), {}),
        ("board", reverse("board"), {}),
        ("list", reverse("issues:issue_list"), {}),
        ("list open", reverse("issues:issue_list") + "?open=on", {}),
        ("detail", reverse("issues:issue_detail", args=[open_pk]), {}),
        ("roster", reverse("residents:specialstatus_list"), {}),
    ]
    try:
        similar = reverse("issues:issue_similar", args=[open_pk])
    except NoReverseMatch:
        return listed
    return [*listed, ("similar (htmx)", similar, {"HTTP_HX_REQUEST": "true"})]


def main(rows: int, runs: int) -> None:
    assert connection.settings_dict["NAME"] == "fuhai_bench_pages", "only on the throwaway bench database"
    rng = random.Random(15)
    now = timezone.now()
    started = time.monotonic()
    sides = {}
    for label, n in (("1k", 1000), (f"{rows // 1000}k", rows)):
        _community, secretary, open_pk = community_with_history(f"社区{label}", n, now, rng)
        client = Client()
        client.force_login(secretary)
        sides[label] = (client, pages(open_pk))
    with connection.cursor() as cursor:
        # As autovacuum would have by the next morning: statistics, and the visibility map
        # that lets counts be read from an index alone.
        cursor.execute("VACUUM ANALYZE")
    print(f"built 1,000 and {rows:,} items in {time.monotonic() - started:.0f} s; {runs} interleaved runs per page")
    names = [name for name, _url, _h in next(iter(sides.values()))[1]]
    timings = {(label, name): [] for label in sides for name in names}
    queries = {}
    for label, (client, listed) in sides.items():
        for name, url, headers in listed:
            client.get(url, **headers)  # warm the connection and the template cache
            with CaptureQueriesContext(connection) as captured:
                response = client.get(url, **headers)
            assert response.status_code == 200, (label, name, response.status_code)
            queries[(label, name)] = len(captured)
    for _ in range(runs):
        for index, name in enumerate(names):
            for label, (client, listed) in sides.items():
                _name, url, headers = listed[index]
                began = time.perf_counter()
                client.get(url, **headers)
                timings[(label, name)].append((time.perf_counter() - began) * 1000)
    small, large = sides
    print(f"{'page':16} {'queries':>9} {small + ' ms':>9} {large + ' ms':>9} {'ratio':>6}")
    for name in names:
        a, b = statistics.median(timings[(small, name)]), statistics.median(timings[(large, name)])
        counts = f"{queries[(small, name)]}/{queries[(large, name)]}"
        print(f"{name:16} {counts:>9} {a:9.1f} {b:9.1f} {b / a:6.2f}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000, int(sys.argv[2]) if len(sys.argv) > 2 else 15)
