"""The 街道 viewer, who reads figures and visits nobody, sees a resident as 王** wherever one is
named outside the residents pages too: an item's reporter and sender, a 12345 caller, an
activity's participants and volunteers, a 锦旗's giver, and the Excel files the viewer may take.
The office (secretary, social workers, grid workers) keeps full names."""

from datetime import datetime, timedelta
from decimal import Decimal
from io import BytesIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse
from openpyxl import load_workbook

from activities import services as activity_services
from issues import services as issue_services
from issues.exports import issues_sheet
from issues.hotline.services import log_case
from tests.factories import ActivityFactory, CommendationFactory, ResidentFactory

NOW = datetime(2026, 12, 4, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))  # a Friday, 9:00


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def wang(community, room):
    return ResidentFactory(community=community, room=room, name="王秀英")


@pytest.fixture
def item(community, secretary, wang):
    """What 王秀英 raised, posted to the WeChat group by her neighbour 李建国."""
    return issue_services.log_issue(
        community=community, by=secretary, now=NOW, text="楼道灯不亮", sender="李建国", reporter=wang
    )


@pytest.fixture
def case(community, secretary):
    """A 12345 case from 赵丽华, who is on no roll."""
    return log_case(
        community=community,
        by=secretary,
        now=NOW,
        case_no="2026120400001",
        dispatched_at=NOW,
        text="楼下餐馆油烟扰民",
        request_type="complaint",
        caller_name="赵丽华",
        caller_phone="13912345678",
    )


@pytest.fixture
def banner(community, room, item):
    """A 锦旗 that 孙美兰, a resident, brought for the item."""
    sun = ResidentFactory(community=community, room=room, name="孙美兰")
    return CommendationFactory(community=community, giver=sun, giver_name="孙美兰", issue=item, inscription="为民解忧")


@pytest.fixture
def activity(community, wang):
    """王秀英 signed up and not yet here; 刘志强 came to help for two hours."""
    activity = ActivityFactory(community=community, starts_at=NOW + timedelta(hours=1))
    activity_services.sign_up(activity, resident=wang, by=None, now=NOW)
    activity_services.record_volunteer(activity, name="刘志强", by=None, now=NOW, hours=Decimal(2))
    return activity


#: Where a resident is named: (the fixture, its page, the full name, as the viewer sees it).
PAGES = {
    "item reporter": ("item", lambda o: reverse("issues:issue_detail", args=[o.pk]), "王秀英", "王**"),
    "item sender": ("item", lambda o: reverse("issues:issue_detail", args=[o.pk]), "李建国", "李**"),
    "item giver": ("banner", lambda o: reverse("issues:issue_detail", args=[o.issue_id]), "孙美兰", "孙**"),
    "item print": ("item", lambda o: reverse("issues:issue_print", args=[o.pk]), "王秀英", "王**"),
    "diary": ("item", lambda o: reverse("issues:issue_diary"), "王秀英", "王**"),
    "12345 case": ("case", lambda o: reverse("issues:hotline_detail", args=[o.pk]), "赵丽华", "赵**"),
    "12345 item": ("case", lambda o: reverse("issues:issue_detail", args=[o.issue_id]), "赵丽华", "赵**"),
    "12345 print": ("case", lambda o: reverse("issues:hotline_print", args=[o.pk]), "赵丽华", "赵**"),
    "activity sign-up": ("activity", lambda o: reverse("activities:activity_detail", args=[o.pk]), "王秀英", "王**"),
    "activity volunteer": ("activity", lambda o: reverse("activities:activity_detail", args=[o.pk]), "刘志强", "刘**"),
    "sign-in desk": ("activity", lambda o: reverse("activities:participation_checkin", args=[o.pk]), "王秀英", "王**"),
    "desk search": (
        "activity",
        lambda o: reverse("activities:participation_search", args=[o.pk]) + "?q=501",
        "王秀英",
        "王**",
    ),
    "volunteer hours": ("activity", lambda o: reverse("activities:volunteer_hours"), "刘志强", "刘**"),
    "wall of honour": ("banner", lambda o: reverse("activities:commendation_list"), "孙美兰", "孙**"),
    "search": ("banner", lambda o: reverse("search") + "?q=为民解忧", "孙美兰", "孙**"),
}


def opened(request, client, place: str) -> str:
    fixture, url, _full, _masked = PAGES[place]
    response = client.get(url(request.getfixturevalue(fixture)))
    assert response.status_code == 200
    return response.content.decode()


def cells(response) -> list:
    assert response.status_code == 200
    workbook = load_workbook(BytesIO(response.content))
    return [cell for sheet in workbook for row in sheet.iter_rows(values_only=True) for cell in row]


@pytest.mark.parametrize("place", PAGES)
def test_the_street_viewer_sees_residents_as_surname_only(request, login, viewer, place):
    _fixture, _url, full, masked = PAGES[place]
    content = opened(request, login(viewer), place)
    assert full not in content and masked in content


def test_the_street_viewer_takes_the_issue_log_with_reporters_as_surnames(login, viewer, item):
    taken = cells(login(viewer).get(reverse("issues:issue_export")))
    assert "王秀英" not in taken and "王**" in taken


@pytest.mark.parametrize("place", PAGES)
def test_the_secretary_sees_residents_full_names(request, login, secretary, place):
    assert PAGES[place][2] in opened(request, login(secretary), place)


@pytest.mark.parametrize("persona", ["staff", "grid_worker"])
def test_social_and_grid_workers_see_residents_full_names(request, login, item, persona):
    content = opened(request, login(request.getfixturevalue(persona)), "item reporter")
    assert "王秀英" in content and "李建国" in content


def test_the_street_viewer_takes_the_volunteer_hours_with_volunteers_as_surnames(login, viewer, activity):
    taken = cells(login(viewer).get(reverse("activities:volunteer_hours_export")))
    assert "刘志强" not in taken and taken.count("刘**") == 2  # per volunteer, and per service


def test_the_secretary_takes_the_volunteer_hours_with_full_names(login, secretary, activity):
    assert cells(login(secretary).get(reverse("activities:volunteer_hours_export"))).count("刘志强") == 2


def test_the_street_viewer_takes_the_12345_month_with_callers_as_surnames(login, viewer, case):
    taken = cells(login(viewer).get(reverse("issues:hotline_export"), {"month": f"{NOW:%Y-%m}"}))
    assert "赵丽华" not in taken and "赵**" in taken


def test_the_secretary_takes_the_12345_month_with_callers_full_names(login, secretary, case):
    assert "赵丽华" in cells(login(secretary).get(reverse("issues:hotline_export"), {"month": f"{NOW:%Y-%m}"}))


def test_the_issue_log_sheet_names_reporters_as_surnames_without_full_names(item):
    (row,) = issues_sheet([item], full_names=False).rows
    assert "王秀英" not in row and "王**" in row


def test_the_issue_log_sheet_names_reporters_in_full_by_default(item):
    (row,) = issues_sheet([item]).rows
    assert "王秀英" in row


def test_the_street_viewer_is_not_shown_whom_to_call_back(login, viewer, item):
    assert login(viewer).get(reverse("issues:issue_callback", args=[item.pk])).status_code == 403
