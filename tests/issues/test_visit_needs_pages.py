"""A home visit whose needs are logged in the 民情日记 says so, with the item's link, and the
resident's page lists the items they reported (the visit's among them)."""

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from issues import services
from issues.models.issue import Issue
from tests.factories import ResidentFactory

NEW_VISIT = reverse("residents:visit_create")
LOGGED = "Visit to %(names)s recorded, and its needs logged in the 民情日记 as %(code)s."


@pytest.fixture
def resident(community, room):
    return ResidentFactory(community=community, room=room, name="苏桂兰")


def visit_data(resident, user, **extra):
    return {
        "residents": [resident.pk],
        "visited_on": timezone.localdate().isoformat(),
        "method": "home",
        "staff": [user.pk],
        "health": "good",
        "notes": "",
        "needs": "想申请助餐服务",
        "health_note": "",
        "fire_blankets": "0",
        "gifts": "0",
        **extra,
    }


def test_a_visit_whose_needs_are_logged_names_the_item_and_links_it(login, staff, resident):
    client = login(staff)
    response = client.post(
        f"{NEW_VISIT}?resident={resident.pk}", visit_data(resident, staff, log_needs="on"), follow=True
    )
    issue = Issue.objects.get()
    page = response.content.decode()
    assert gettext(LOGGED) % {"names": "苏桂兰", "code": issue.code} in page
    assert f'href="{reverse("issues:issue_detail", args=[issue.pk])}"' in page.split('id="messages"', 1)[1]


def test_a_visit_with_nothing_logged_says_only_the_visit(login, staff, resident):
    response = login(staff).post(f"{NEW_VISIT}?resident={resident.pk}", visit_data(resident, staff), follow=True)
    page = response.content.decode()
    assert gettext("Visit to %(names)s recorded.") % {"names": "苏桂兰"} in page
    assert 'class="alert-link' not in page


def test_the_residents_page_lists_the_items_they_reported(login, staff, resident):
    login(staff).post(f"{NEW_VISIT}?resident={resident.pk}", visit_data(resident, staff, log_needs="on"))
    issue = Issue.objects.get()
    page = login(staff).get(reverse("residents:resident_detail", args=[resident.pk])).content.decode()
    listed = page.split('id="reported-items"', 1)[1].split("</ul>", 1)[0]
    assert issue.code in listed and "想申请助餐服务" in listed


def test_the_residents_page_leaves_another_communitys_items_out(login, staff, resident, other_community, outsider):
    services.log_issue(community=other_community, by=outsider, now=timezone.now(), text="别处的事", reporter=resident)
    page = login(staff).get(reverse("residents:resident_detail", args=[resident.pk])).content.decode()
    assert 'id="reported-items"' not in page


@pytest.mark.parametrize("rows", [5, 50])
def test_it_keeps_the_residents_page_bounded(login, staff, community, resident, rows, django_assert_max_num_queries):
    for n in range(rows):
        services.log_issue(community=community, by=staff, now=timezone.now(), text=f"楼道灯坏了{n}", reporter=resident)
    client = login(staff)
    with django_assert_max_num_queries(11):
        page = client.get(reverse("residents:resident_detail", args=[resident.pk])).content.decode()
    assert page.split('id="reported-items"', 1)[1].split("</ul>", 1)[0].count("<li") == min(rows, 20)


def test_a_visit_nobody_answered_still_names_the_item_its_needs_made(login, staff, resident):
    data = visit_data(resident, staff, log_needs="on", outcome="not_home")
    response = login(staff).post(f"{NEW_VISIT}?resident={resident.pk}", data, follow=True)
    issue = Issue.objects.get()
    messages = response.content.decode().split('id="messages"', 1)[1].split("</div>\n", 1)[0]
    assert gettext("The needs noted are logged in the 民情日记 as %(code)s.") % {"code": issue.code} in messages
    assert f'href="{reverse("issues:issue_detail", args=[issue.pk])}"' in messages
