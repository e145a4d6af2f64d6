"""Morning-meeting tasks linked to today's due visits: shown masked (surname and room), only
this community's visits, and the visit recorded from the task."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from issues import services
from issues.models.task import BoardToken, Task, TaskEvent
from residents.models.care import Visit
from tests.factories import ResidentFactory, SpecialStatusFactory, TaskFactory

MONDAY = datetime(2026, 11, 30, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(MONDAY, tick=False):
        yield


@pytest.fixture
def due(community, room):
    """王秀兰 of 3号楼2单元501, due for a visit today (never visited)."""
    resident = ResidentFactory(community=community, room=room, name="王秀兰", phone="13812345678")
    return SpecialStatusFactory(resident=resident)


@pytest.fixture
def foreign_due(other_community):
    return SpecialStatusFactory(resident=ResidentFactory(community=other_community, name="赵大妈"))


def add(client, **data):
    return client.post(reverse("board_task_add"), data, HTTP_HX_REQUEST="true")


def test_it_lists_todays_due_visits_masked_in_the_task_form(secretary_client, due):
    page = secretary_client.get(reverse("board")).text
    assert f'name="visits" value="{due.pk}"' in page
    assert "王** 3-2-501" in page
    assert "王秀兰" not in page and "13812345678" not in page


def test_it_links_a_due_visit_when_a_task_is_added(secretary_client, due):
    response = add(secretary_client, text="入户走访 带灭火毯", visits=[due.pk])
    assert response.status_code == 200
    task = Task.objects.get()
    assert list(task.visits.all()) == [due]
    assert "王** 3-2-501" in response.text and "王秀兰" not in response.text


def test_it_refuses_another_communitys_visit_with_a_message(secretary_client, due, foreign_due):
    response = add(secretary_client, text="入户走访", visits=[due.pk, foreign_due.pk])
    assert response.status_code == 200
    assert "该走访不在本社区的待走访名单上" in response.text
    assert not Task.objects.exists()
    assert "赵" not in response.text


def test_it_refuses_a_junk_visit_id_without_a_500(secretary_client):
    response = secretary_client.post(reverse("board_task_add"), {"text": "入户走访", "visits": ["x' OR 1=1"]})
    assert response.status_code == 400
    assert 'value="入户走访"' in response.text
    assert not Task.objects.exists()


def test_it_shows_linked_visits_masked_on_the_board_and_the_print_sheet(community, secretary, secretary_client, due):
    task = TaskFactory(community=community, assignee=secretary, title="入户走访")
    task.visits.add(due)
    board, sheet = secretary_client.get(reverse("board")).text.split('class="print-sheet"')
    assert "王** 3-2-501" in board.split('class="lane lane-visits"')[0]
    assert "王** 3-2-501" in sheet
    assert "王秀兰" not in board + sheet and "13812345678" not in board + sheet


@pytest.mark.parametrize("name", ["board_tv", "board_tv_refresh"])
def test_it_shows_a_linked_visit_by_building_only_through_the_screen_link(community, secretary, client, due, name):
    """ "王** 3-2-401" on a task's card, on a page anyone with the link opens without logging in,
    said who lives behind which door; the building says where the task goes."""
    task = TaskFactory(community=community, assignee=secretary, title="入户走访")
    task.visits.add(due)
    _row, token = BoardToken.create_link(community=community, label="电视", by=secretary, now=MONDAY)
    page = client.get(reverse(name, args=[token])).text
    assert '<span class="tag tag-visit">3号楼</span>' in page
    assert "王**" not in page and "3-2-501" not in page and "2单元501" not in page
    assert "王秀兰" not in page and "13812345678" not in page
    # The screen has no link to the resident's record.
    assert "visits/new/" not in page


def test_it_links_the_task_to_recording_the_visit_and_back(secretary_client, community, secretary, due):
    task = TaskFactory(community=community, assignee=secretary, title="入户走访")
    task.visits.add(due)
    page = secretary_client.get(reverse("board")).text
    url = f"{reverse('residents:visit_create')}?resident={due.resident_id}&amp;from=board"
    assert url in page
    response = secretary_client.post(
        url.replace("&amp;", "&"),
        {
            "residents": [due.resident_id],
            "staff": [secretary.pk],
            "visited_on": "2026-11-30",
            "method": "home",
            "fire_blankets": "0",
            "gifts": "0",
        },
    )
    assert response.status_code == 302 and response["Location"] == reverse("board")
    assert Visit.objects.filter(residents=due.resident).exists()
    assert "已走访" not in page and "已走访" in secretary_client.get(reverse("board")).text


def test_back_on_the_board_the_visit_is_confirmed_once_and_masked(secretary_client, secretary, due):
    """The shared screen said 已登记对王秀兰的走访。 twice: base.html's copy over the title, the
    board's under it, with the full name that the board's chips mask."""
    url = f"{reverse('residents:visit_create')}?resident={due.resident_id}&from=board"
    data = {"residents": [due.resident_id], "staff": [secretary.pk], "visited_on": "2026-11-30", "method": "home"}
    board = secretary_client.post(url, data | {"fire_blankets": "0", "gifts": "0"}, follow=True).text
    assert (board.count("已登记对王**的走访。"), "王秀兰" in board) == (1, False)
    assert board.count('id="messages"') <= 1


def test_it_edits_a_tasks_visits_through_link_visits(secretary_client, community, secretary, due):
    task = TaskFactory(community=community, assignee=secretary, title="入户走访")
    form = secretary_client.get(reverse("board_task_visits", args=[task.pk]))
    assert form.status_code == 200 and "王** 3-2-501" in form.text
    response = secretary_client.post(
        reverse("board_task_visits", args=[task.pk]), {"visits": [due.pk]}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    task.refresh_from_db()
    assert list(task.visits.all()) == [due] and task.version == 2
    assert TaskEvent.objects.get(task=task).note == "走访：王** 3-2-501"


def test_the_tasks_visit_menu_gives_each_visits_due_date(secretary_client, community, secretary, due):
    visited = SpecialStatusFactory(
        resident=ResidentFactory(community=community, name="李桂兰"),
        category="aged80",
        last_visited_on=date(2026, 11, 20),
    )
    task = TaskFactory(community=community, assignee=secretary, title="入户走访")
    menu = secretary_client.get(reverse("board_task_visits", args=[task.pk]), HTTP_ACCEPT_LANGUAGE="en-US").text
    rows = {label.split("</label>")[0] for label in menu.split("<label")[1:]}
    assert "due Nov. 27" in _row_of(rows, visited.pk) and "Never visited" in _row_of(rows, due.pk)


def test_the_tasks_visit_menu_names_no_category(secretary_client, community, secretary, due):
    """Never on the shared board, not even 独居 or 高龄: beside a room number on the meeting
    room's screen it says who lives alone where; health, disability and 低保 are sensitive."""
    status = SpecialStatusFactory(resident=ResidentFactory(community=community, name="赵大妈"), category="dibao")
    task = TaskFactory(community=community, assignee=secretary, title="入户走访")
    menu = secretary_client.get(reverse("board_task_visits", args=[task.pk]), HTTP_ACCEPT_LANGUAGE="en-US").text
    assert f'value="{status.pk}"' in menu and "赵**" in menu
    assert "allowance" not in menu and "低保" not in menu
    assert f'value="{due.pk}"' in menu and "Living alone" not in menu


