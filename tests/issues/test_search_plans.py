"""Search and similar items read an index that starts with the community (migration 0013):
checked on the plans PostgreSQL makes for a few thousand items after ANALYZE."""

import random
from datetime import timedelta
from importlib import import_module

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from issues import services
from issues.filters import search_issues
from issues.models.issue import Issue
from issues.selectors import search_items
from issues.similar import Probe, _similar_in_python, _similar_in_sql, similar_open_items
from residents.places import Place
from tests.factories import CommunityFactory, IssueFactory
from tests.plans import plans

FILLER = "居民反映希望社区尽快协调物业处理谢谢今天早上昨天晚上门口附近单元楼下车棚绿地"
WORDS = ["楼道堆物", "飞线充电", "电梯停运", "暖气不热", "路灯不亮", "井盖松动", "车位被占"]


def fill(community, rows: int, *, rng: random.Random, start: int = 0) -> None:
    """``rows`` items as the app writes them (search_text joins number and text), over a year."""
    now = timezone.now()
    items = []
    for n in range(start, start + rows):
        text = "".join(rng.sample(FILLER, 10)) + f"{rng.randint(1, 12)}号楼" + rng.choice(WORDS)
        code = f"P{n:06d}"
        received_at = now - timedelta(minutes=rng.randrange(525_600))
        items.append(
            Issue(community=community, code=code, received_at=received_at, text=text, search_text=f"{code} {text}")
        )
    Issue.objects.bulk_create(items)


@pytest.fixture
def district(community, other_community):
    """Our community and three others, each with a few items of the words searched for."""
    rng = random.Random(3)
    for start, place in enumerate([community, other_community, *CommunityFactory.create_batch(2)]):
        fill(place, 2000 if place == community else 600, rng=rng, start=start * 10_000)
        for n in range(5):
            IssueFactory(community=place, text=f"{n + 1}号楼门口有人遛狗不拴绳")
    settle()
    return community


def settle() -> None:
    """What autovacuum does to a table that has grown: GIN indexes take the rows they hold in
    their pending list into the index proper (VACUUM cannot run in the test's transaction), and
    ANALYZE gathers statistics."""
    with connection.cursor() as cursor:
        for index in ["issue_search_pairs", "issue_search_trgm", "issue_open_pairs"]:
            cursor.execute("SELECT gin_clean_pending_list(%s::regclass)", [index])
        cursor.execute("ANALYZE issues_issue")


