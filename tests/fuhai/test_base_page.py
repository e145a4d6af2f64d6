"""The frame of every page: a skip link as the first Tab stop, labels in the page's language."""

import re

from django.urls import reverse

from residents.models.community import Role
from tests.factories import MembershipFactory

FOCUSABLE = re.compile(r"<(a|button|input|select|textarea)\b[^>]*>")


def first_focusable(page: str) -> str:
    body = page[page.index("<body") :]
    return FOCUSABLE.search(body[body.index(">") + 1 :]).group(0)


def test_it_makes_the_skip_link_the_first_tab_stop_of_a_page(secretary_client):
    """The case page took some twenty Tabs through the menu before the first field."""
    page = secretary_client.get(reverse("home")).content.decode()
    link = first_focusable(page)
    assert 'href="#main-content"' in link and "visually-hidden-focusable" in link, link


def test_it_points_the_skip_link_at_the_main_content(secretary_client):
    page = secretary_client.get(reverse("home")).content.decode()
    assert re.search(r'<main id="main-content"[^>]*tabindex="-1"', page), page


def test_it_offers_the_skip_link_before_logging_in(client):
    page = client.get(reverse("login")).content.decode()
    assert 'href="#main-content"' in first_focusable(page)


def test_it_writes_the_skip_link_in_english(secretary_client):
    secretary_client.cookies["django_language"] = "en"
    page = secretary_client.get(reverse("home")).content.decode()
    assert re.search(r'href="#main-content">Skip to content</a>', page)


def test_the_community_menu_uses_the_chinese_colon_in_chinese(client, secretary, other_community):
    """社区: 福海社区 — an ASCII colon in the middle of Chinese text."""
    MembershipFactory(user=secretary, community=other_community, role=Role.VIEWER)
    client.force_login(secretary)
    page = client.get(reverse("home")).content.decode()
    assert re.search(r'data-bs-toggle="dropdown" aria-expanded="false">社区：', page), page
