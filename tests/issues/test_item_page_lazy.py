"""The item's page renders neither its step forms nor its similar items: each step's form is
fetched when its button is opened (or opened as a page without JavaScript), and the similar
items are loaded after the page. Both scoped to the community like the page."""

import re

import pytest
from django.urls import reverse

from issues.models.choices import IssueStatus
from issues.views.item import ISSUE_STEPS
from tests.factories import IssueFactory


@pytest.fixture
def issue(community, log):
    return log("5号楼楼道堆放杂物，堵了消防通道")


def test_it_renders_no_step_form_in_the_item_page(secretary_client, issue):
    response = secretary_client.get(reverse("issues:issue_detail", args=[issue.pk]))
    body = response.content.decode()
    settle = reverse("issues:issue_settle", args=[issue.pk])
    assert f'href="{settle}" hx-get="{settle}" hx-target="#action-panel"' in body
    assert 'id="panel-settle"' not in body
    assert not any(step.prefix in response.context for step in ISSUE_STEPS.values())


@pytest.mark.parametrize("name", ISSUE_STEPS)
def test_it_fetches_a_steps_form_when_its_button_is_opened(secretary_client, issue, name):
    url = reverse(f"issues:issue_{name}", args=[issue.pk])
    response = secretary_client.get(url, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert response.status_code == 200
    assert f'<form method="post" action="{url}" class="mt-3" id="panel-{name}">' in body
    assert "<html" not in body and "autofocus" in body
    assert isinstance(response.context["step_form"], ISSUE_STEPS[name].form_class)


def test_it_opens_a_steps_form_as_a_page_without_javascript(secretary_client, issue):
    url = reverse("issues:issue_resolve", args=[issue.pk])
    body = secretary_client.get(url).content.decode()
    assert "<html" in body and f'action="{url}"' in body and issue.code in body


def test_it_gives_404_for_a_step_form_of_another_communitys_item(client, outsider, issue):
    client.force_login(outsider)
    assert client.get(reverse("issues:issue_settle", args=[issue.pk]), HTTP_HX_REQUEST="true").status_code == 404


def test_it_shows_a_read_only_viewer_no_step_form(client, viewer, issue):
    client.force_login(viewer)
    assert client.get(reverse("issues:issue_settle", args=[issue.pk])).status_code == 403


def test_it_keeps_a_refused_steps_form_in_the_page_with_what_was_typed(secretary_client, issue):
    response = secretary_client.post(reverse("issues:issue_resolve", args=[issue.pk]), {"note": "已清理一半"})
    body = response.content.decode()
    assert response.status_code == 400
    assert 'id="panel-resolve"' in body and "已清理一半" in body


def test_it_loads_similar_items_after_the_page(secretary_client, issue, log):
    other = log("3号楼楼道堆放杂物")
    page = secretary_client.get(reverse("issues:issue_detail", args=[issue.pk]))
    url = reverse("issues:issue_similar", args=[issue.pk])
    assert f'hx-get="{url}" hx-trigger="load"' in page.content.decode()
    assert "similar" not in page.context
    fragment = secretary_client.get(url, HTTP_HX_REQUEST="true")
    assert fragment.context["similar"] == [other]
    assert other.code in fragment.content.decode() and "<html" not in fragment.content.decode()


def test_it_opens_similar_items_as_a_page_without_javascript(secretary_client, issue, log):
    other = log("3号楼楼道堆放杂物")
    body = secretary_client.get(reverse("issues:issue_similar", args=[issue.pk])).content.decode()
    assert "<html" in body and other.code in body


def test_it_gives_404_for_similar_items_of_another_communitys_item(client, outsider, issue):
    client.force_login(outsider)
    assert client.get(reverse("issues:issue_similar", args=[issue.pk]), HTTP_HX_REQUEST="true").status_code == 404


def test_it_looks_for_no_similar_items_of_a_closed_item(secretary_client, community):
    closed = IssueFactory(community=community, status=IssueStatus.CLOSED, text="楼道堆放杂物")
    IssueFactory(community=community, text="楼道堆放杂物")
    page = secretary_client.get(reverse("issues:issue_detail", args=[closed.pk])).content.decode()
    assert reverse("issues:issue_similar", args=[closed.pk]) not in page
    fragment = secretary_client.get(reverse("issues:issue_similar", args=[closed.pk]), HTTP_HX_REQUEST="true")
    assert fragment.context["similar"] == []


@pytest.mark.parametrize("rows", [5, 50])
def test_it_keeps_the_similar_and_step_form_queries_bounded(
    secretary_client, community, issue, django_assert_max_num_queries, rows
):
    IssueFactory.create_batch(rows, community=community, text="楼道堆放杂物")
    with django_assert_max_num_queries(6):
        secretary_client.get(reverse("issues:issue_similar", args=[issue.pk]), HTTP_HX_REQUEST="true")
    with django_assert_max_num_queries(7):
        secretary_client.get(reverse("issues:issue_settle", args=[issue.pk]), HTTP_HX_REQUEST="true")


@pytest.mark.parametrize("name", ISSUE_STEPS)
def test_each_steps_button_speaks_chinese(secretary_client, issue, name):
    """Four buttons were English: their words were marked with an alias (_lazy) that
    makemessages does not read, so the catalogue never had them."""
    body = secretary_client.get(reverse(f"issues:issue_{name}", args=[issue.pk]), HTTP_HX_REQUEST="true").content
    button = re.search(r'<button class="btn [^"]*" type="submit">([^<]*)</button>', body.decode()).group(1)
    assert button and not re.search(r"[A-Za-z]", button), button