def plan_of(sql: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN " + sql)
        return "\n".join(row[0] for row in cursor.fetchall())


def search_plan(community, q: str) -> str:
    with CaptureQueriesContext(connection) as queries:
        search_items(community, q, limit=50)
    (query,) = queries.captured_queries
    return plan_of(query["sql"])


def function_plans(community, q: str) -> list[str]:
    """The plans of issues_search_page's statements (migration 0022) for ``q``, made as the function
    makes them (its SET clauses): the matches with the community inside the index and beside it."""
    sql = import_module("issues.migrations.0022_search_words")
    found = []
    with connection.cursor() as cursor:
        cursor.execute("SELECT issues_search_words(%s, true)", [q])
        (words,) = cursor.fetchone()
        cursor.execute("SET LOCAL enable_seqscan = off; SET LOCAL enable_indexscan = off")
        for n, community_is in enumerate([sql.IN_INDEX, sql.FILTERED]):
            cursor.execute(f"PREPARE hits{n}(bigint, integer) AS {sql.HITS % (community_is, words)}")
            cursor.execute(f"EXPLAIN EXECUTE hits{n}(%s, 1001)", [community.pk])
            found.append("\n".join(row[0] for row in cursor.fetchall()))
        cursor.execute("DEALLOCATE ALL; RESET enable_seqscan; RESET enable_indexscan")
    return found


@pytest.mark.parametrize(
    ("q", "index"), [("拴绳", "issue_search_pairs"), ("不拴绳", "issue_search_trgm"), ("遛狗不拴", "issue_search_trgm")]
)
def test_it_searches_through_the_communitys_index(district, q, index):
    in_index, beside = function_plans(district, q)
    assert f"Bitmap Index Scan on {index}" in in_index and "(community_id = " in in_index, in_index
    assert f"Bitmap Index Scan on {index}" in beside, beside
    for plan in (in_index, beside):
        assert "Seq Scan on issues_issue " not in plan and "issue_comm_received" not in plan, plan


@pytest.mark.parametrize(
    ("q", "indexes"),
    [
        ("遛狗 拴绳", ["issue_search_pairs"]),
        ("门口 不拴绳", ["issue_search_pairs", "issue_search_trgm"]),
        ("门口有\u3000遛狗不拴", ["issue_search_trgm"]),
        ("3-2-501 拴绳", ["issue_search_pairs", "issue_search_trgm"]),
        ("拴绳 楼", ["issue_search_pairs"]),
    ],
)
def test_it_searches_every_word_through_the_communitys_indexes(district, q, indexes):
    """The matches of several words come from the search indexes, never along the community's
    rows; a word the planner leaves out of the index scan is checked on the rows the scan found,
    and a pair is computed (~0.1 ms) only on rows that contain the word (strpos first)."""
    in_index, beside = function_plans(district, q)
    assert "(community_id = " in in_index, in_index
    for plan in (in_index, beside):
        used = {index for index in indexes if f"Bitmap Index Scan on {index}" in plan}
        assert used, plan
        for line in plan.splitlines():
            if "Filter:" in line and "issues_bigrams" in line:
                assert -1 < line.find("strpos(") < line.find("issues_bigrams"), plan
        assert "Seq Scan on issues_issue " not in plan and "issue_comm_received" not in plan, plan


@pytest.mark.parametrize("q", ["拴绳", "不拴绳", "遛狗不拴"])
def test_it_finds_the_communitys_items_newest_first_and_no_others(district, q):
    found = search_items(district, q, limit=50)
    assert [issue.text for issue in found] == [f"{n}号楼门口有人遛狗不拴绳" for n in range(5, 0, -1)]


def test_it_joins_only_the_newest_ids(district):
    plan = search_plan(district, "拴绳")
    # The ids come from the function (sorted and cut there), then are joined to their places.
    assert "Function Scan on issues_search_page" in plan, plan
    assert "issues_issue_pkey" in plan and "Seq Scan on issues_issue " not in plan, plan


@pytest.mark.parametrize("q", ["拴绳", "遛狗不拴"])
def test_it_searches_the_list_through_the_function_and_joins_one_page(district, staff_client, q):
    with CaptureQueriesContext(connection) as queries:
        response = staff_client.get(reverse("issues:issue_list"), {"q": q})
    assert len(response.context["object_list"]) == 5
    sqls = [query["sql"] for query in queries.captured_queries]
    # The page's ids and the count come in one statement (planned inside: the test above) ...
    assert len([sql for sql in sqls if "issues_search_page(" in sql]) == 1
    # ... then the page's rows, by id alone, are joined to their places and people.
    (page,) = [sql for sql in sqls if "residents_room" in sql and '"issues_issue"."id" IN (' in sql]
    assert "LIKE" not in page and "issues_bigrams" not in page
    assert "issues_issue_pkey" in plan_of(page) and "Seq Scan on issues_issue " not in plan_of(page)


def test_it_walks_the_newest_of_a_common_word_along_the_received_index(district):
    sql = import_module("issues.migrations.0022_search_words")
    with connection.cursor() as cursor:
        cursor.execute("SELECT issues_search_words('号楼', false)")
        (words,) = cursor.fetchone()
        cursor.execute("SET LOCAL enable_seqscan = off")
        walk = sql.NEWEST % (sql.WALKED, words)
        cursor.execute(f"PREPARE walk(bigint, integer, integer) AS {walk}")
        cursor.execute("EXPLAIN EXECUTE walk(%s, 0, 30)", [district.pk])
        plan = "\n".join(row[0] for row in cursor.fetchall())
        cursor.execute("DEALLOCATE ALL; RESET enable_seqscan")
    assert "Index Scan using issue_comm_received" in plan, plan
    assert "issues_bigrams" not in plan, plan


def test_it_takes_two_characters_literally(community):
    wanted = IssueFactory(community=community, text="商户打折5%")
    IssueFactory(community=community, text="5号楼门口")
    assert list(search_issues(Issue.objects.in_community(community), "5%")) == [wanted]


def test_it_finds_similar_open_items_reading_the_communitys_items_once(district):
    """The newest open items are read once and their pairs computed once: reading the pair
    index for each pair of the texts touched every open item sharing a pair (make bench P8)."""
    (plan,) = plans(lambda: similar_open_items(district, [Probe("今天又看见有人遛狗不拴绳")], limit=20))
    assert plan.count(" on issues_issue") == 1, plan
    assert "issue_open_pairs" not in plan and "Seq Scan on issues_issue" not in plan, plan


def test_it_finds_the_same_similar_items_in_sql_as_in_python(community, categories):
    fill(community, 300, rng=random.Random(5))  # fewer than the 500 newest that SQLite reads
    for n in range(5):
        IssueFactory(community=community, text=f"{n + 1}号楼门口有人遛狗不拴绳", category=categories["养犬"])
    settle()
    probes = [
        Probe("今天又看见有人遛狗不拴绳，麻烦管管！"),
        Probe("3号楼 飞线充电（好几天了）", category_id=categories["电动车充电"].pk),
        Probe("有人遛狗", category_id=categories["养犬"].pk),
        Probe("楼楼楼楼"),
    ]
    in_sql = _similar_in_sql(community, probes, limit=20)
    in_python = _similar_in_python(community, probes, limit=20)
    assert [[(m.issue_id, round(m.score, 6), m.same_place) for m in matches] for matches in in_sql] == [
        [(m.issue_id, round(m.score, 6), m.same_place) for m in matches] for matches in in_python
    ]
    assert [bool(matches) for matches in in_sql] == [True, True, True, False]


def test_it_reads_a_batchs_items_in_one_query_and_counts_in_python_as_sql_would(district):
    """A WeChat paste: counting each (text, item)'s pairs in PostgreSQL took 1.8 s for 500
    messages in make bench's busiest community, 0.4 s in Python; the same matches."""
    probes = [Probe("有人遛狗不拴绳"), Probe("3号楼门口有人遛狗不拴绳，麻烦看看"), Probe("完全无关的内容")]
    with CaptureQueriesContext(connection) as queries:
        found = similar_open_items(district, probes, limit=5)
    (query,) = queries.captured_queries
    assert "issues_open_keys" not in query["sql"], query["sql"]
    as_rows = [[(m.issue_id, round(m.score, 6), m.same_place) for m in matches] for matches in found]
    in_sql = _similar_in_sql(district, probes, limit=5)
    assert as_rows == [[(m.issue_id, round(m.score, 6), m.same_place) for m in matches] for matches in in_sql]
    assert [len(matches) for matches in found] == [5, 5, 0]


def test_it_ranks_items_at_the_same_place_in_sql_as_in_python(community, categories, room):
    """Same place and category with no pair in common, with a few and with most (above the
    threshold): each item found once, with its share, in SQL as in Python."""
    building, leak = room.unit.building, categories["漏水"]
    for text, place in [("楼上往下滴水", {"room": room}), ("卫生间顶上渗水", {"room": room})]:
        IssueFactory(community=community, text=text, category=leak, **place)
    IssueFactory(community=community, text="卫生间顶上渗水好几天", category=leak, building=building)
    IssueFactory(community=community, text="厨房顶上渗水", category=categories["养犬"], building=building)
    IssueFactory(community=community, text="卫生间顶上渗水")
    settle()
    probes = [
        Probe("卫生间顶上渗水", room_id=room.pk, building_id=building.pk, category_id=leak.pk),
        Probe("卫生间顶上渗水", building_id=building.pk, category_id=leak.pk),
        Probe("厨房漏水", building_id=building.pk, category_id=leak.pk),
    ]
    in_sql = _similar_in_sql(community, probes, limit=20)
    in_python = _similar_in_python(community, probes, limit=20)
    as_rows = [[(m.issue_id, round(m.score, 6), m.same_place) for m in matches] for matches in in_sql]
    assert as_rows == [[(m.issue_id, round(m.score, 6), m.same_place) for m in matches] for matches in in_python]
    assert [len(matches) for matches in in_sql] == [5, 4, 1]
    assert all(len({m.issue_id for m in matches}) == len(matches) for matches in in_sql)


def test_it_compares_a_text_with_the_newest_open_items_only_in_sql_as_in_python(community, monkeypatch):
    """A district's busiest community has thousands of open items: a WeChat paste compared with
    all of them counted millions of hits (make bench P8: 7 s -> 20 s). SQL reads the same newest
    CANDIDATES open items as the Python rule."""
    monkeypatch.setattr("issues.similar.CANDIDATES", 4)
    now = timezone.now()
    items = [
        IssueFactory(community=community, text=f"{n + 1}号楼门口有人遛狗不拴绳", received_at=now - timedelta(days=n))
        for n in range(8)
    ]
    settle()
    (in_sql,) = _similar_in_sql(community, [Probe("门口有人遛狗不拴绳")], limit=20)
    (in_python,) = _similar_in_python(community, [Probe("门口有人遛狗不拴绳")], limit=20)
    assert [m.issue_id for m in in_sql] == [m.issue_id for m in in_python] == [i.pk for i in items[:4]]


def test_it_says_why_an_item_is_similar(log, community, room, categories):
    same_place = log("楼上往下滴水", place=Place(room=room), category=categories["漏水"])
    same_words = log("卫生间顶上渗水好几天")
    found = services.find_similar(community, text="卫生间顶上渗水", room=room, category=categories["漏水"])
    assert [(i, i.same_place) for i in found] == [(same_place, True), (same_words, False)]
    assert (found[0].similarity, found[1].similarity) == (0.0, 1.0)


def test_it_never_offers_the_item_itself_or_another_communitys(log, community, other_community, secretary, now):
    issue = log("3号楼门口有人遛狗不拴绳")
    log("3号楼门口有人遛狗不拴绳", community=other_community)
    assert services.find_similar(community, text=issue.text, exclude=issue) == []


def test_it_finds_similar_items_for_many_texts_in_one_query(district, django_assert_num_queries):
    with django_assert_num_queries(1):
        found = similar_open_items(district, [Probe("有人遛狗不拴绳")] * 200 + [Probe("完全无关的内容")], limit=3)
    assert (len(found), len(found[0]), found[-1]) == (201, 3, [])


def index_reads() -> dict[str, tuple[int, int]]:
    """(scans, index entries read) of each index of issues_issue in this transaction so far."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname, pg_stat_get_xact_numscans(c.oid), pg_stat_get_xact_tuples_returned(c.oid) "
            "FROM pg_index x JOIN pg_class c ON c.oid = x.indexrelid WHERE x.indrelid = 'issues_issue'::regclass"
        )
        return {name: (scans, read) for name, scans, read in cursor.fetchall()}


def test_it_walks_the_newest_of_a_common_word_even_when_the_statistics_have_not_seen_it(district):
    """A word that became common after the last ANALYZE (a wave of 停水 reports overnight): the
    statistics say no item has it, so the planner expected the walk to read the whole community
    before it found one, and read every item of the community, checked and sorted, instead (make
    bench caught it: 128 ms for 漏水 where the walk takes 3). The first page of a word with more
    matches than the cap is read along the received index, whatever ANALYZE saw."""
    now = timezone.now()
    Issue.objects.bulk_create(
        Issue(
            community=district,
            code=f"W{n:05d}",
            received_at=now - timedelta(minutes=n),
            text=f"{n % 12 + 1}号楼停水了",
            search_text=f"W{n:05d} {n % 12 + 1}号楼停水了",
        )
        for n in range(1_100)
    )
    before = index_reads()
    with connection.cursor() as cursor:
        cursor.execute("SELECT page_ids, hits FROM issues_search_page(%s, '停水', 0, 30, 1000)", [district.pk])
        page_ids, hits = cursor.fetchone()
        # Inside the test's transaction, as inside ATOMIC_REQUESTS: nothing leaks out of the call.
        cursor.execute("SELECT current_setting('enable_sort'), current_setting('enable_indexscan')")
        assert cursor.fetchone() == ("on", "on")
    reads = {name: (scans - before[name][0], read - before[name][1]) for name, (scans, read) in index_reads().items()}
    newest = Issue.objects.filter(community=district, text__contains="停水").order_by("-received_at", "-id")
    assert (page_ids, hits) == (list(newest.values_list("pk", flat=True)[:30]), 1001)
    # The count: the pair index. The page: one scan of the received index that stops after the
    # 30 newest matches and the few other items received among them, of the community's 3,105.
    scanned = {name: read for name, read in reads.items() if read[0]}
    assert scanned.keys() == {"issue_search_pairs", "issue_comm_received"}, scanned
    scans, entries = scanned["issue_comm_received"]
    assert scans == 1 and 30 < entries < 100, scanned
