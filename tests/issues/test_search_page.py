"""The list page's and the top bar's search through issues_search_page (migration 0018): the same
items, in the same order, as the plain filter, whichever way the function reads them; the count
capped past COUNT_CAP, and the page saying so."""

import random
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from issues.filters import search_issues, search_page
from issues.models.issue import Issue
from issues.selectors import search_items
from tests.factories import IssueFactory
from tests.issues.test_search_plans import fill, settle
from tests.plans import plans

LIST = reverse("issues:issue_list")
TEXTS = ["3号楼漏水", "楼上漏水了", "电动车充电", "消防通道堵了", "商户打折5%", "a_b 路灯", "c\\d 井盖", "Wi-Fi 坏了"]


@pytest.fixture
def items(community, other_community):
    """Items of our community with the searched words at many times, and the same words next door."""
    now = timezone.now()
    rng = random.Random(11)
    made = []
    for _ in range(60):
        text = rng.choice(TEXTS)
        made.append(IssueFactory(community=community, text=text, received_at=now - timedelta(hours=rng.randrange(900))))
        IssueFactory(community=other_community, text=text)
    # Two items received at the same moment: the newer id comes first.
    for _ in range(2):
        made.append(IssueFactory(community=community, text="同一时刻漏水", received_at=now - timedelta(hours=5)))
    settle()
    return made


def expected(community, q) -> list[int]:
    found = search_issues(Issue.objects.in_community(community), q)
    return list(found.order_by("-received_at", "-id").values_list("pk", flat=True))


@pytest.mark.parametrize(
    "q",
    [
        *["漏水", "电动车", "消防通道", "5%", "a_b", "c\\d", "wi-fi", "坏了", "没有这个词"],
        *["楼上 漏水", "3号楼\u3000漏水", "打折 5%", "a_b 路灯", "wi-fi 坏 了", "漏水 没有这个词", "楼上 漏"],
    ],
)
@pytest.mark.parametrize(("limit", "cap"), [(5, 1000), (5, 7), (1, 10)])
def test_it_pages_the_same_items_in_the_same_order_as_the_filter(community, items, q, limit, cap):
    """Exact (fewer matches than the cap), capped and sorted, and capped and walked (1 of cap 10)."""
    wanted = expected(community, q)
    pages = []
    for offset in range(0, len(wanted) + limit, limit):
        found = search_page(community.pk, q, offset=offset, limit=limit, cap=max(cap, offset + limit))
        assert found.hits == min(len(wanted), max(cap, offset + limit) + 1)
        pages += found.ids
    assert pages == wanted


def test_it_reads_the_same_items_when_the_community_is_most_of_the_table_or_a_small_part(
    community, other_community, items
):
    """The function compares the community inside the index or beside it by the community's share
    of the table (pg_stats): both ways find only our items."""
    wanted = expected(community, "漏水")
    assert search_page(community.pk, "漏水", offset=0, limit=100).ids == wanted
    fill(other_community, 3000, rng=random.Random(2))  # now we are a small part of the table
    settle()
    assert search_page(community.pk, "漏水", offset=0, limit=100).ids == wanted
    assert search_page(community.pk, "电动车", offset=0, limit=100).ids == expected(community, "电动车")


def test_it_caps_the_count_and_says_so_in_english(staff_client, community, items, monkeypatch):
    monkeypatch.setattr("issues.views.log.IssueListView.count_cap", 7)
    monkeypatch.setattr("issues.views.log.IssueListView.paginate_by", 5)
    staff_client.cookies["django_language"] = "en"
    response = staff_client.get(LIST, {"q": "漏水"})
    page = response.content.decode()
    assert len(expected(community, "漏水")) > 7
    assert "7+ items" in page
    assert "More than 7 items match; they are counted only up to 7." in page
    assert "Page 1 · more than 7 in all" in page
    assert [i.pk for i in response.context["object_list"]] == expected(community, "漏水")[:5]


