"""投屏模式: the secretary, logged in, opens /board/ on the meeting room's screen. Turned on, the
board reads as the screen link does (buildings only, no names, no door numbers); 退出投屏 brings
the working board back. It is kept in the session, so the refreshes and the changes keep it."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from issues.models.task import Task
from tests.factories import IssueFactory, ResidentFactory, RoomFactory, SpecialStatusFactory, TaskFactory

MONDAY = datetime(2026, 11, 30, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))

#: What the working board shows of the morning below and the screen must not.
PERSONAL = ["王秀兰", "王**", "3-2-501", "2单元501", "9号楼1单元1201", "1201", "13812345678", "110101195001011234"]
#: The toggle's two buttons (投屏模式, 退出投屏), by what they post.
ON, OFF = 'name="screen" value="on"', 'name="screen" value="off"'


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(MONDAY, tick=False):
        yield


@pytest.fixture
def morning(community, secretary, room):
    """王秀兰 of 3号楼2单元501, due for a visit and linked to a task; an item of 9号楼1单元1201
    whose text gives a phone and an ID number."""
    resident = ResidentFactory(community=community, room=room, name="王秀兰", phone="13812345678")
    due = SpecialStatusFactory(resident=resident, responsible=secretary)
    task = TaskFactory(community=community, assignee=secretary, title="入户走访")
    task.visits.add(due)
    place = RoomFactory(
        unit__building__community=community, unit__building__number="9", unit__number="1", room_no="1201"
    )
    IssueFactory(
        community=community,
        room=place,
        building=place.unit.building,
        text="家中老人独居，暖气不热，电话13812345678，身份证110101195001011234",
        received_at=MONDAY - timedelta(hours=1),
    )
    return task


def screen_on(client):
    return client.post(reverse("board_screen"), {"screen": "on"})


def screen_off(client):
    return client.post(reverse("board_screen"), {"screen": "off"})


def shown(text: str, words: list[str]) -> list[str]:
    return [word for word in words if word in text]


def test_it_shows_names_and_rooms_on_the_working_board(secretary_client, morning):
    text = secretary_client.get(reverse("board")).text
    assert shown(text, ["王**", "3-2-501", "9号楼1单元1201"]) == ["王**", "3-2-501", "9号楼1单元1201"]
    assert ON in text and OFF not in text


def test_it_shows_no_name_or_room_in_screen_mode(secretary_client, morning):
    assert screen_on(secretary_client)["Location"] == reverse("board") + "?screen=1"
    text = secretary_client.get(reverse("board")).text
    assert shown(text, PERSONAL) == []
    assert '<span class="tag tag-visit">3号楼</span>' in text and '<span class="where">9号楼</span>' in text
    assert "138****5678" in text and "家中老人独居" in text and "入户走访" in text
    assert "board-public" in text and OFF in text and ON not in text


def test_it_keeps_screen_mode_in_the_timed_refresh(secretary_client, morning):
    screen_on(secretary_client)
    response = secretary_client.get(reverse("board_refresh") + "?screen=1", HTTP_HX_REQUEST="true")
    assert shown(response.text, PERSONAL) == [] and "入户走访" in response.text
    assert "HX-Refresh" not in response


def test_it_draws_the_whole_page_again_when_screen_mode_was_turned_on_in_another_tab(secretary_client, morning):
    """A page drawn for work has the quick entry's menu of due visits in its header, which the
    refresh of the board's body alone would leave on the screen."""
    screen_on(secretary_client)
    response = secretary_client.get(reverse("board_refresh"), HTTP_HX_REQUEST="true")
    assert response["HX-Refresh"] == "true" and shown(response.text, PERSONAL) == []


def test_it_keeps_a_screen_masked_when_screen_mode_is_left_in_another_tab(secretary_client, morning):
    screen_on(secretary_client)
    screen_off(secretary_client)
    response = secretary_client.get(reverse("board_refresh") + "?screen=1", HTTP_HX_REQUEST="true")
    assert shown(response.text, PERSONAL) == []


def test_it_keeps_screen_mode_after_a_task_is_given_out(secretary_client, morning):
    screen_on(secretary_client)
    response = secretary_client.post(reverse("board_task_add"), {"text": "布置展板"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and Task.objects.filter(title="布置展板").exists()
    assert "布置展板" in response.text and shown(response.text, PERSONAL) == []


def test_it_keeps_screen_mode_after_a_task_is_moved(secretary_client, morning):
    screen_on(secretary_client)
    response = secretary_client.post(
        reverse("board_task_move", args=[morning.pk]), {"status": "doing"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200 and shown(response.text, PERSONAL) == []


def test_it_keeps_editing_but_no_menu_of_visits_in_screen_mode(secretary_client, morning):
    screen_on(secretary_client)
    text = secretary_client.get(reverse("board")).text
    assert 'id="task-text"' in text and "data-move" in text
    assert 'name="visits"' not in text and "task-visits-edit" not in text


def test_it_links_to_no_record_in_screen_mode(secretary_client, morning):
    screen_on(secretary_client)
    text = secretary_client.get(reverse("board")).text
    assert "visits/new/" not in text and reverse("board_links") not in text and 'href="/issues/' not in text


def test_it_brings_the_working_board_back_when_screen_mode_is_left(secretary_client, morning):
    screen_on(secretary_client)
    assert screen_off(secretary_client)["Location"] == reverse("board")
    text = secretary_client.get(reverse("board")).text
    assert "王**" in text and "9号楼1单元1201" in text and OFF not in text


def test_it_keeps_screen_mode_on_the_mid_week_summary_and_back(secretary_client, morning):
    screen_on(secretary_client)
    text = secretary_client.get(reverse("board_summary")).text
    assert "board-public" in text and f'href="{reverse("board")}?screen=1"' in text


def test_it_shows_the_outsider_only_their_own_board_in_screen_mode(login, outsider, other_community, morning):
    TaskFactory(community=other_community, assignee=outsider, title="别的社区的任务")
    client = login(outsider)
    screen_on(client)
    text = client.get(reverse("board")).text
    assert "别的社区的任务" in text and "入户走访" not in text and "家中老人独居" not in text


def test_it_turns_screen_mode_on_only_by_a_post(secretary_client):
    assert secretary_client.get(reverse("board_screen")).status_code == 405
    assert OFF not in secretary_client.get(reverse("board")).text


def test_it_sends_a_visitor_without_login_from_screen_mode_to_the_login_page(client):
    assert reverse("login") in screen_on(client)["Location"]
