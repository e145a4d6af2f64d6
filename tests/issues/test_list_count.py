"""The log's list counts its items only up to the cap (count_cap, 1,000): the daily opening of
the 民情日记 must not count a community's whole history. Past the cap it says "1000+", pages on,
and "last" still counts them all."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from issues.models.issue import Issue
from tests.factories import IssueFactory

LIST = reverse("issues:issue_list")


@pytest.fixture
def many(community, other_community):
    """18 items of ours, newest first by receipt, and some next door that must not be counted."""
    now = timezone.now()
    made = [IssueFactory(community=community, received_at=now - timedelta(hours=n)) for n in range(18)]
    IssueFactory.create_batch(5, community=other_community)
    return [item.pk for item in made]


@pytest.fixture
def small_cap(monkeypatch):
    monkeypatch.setattr("issues.views.log.IssueListView.count_cap", 7)
    monkeypatch.setattr("issues.views.log.IssueListView.paginate_by", 5)


def test_it_counts_the_unfiltered_log_only_up_to_the_cap(staff_client, community, many, small_cap):
    staff_client.cookies["django_language"] = "en"
    with CaptureQueriesContext(connection) as queries:
        response = staff_client.get(LIST)
    counts = [q["sql"] for q in queries.captured_queries if "COUNT(" in q["sql"] and "issues_issue" in q["sql"]]
    assert len(counts) == 1 and "LIMIT 8" in counts[0], counts  # reads at most cap + 1 items
    page = response.content.decode()
    assert "7+ items" in page and "Page 1 · more than 7 in all" in page
    assert 'id="count-capped"' not in page  # no advice to narrow a list nobody narrowed
    assert [i.pk for i in response.context["object_list"]] == many[:5]


def test_it_pages_on_past_the_cap_and_shows_each_page_whole(staff_client, many, small_cap):
    for number in (1, 2, 3, 4):
        page = staff_client.get(LIST, {"page": number}).context["page_obj"]
        assert [i.pk for i in page.object_list] == many[(number - 1) * 5 : number * 5]
        assert page.has_next() == (number < 4)


def test_it_counts_them_all_for_the_last_page(staff_client, many, small_cap):
    response = staff_client.get(LIST, {"page": "last"})
    assert response.context["paginator"].count == 18
    assert not response.context["paginator"].capped
    assert [i.pk for i in response.context["object_list"]] == many[15:]


def test_a_page_past_the_last_shows_the_last(staff_client, many, small_cap):
    """?page=999 answered 404 (未找到): a bookmark of page 5 of the open items, a week later when
    fewer are open, or a number edited by hand. The last page, as Django's get_page gives."""
    response = staff_client.get(LIST, {"page": 999})
    assert response.status_code == 200
    page = response.context["page_obj"]
    assert page.number == 4 and not page.has_next() and [i.pk for i in page.object_list] == many[15:]
    assert response.context["paginator"].count == 18  # counted to the page asked for, so exactly


def test_a_page_past_the_last_of_a_filtered_list_shows_its_last(staff_client, community, many, small_cap):
    channel = Issue.objects.get(pk=many[0]).channel
    wanted = [pk for pk in many if Issue.objects.get(pk=pk).channel == channel]
    response = staff_client.get(LIST, {"channel": channel, "page": 50})
    page = response.context["page_obj"]
    assert page.number == (len(wanted) + 4) // 5
    assert [i.pk for i in page.object_list] == wanted[(page.number - 1) * 5 :]


def test_it_advises_narrowing_a_filtered_list_past_the_cap(staff_client, community, many, small_cap):
    staff_client.cookies["django_language"] = "en"
    channel = Issue.objects.get(pk=many[0]).channel
    wanted = Issue.objects.in_community(community).filter(channel=channel).count()
    assert wanted > 7
    page = staff_client.get(LIST, {"channel": channel}).content.decode()
    assert "7+ items" in page and 'id="count-capped"' in page


def test_it_counts_exactly_below_the_cap(staff_client, many):
    staff_client.cookies["django_language"] = "en"
    response = staff_client.get(LIST)
    assert response.context["paginator"].count == 18 and not response.context["paginator"].capped
    assert "18 items" in response.content.decode()
