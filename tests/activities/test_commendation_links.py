"""A recorded 锦旗 is found again: on the item it thanks for, on the giver's page and by the
top bar's search, only within its community."""

import pytest
from django.urls import reverse

from tests.factories import CommendationFactory, IssueFactory, ResidentFactory


@pytest.fixture
def issue(community):
    return IssueFactory(community=community, text="5号楼电梯停运三天")


@pytest.fixture
def giver(community):
    return ResidentFactory(community=community, name="李桂兰")


@pytest.fixture
def banner(community, issue, giver):
    return CommendationFactory(
        community=community,
        kind="banner",
        inscription="热心为民 办事高效",
        giver=giver,
        giver_name="李桂兰",
        issue=issue,
    )


def _issue_page(client, issue) -> str:
    return client.get(reverse("issues:issue_detail", args=[issue.pk])).content.decode()


def _resident_page(client, resident) -> str:
    return client.get(reverse("residents:resident_detail", args=[resident.pk])).content.decode()


def test_it_shows_the_banner_on_the_item_it_thanks_for(staff_client, issue, banner):
    content = _issue_page(staff_client, issue)
    assert 'id="issue-commendations"' in content and "热心为民 办事高效" in content and "李桂兰" in content


def test_it_shows_no_commendations_row_on_an_item_without_any(staff_client, issue):
    assert 'id="issue-commendations"' not in _issue_page(staff_client, issue)


def test_it_leaves_another_communitys_commendation_off_the_item(staff_client, issue, other_community):
    CommendationFactory(community=other_community, inscription="别处的锦旗", issue=issue)
    assert "别处的锦旗" not in _issue_page(staff_client, issue)


def test_it_shows_the_banner_on_the_givers_page(staff_client, giver, banner, issue):
    content = _resident_page(staff_client, giver)
    assert 'id="commendations"' in content and "热心为民 办事高效" in content and issue.code in content


def test_it_shows_no_commendations_on_the_page_of_a_resident_who_gave_none(staff_client, giver):
    assert 'id="commendations"' not in _resident_page(staff_client, giver)


def test_it_links_the_banner_to_its_card_on_the_wall_of_honour(staff_client, banner):
    response = staff_client.get(banner.get_absolute_url())
    assert f'id="commendation-{banner.pk}"' in response.content.decode()


@pytest.mark.parametrize("query", ["热心为民", "锦旗", "李桂兰"])
def test_it_finds_the_banner_in_the_top_bar_search(staff_client, banner, query):
    hits = staff_client.get(reverse("search"), {"q": query}).content.decode()
    assert 'id="search-commendation"' in hits and banner.get_absolute_url().replace("&", "&amp;") in hits


def test_it_does_not_find_another_communitys_banner(staff_client, other_community):
    CommendationFactory(community=other_community, inscription="热心为民")
    assert 'id="search-commendation"' not in staff_client.get(reverse("search"), {"q": "热心为民"}).content.decode()


@pytest.mark.parametrize("rows", [5, 50])
def test_it_shows_the_item_with_its_commendations_in_few_queries(
    staff_client, community, issue, giver, django_assert_max_num_queries, rows
):
    for _ in range(rows):
        CommendationFactory(community=community, issue=issue, giver=giver)
    with django_assert_max_num_queries(10):
        assert staff_client.get(reverse("issues:issue_detail", args=[issue.pk])).status_code == 200


@pytest.mark.parametrize("rows", [5, 50])
def test_it_shows_the_resident_with_their_commendations_in_few_queries(
    staff_client, community, issue, giver, django_assert_max_num_queries, rows
):
    for _ in range(rows):
        CommendationFactory(community=community, issue=issue, giver=giver)
    with django_assert_max_num_queries(9):
        assert staff_client.get(reverse("residents:resident_detail", args=[giver.pk])).status_code == 200


def test_it_links_the_banner_by_its_number_not_by_the_givers_name(banner):
    """?q=李桂兰 put a resident's name into the server's logs and the browser's history."""
    url = banner.get_absolute_url()
    assert "李桂兰" not in url and "%E6%9D%8E" not in url and "q=" not in url
    assert f"pk={banner.pk}" in url


def test_it_shows_only_the_linked_banner_with_a_way_to_all(staff_client, community, banner):
    CommendationFactory(community=community, inscription="另一面锦旗")
    content = staff_client.get(banner.get_absolute_url()).content.decode()
    assert f'id="commendation-{banner.pk}"' in content and "另一面锦旗" not in content
    assert 'id="one-commendation"' in content


def test_it_does_not_show_another_communitys_banner_by_its_number(staff_client, other_community):
    theirs = CommendationFactory(community=other_community, inscription="别处的锦旗")
    assert "别处的锦旗" not in staff_client.get(theirs.get_absolute_url()).content.decode()


def test_it_says_when_the_banners_number_in_the_link_is_not_one(staff_client, banner):
    url = reverse("activities:commendation_list")
    content = staff_client.get(url, {"pk": "abc"}).content.decode()
    assert 'id="filter-errors"' in content and "热心为民 办事高效" not in content
