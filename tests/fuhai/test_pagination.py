"""Page links and exports keep the filters the list was asked for."""

from django.urls import reverse

from tests.factories import IssueFactory

LIST = reverse("issues:issue_list")


def test_it_keeps_the_filters_in_the_next_page_link(secretary_client, community):
    IssueFactory.create_batch(31, community=community, channel="phone")
    content = secretary_client.get(LIST, {"channel": "phone"}).content.decode()
    assert 'href="?channel=phone&amp;page=2"' in content


def test_it_keeps_the_filters_in_the_previous_page_link(secretary_client, community):
    IssueFactory.create_batch(31, community=community, channel="phone")
    content = secretary_client.get(LIST, {"channel": "phone", "page": "2"}).content.decode()
    assert 'href="?channel=phone&amp;page=1"' in content


def test_it_exports_the_filtered_list_whatever_the_page(secretary_client, community):
    IssueFactory.create_batch(31, community=community, channel="phone")
    content = secretary_client.get(LIST, {"channel": "phone", "page": "2"}).content.decode()
    assert f'href="{reverse("issues:issue_export")}?channel=phone"' in content