def test_it_caps_the_count_at_a_thousand_by_default(staff_client, community):
    now = timezone.now()
    Issue.objects.bulk_create(
        Issue(community=community, code=f"C{n:05d}", received_at=now, text="漏水", search_text=f"C{n:05d} 漏水")
        for n in range(1001)
    )
    page = staff_client.get(LIST, {"q": "漏水"}).content.decode()
    assert "1000+ 条" in page  # the page's default language
    assert "匹配的事项超过 1000 条，只数到 1000 条。" in page
    assert "共 1000 多条" in page


def test_it_counts_exactly_below_the_cap(staff_client, community, items):
    staff_client.cookies["django_language"] = "en"
    response = staff_client.get(LIST, {"q": "电动车"})
    n = len(expected(community, "电动车"))
    assert response.context["paginator"].count == n
    assert f"{n} items" in response.content.decode() and "+ items" not in response.content.decode()


def test_it_offers_the_next_page_past_the_cap_and_shows_it_whole(staff_client, community, items, monkeypatch):
    monkeypatch.setattr("issues.views.log.IssueListView.count_cap", 7)
    monkeypatch.setattr("issues.views.log.IssueListView.paginate_by", 5)
    wanted = expected(community, "漏水")
    for number in (1, 2, 3):
        response = staff_client.get(LIST, {"q": "漏水", "page": number})
        page = response.context["page_obj"]
        assert [i.pk for i in page.object_list] == wanted[(number - 1) * 5 : number * 5]
        assert page.has_next() == (number * 5 < len(wanted))


def test_a_page_past_the_last_shows_the_last(staff_client, community, items, monkeypatch):
    """It answered 404 (未找到) to a bookmark of a page the search no longer has."""
    monkeypatch.setattr("issues.views.log.IssueListView.paginate_by", 5)
    wanted = expected(community, "漏水")
    last = (len(wanted) + 4) // 5
    assert last > 1
    response = staff_client.get(LIST, {"q": "漏水", "page": 99})
    assert response.status_code == 200
    page = response.context["page_obj"]
    assert page.number == last and not page.has_next()
    assert [i.pk for i in page.object_list] == wanted[(last - 1) * 5 :]


def test_a_search_that_finds_nothing_shows_its_empty_first_page_at_any_page(staff_client, items):
    response = staff_client.get(LIST, {"q": "没有这个词", "page": 3})
    assert response.status_code == 200 and response.context["page_obj"].number == 1
    assert "没有符合条件的事项。" in response.content.decode()


def test_it_counts_a_search_with_other_filters_up_to_the_cap_too(staff_client, community, items, monkeypatch):
    """Through the ORM rather than issues_search_page, but capped the same way (tests/issues/test_list_count.py)."""
    monkeypatch.setattr("issues.views.log.IssueListView.count_cap", 3)
    monkeypatch.setattr("issues.views.log.IssueListView.paginate_by", 2)
    response = staff_client.get(LIST, {"q": "漏水", "channel": "wechat"})
    wanted = search_issues(Issue.objects.in_community(community).filter(channel="wechat"), "漏水").count()
    assert response.context["paginator"].count == min(wanted, 4)
    assert response.context["paginator"].capped == (wanted > 3)


def test_it_finds_the_top_bars_items_through_the_function_in_one_statement(community, items):
    found = plans(lambda: search_items(community, "漏水", limit=4))
    assert len(found) == 1
    assert [i.pk for i in search_items(community, "漏水", limit=4)] == expected(community, "漏水")[:4]


def test_it_never_shows_another_communitys_items(community, other_community, items):
    ours = set(Issue.objects.in_community(community).values_list("pk", flat=True))
    for q in ["漏水", "电动车", "消防通道"]:
        assert set(search_page(community.pk, q, offset=0, limit=100).ids) <= ours
        assert {i.pk for i in search_items(community, q, limit=50)} <= ours


@pytest.mark.parametrize("rows", [5, 50])
def test_it_keeps_the_searched_lists_queries_bounded(staff_client, community, django_assert_max_num_queries, rows):
    IssueFactory.create_batch(rows, community=community, text="楼上漏水")
    with django_assert_max_num_queries(9):
        response = staff_client.get(LIST, {"q": "漏水"})
    assert len(response.context["object_list"]) == min(rows, 30)
