"""A 街道 viewer of two communities reads the second one's report: its links to items are
scoped to the current community, so they go through the community switch and open the item;
the switch itself still refuses a community the user is no member of."""

import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from fuhai.reports.compose import missed_rows
from issues.hotline.models import HotlineCase
from residents.models.community import Role
from residents.scoping import SESSION_KEY
from tests.factories import ActivityFactory, CommunityFactory, IssueFactory, MembershipFactory

TZ = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 12, 2, 9, 0, tzinfo=TZ)
NOVEMBER = {"month": "2026-11"}


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def street(db):
    """street1: a viewer of 福海东里 (the session's community) and 福海佳园."""
    first = CommunityFactory(name="福海东里")
    second = CommunityFactory(name="福海佳园")
    user = MembershipFactory(community=first, role=Role.VIEWER, user__username="street1").user
    MembershipFactory(community=second, role=Role.VIEWER, user=user)
    return user, first, second


@pytest.fixture
def street_client(client, street):
    client.force_login(street[0])
    session = client.session
    session[SESSION_KEY] = street[1].pk
    session.save()
    return client


def switch_form(page: str) -> str:
    """The action of the page's community switch form."""
    match = re.search(r'<form id="report-switch" method="post" action="([^"]+)"', page)
    assert match, "no community switch on the page"
    return match.group(1)


def test_it_opens_an_item_of_the_other_communitys_report(street_client, street):
    issue = IssueFactory(community=street[2], received_at=datetime(2026, 11, 10, 9, tzinfo=TZ))
    rows_url = reverse("reports:report_issue_rows", args=["received"])
    page = street_client.get(rows_url, NOVEMBER | {"community": street[2].pk}).content.decode()
    detail = reverse("issues:issue_detail", args=[issue.pk])
    assert f'form="report-switch" name="next" value="{detail}"' in page
    response = street_client.post(switch_form(page), {"next": detail}, follow=True)
    assert response.redirect_chain[-1][0] == detail
    assert response.status_code == 200
    assert issue.code in response.content.decode()


def test_it_opens_a_missed_12345_case_of_the_other_communitys_report(street_client, street):
    issue = IssueFactory(community=street[2], received_at=datetime(2026, 11, 3, 9, tzinfo=TZ))
    case = HotlineCase.objects.create(
        issue=issue,
        community=street[2],
        case_no="BJ002",
        request_type="complaint",
        dispatched_at=datetime(2026, 11, 3, 9, tzinfo=TZ),
        response_deadline=datetime(2026, 11, 4, 9, tzinfo=TZ),
        resolution_deadline=datetime(2026, 11, 10, 9, tzinfo=TZ),
    )
    page = street_client.get(reverse("reports:report"), NOVEMBER | {"community": street[2].pk}).content.decode()
    detail = reverse("issues:hotline_detail", args=[case.pk])
    assert f'form="report-switch" name="next" value="{detail}"' in page
    response = street_client.post(switch_form(page), {"next": detail}, follow=True)
    assert response.status_code == 200
    assert "BJ002" in response.content.decode()


def test_it_opens_an_activity_of_the_other_communitys_report(street_client, street):
    activity = ActivityFactory(community=street[2], starts_at=datetime(2026, 11, 10, 9, tzinfo=TZ))
    url = reverse("reports:report_activity_rows")
    page = street_client.get(url, NOVEMBER | {"community": street[2].pk}).content.decode()
    detail = reverse("activities:activity_detail", args=[activity.pk])
    assert f'form="report-switch" name="next" value="{detail}"' in page
    assert street_client.post(switch_form(page), {"next": detail}, follow=True).status_code == 200


def test_it_links_items_plainly_in_the_current_communitys_report(street_client, street):
    issue = IssueFactory(community=street[1], received_at=datetime(2026, 11, 10, 9, tzinfo=TZ))
    rows_url = reverse("reports:report_issue_rows", args=["received"])
    page = street_client.get(rows_url, NOVEMBER | {"community": street[1].pk}).content.decode()
    assert f'<a href="{reverse("issues:issue_detail", args=[issue.pk])}">' in page
    assert 'id="report-switch"' not in page


def test_it_still_hides_an_item_of_a_community_the_user_is_not_in(street_client, street):
    stranger = IssueFactory(community=CommunityFactory(name="别的社区"))
    response = street_client.post(
        reverse("community_switch", args=[stranger.community_id]),
        {"next": reverse("issues:issue_detail", args=[stranger.pk])},
    )
    assert response.status_code == 404
    assert street_client.get(reverse("issues:issue_detail", args=[stranger.pk])).status_code == 404


def test_it_writes_missed_cases_as_switch_buttons_when_asked(community):
    case = HotlineCase(
        pk=7,
        community=community,
        case_no="BJ<7>",
        dispatched_at=NOW,
        response_deadline=NOW,
        resolution_deadline=NOW,
    )
    row = missed_rows([{"case": case, "late_response": True, "late_reply": False}], switch=True)
    assert f'form="report-switch" name="next" value="{reverse("issues:hotline_detail", args=[7])}"' in row
    assert "BJ&lt;7&gt;" in row