def _row_of(rows: set[str], pk: int) -> str:
    return next(row for row in rows if f'value="{pk}"' in row)


def test_it_refuses_to_link_another_communitys_visit_to_a_task(secretary_client, community, secretary, foreign_due):
    task = TaskFactory(community=community, assignee=secretary, title="入户走访")
    response = secretary_client.post(
        reverse("board_task_visits", args=[task.pk]), {"visits": [foreign_due.pk]}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200 and "该走访不在本社区的待走访名单上" in response.text
    assert not task.visits.exists()
    with pytest.raises(ValueError):
        task.link_visits(by=secretary, now=MONDAY, visits=[foreign_due])


def test_an_outsider_cannot_edit_our_tasks_visits(login, outsider, community, due):
    task = TaskFactory(community=community, title="入户走访")
    assert login(outsider).post(reverse("board_task_visits", args=[task.pk]), {"visits": []}).status_code == 404


def test_it_carries_over_only_the_visits_not_yet_made(community, secretary, due, room):
    other = SpecialStatusFactory(resident=ResidentFactory(community=community, room=room, name="李桂芝"))
    yesterday = MONDAY.date().replace(day=29)
    task = services.add_task(
        community=community, by=secretary, now=MONDAY, title="入户走访", day=yesterday, visits=[due, other]
    )
    other.last_visited_on = yesterday
    other.save()
    services.carry_over_tasks(community=community, now=MONDAY)
    assert list(task.carried_to.visits.all()) == [due]
