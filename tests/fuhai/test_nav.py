"""The main menu marks the section of the page being shown, read from the page's URL."""

import re

import pytest
from django.urls import reverse

from tests.factories import ActivityFactory, IssueFactory, ResidentFactory

ACTIVE_ITEM = re.compile(r'<a class="nav-link active" href="([^"]*)" aria-current="page">')
SECTION = {
    "issues": "issues:issue_list",
    "patrol": "issues:patrol_start",
    "residents": "residents:resident_list",
    "activities": "activities:activity_list",
}
PAGES = [
    ("home", None, None),
    ("board_summary", None, None),
    ("board_links", None, None),
    ("password_change", None, None),
    ("issues:issue_list", None, "issues"),
    ("issues:issue_create", None, "issues"),
    ("issues:issue_detail", "issue", "issues"),
    ("issues:issue_edit", "issue", "issues"),
    ("issues:issue_diary", None, "issues"),
    ("issues:partner_list", None, "issues"),
    ("issues:template_list", None, "issues"),
    ("issues:category_list", None, "issues"),
    ("issues:notification_list", None, "issues"),
    ("issues:reminder_settings", None, "issues"),
    ("issues:hotline_list", None, "issues"),
    ("issues:hotline_rates", None, "issues"),
    ("issues:patrol_start", None, "patrol"),
    ("issues:patrol_route", None, "patrol"),
    ("issues:wechat_paste", None, "issues"),
    ("residents:resident_list", None, "residents"),
    ("residents:resident_detail", "resident", "residents"),
    ("residents:specialstatus_list", None, "residents"),
    ("residents:accesslog_list", None, "residents"),
    ("residents:visit_plan", None, "residents"),
    ("residents:visit_create", None, "residents"),
    ("residents:supply_list", None, "residents"),
    ("residents:resident_import", None, "residents"),
    ("activities:activity_list", None, "activities"),
    ("activities:activity_create", None, "activities"),
    ("activities:activity_detail", "activity", "activities"),
    ("activities:activity_calendar", None, "activities"),
    ("activities:participation_checkin", "activity", "activities"),
    ("activities:volunteer_hours", None, "activities"),
    ("activities:commendation_list", None, "activities"),
    ("activities:notice_list", None, "activities"),
]


@pytest.fixture
def objects(community):
    return {
        "issue": IssueFactory(community=community),
        "resident": ResidentFactory(community=community),
        "activity": ActivityFactory(community=community),
    }


@pytest.mark.parametrize(("url_name", "kind", "section"), PAGES)
def test_it_marks_the_section_of_the_page_in_the_menu(secretary_client, objects, url_name, kind, section):
    url = reverse(url_name, args=[objects[kind].pk] if kind else [])
    response = secretary_client.get(url)
    assert response.status_code == 200
    expected = [reverse(SECTION[section])] if section else []
    assert ACTIVE_ITEM.findall(response.content.decode()) == expected


def test_it_shows_no_menu_on_the_morning_board(secretary_client):
    assert 'id="mainnav"' not in secretary_client.get(reverse("board")).content.decode()


@pytest.mark.parametrize("page", ["issues:issue_list", "issues:issue_diary", "issues:hotline_list"])
def test_it_offers_logging_only_to_the_roles_that_may_log(login, staff, viewer, page):
    """street1 (read-only) was offered 新登记, 快速登记 and 微信群批量登记, each ending on 无权操作."""
    links = (reverse("issues:issue_create"), reverse("issues:wechat_paste"))
    as_viewer = login(viewer).get(reverse(page)).text
    assert not [link for link in links if f'href="{link}"' in as_viewer]
    as_staff = login(staff).get(reverse(page)).text
    assert all(f'href="{link}"' in as_staff for link in links)


MENU_LINK = re.compile(r'<li class="nav-item"><a class="nav-link(?: active)?" href="([^"]*)"')


@pytest.mark.parametrize("role", ["secretary", "staff", "grid_worker"])
def test_it_puts_patrol_in_the_menu_after_the_issue_log_for_those_who_walk(login, request, role):
    """Grid workers and staff patrol on a phone every day: 巡查 was two taps away, inside 民情日记."""
    page = login(request.getfixturevalue(role)).get(reverse("issues:issue_list")).text
    menu = page[page.index('id="mainnav"') : page.index("top-search")]
    links = MENU_LINK.findall(menu)
    assert links[:2] == [reverse("issues:issue_list"), reverse("issues:patrol_start")]


def test_it_leaves_patrol_out_of_the_menu_of_the_read_only_viewer(login, viewer):
    page = login(viewer).get(reverse("issues:issue_list")).text
    menu = page[page.index('id="mainnav"') : page.index("top-search")]
    assert reverse("issues:patrol_start") not in MENU_LINK.findall(menu)
