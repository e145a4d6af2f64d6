"""In Chromium: the 12345 list in English on a 1366 px office screen. Its clocks' badges (Response
3 h 58 min left) are twice as long as the Chinese ones (响应 剩余3小时58分钟) and never wrapped: the
table ran wider than its box and scrolled sideways, while the Chinese list fit."""

from datetime import timedelta

import pytest
from django.utils import timezone

from issues.models.choices import IssueStatus
from issues.models.issue import Issue
from tests.conftest import ARTIFACTS
from tests.factories import HotlineCaseFactory

pytestmark = pytest.mark.browser


@pytest.fixture
def busy_month(community, staff):
    """A morning's list: clocks with hours and minutes left and late, days late for a case still
    open from last month, the longest request type and states, a city callback, an owner."""
    staff.first_name = "李晓红"
    staff.save()
    now = timezone.now()
    text = "来电反映楼下餐馆油烟扰民，晚上排风机噪音大，影响休息，希望社区协调处理"
    rows = [
        (timedelta(hours=1), timedelta(hours=3, minutes=58), "help", IssueStatus.PENDING),
        (timedelta(hours=26), -timedelta(hours=21, minutes=4), "report", IssueStatus.WAITING),
        (timedelta(days=40), -timedelta(days=39, hours=23), "report", IssueStatus.IN_PROGRESS),
    ]
    for ago, response_left, request_type, status in rows:
        case = HotlineCaseFactory(community=community, dispatched_at=now - ago, request_type=request_type)
        case.response_deadline = now + response_left
        case.resolution_deadline = now + response_left + timedelta(days=13, hours=23)
        case.save()
        Issue.objects.filter(pk=case.issue_id).update(owner=staff, status=status, text=text)
    case.role, case.city_solved, case.city_satisfaction = "assist", "partly", "basic"
    case.save()


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_the_12345_list_fits_a_1366_screen_in_either_language(page_for, secretary, live_server, busy_month, language):
    page = page_for(secretary, viewport={"width": 1366, "height": 900})
    page.context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])
    page.goto("/issues/hotline/")
    assert page.locator("#hotline-table tbody tr").count() == 3, page.content()
    box = page.locator("#hotline-table").locator("xpath=..")  # the .table-responsive around it
    widths = box.evaluate("box => [box.scrollWidth, box.clientWidth]")
    assert widths[0] <= widths[1], widths
    assert page.evaluate("document.scrollingElement.scrollWidth <= document.scrollingElement.clientWidth")
    table, container = page.locator("#hotline-table").bounding_box(), box.bounding_box()
    assert table["x"] + table["width"] <= container["x"] + container["width"] + 0.5, (table, container)
    page.screenshot(path=str(ARTIFACTS / f"hotline-list-1366-{language}.png"), full_page=True)
