"""The morning-meeting board: staff edit it, the screen link only reads it."""

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse
from django.utils.translation import gettext

from fuhai.board.compose import board_context
from issues.models.choices import IssueStatus
from issues.models.issue import Issue
from issues.models.task import BoardToken, Task, TaskEvent, TaskStatus
from residents.selectors import display_name
from tests.factories import (
    ActivityFactory,
    BuildingFactory,
    CommendationFactory,
    IssueFactory,
    ResidentFactory,
    RoomFactory,
    SpecialStatusFactory,
    TaskFactory,
    UnitFactory,
)

WEDNESDAY = datetime(2026, 12, 2, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
MONDAY = WEDNESDAY - timedelta(days=2)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(MONDAY, tick=False):
        yield


@pytest.fixture
def task(community, staff):
    return TaskFactory(community=community, assignee=staff, title="入户走访3号楼王奶奶")


@pytest.fixture
def link(community, secretary):
    return BoardToken.create_link(community=community, label="会议室电视", by=secretary, now=MONDAY)


def move(client, task, **data):
    return client.post(reverse("board_task_move", args=[task.pk]), data, HTTP_HX_REQUEST="true")


def assert_unchanged(task):
    """The task is as the fixture made it: still to do, with its assignee, version 1 and no events."""
    task.refresh_from_db()
    assert (task.status, task.assignee.username, task.version) == (TaskStatus.TODO, "staff1", 1)
    assert not TaskEvent.objects.filter(task=task).exists()


# --- access -------------------------------------------------------------------------------


def test_it_shows_staff_a_column_each(login, secretary, staff, task):
    staff.first_name = "李晓红"
    staff.save()
    response = login(secretary).get(reverse("board"))
    assert response.status_code == 200
    assert "李晓红" in response.text and "入户走访3号楼王奶奶" in response.text


def test_it_sends_a_visitor_without_login_to_the_login_page(client):
    assert reverse("login") in client.get(reverse("board"))["Location"]


def test_it_shows_the_outsider_their_own_board_only(login, outsider, task, other_community):
    TaskFactory(community=other_community, assignee=outsider, title="别的社区的任务")
    response = login(outsider).get(reverse("board"))
    assert response.status_code == 200 and "别的社区的任务" in response.text
    assert "入户走访3号楼王奶奶" not in response.text


def test_it_answers_404_when_the_outsider_moves_our_task(login, outsider, task):
    assert move(login(outsider), task, status="done").status_code == 404
    assert_unchanged(task)


def test_it_refuses_a_move_by_a_read_only_viewer(login, viewer, task):
    assert move(login(viewer), task, status="done").status_code == 403
    assert_unchanged(task)


def test_it_shows_the_viewer_the_board_without_editing(login, viewer, task):
    response = login(viewer).get(reverse("board"))
    assert response.status_code == 200 and "data-move" not in response.text
    assert "入户走访3号楼王奶奶" in response.text


# --- tasks --------------------------------------------------------------------------------


def test_it_gives_out_a_task_from_one_line(login, secretary, staff, community):
    staff.first_name = "李晓红"
    staff.save()
    issue = IssueFactory(community=community, code="MQ20261130-003")
    login(secretary).post(reverse("board_task_add"), {"text": "@李晓红 入户走访3号楼王奶奶 mq20261130-003"})
    task = Task.objects.get()
    assert (task.title, task.assignee, task.issue, task.day) == ("入户走访3号楼王奶奶", staff, issue, MONDAY.date())


def test_it_takes_a_second_name_as_a_helper(login, secretary, staff, grid_worker):
    login(secretary).post(reverse("board_task_add"), {"text": "@staff1 @grid1 送灭火毯"})
    task = Task.objects.get()
    assert (task.assignee, list(task.helpers.all())) == (staff, [grid_worker])


def test_it_keeps_what_was_typed_for_an_unknown_name(login, secretary):
    response = login(secretary).post(reverse("board_task_add"), {"text": "@王小明 送灭火毯"})
    assert response.status_code == 400
    assert "王小明" in response.text and 'value="@王小明 送灭火毯"' in response.text
    assert not Task.objects.exists()


def test_it_names_an_unknown_item_number(login, secretary):
    response = login(secretary).post(reverse("board_task_add"), {"text": "回访 MQ20261130-999"}, HTTP_HX_REQUEST="true")
    assert "MQ20261130-999" in response.text and not Task.objects.exists()


@pytest.mark.parametrize("htmx", [True, False])
def test_the_boards_word_after_a_task_masks_a_phone_typed_in_it(login, secretary, staff, htmx):
    """The card was masked, the notice under the entry line was not (found by a tester)."""
    client = login(secretary)
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    response = client.post(reverse("board_task_add"), {"text": "@staff1 检查消防通道 电话13800138000"}, **headers)
    page = response.text if htmx else client.get(reverse("board")).text
    assert "138****8000" in page and "13800138000" not in page
    assert Task.objects.get().title.endswith("13800138000")  # stored as typed, for the staff who call


def test_it_refuses_an_empty_task(login, secretary):
    assert login(secretary).post(reverse("board_task_add"), {"text": "  "}).status_code == 400
    assert not Task.objects.exists()


def test_it_refuses_a_task_from_a_viewer(login, viewer):
    assert login(viewer).post(reverse("board_task_add"), {"text": "送灭火毯"}).status_code == 403
    assert not Task.objects.exists()


def test_it_moves_a_task_to_another_column(login, secretary, grid_worker, task):
    response = move(login(secretary), task, assignee=grid_worker.pk, version=1)
    task.refresh_from_db()
    assert response.status_code == 200 and task.assignee == grid_worker


def test_it_marks_a_task_done_from_the_board(login, staff, task):
    move(login(staff), task, status="done", version=1)
    task.refresh_from_db()
    assert task.status == TaskStatus.DONE


def task_card(page: str, task) -> str:
    return re.search(rf'<li class="([^"]*)" id="task-{task.pk}".*?</li>', page, re.S).group(0)


@pytest.mark.parametrize("status", [IssueStatus.CLOSED, IssueStatus.NOT_OURS])
def test_it_shows_a_task_whose_item_is_settled_as_settled_not_to_do(login, secretary, task, community, status):
    task.issue = IssueFactory(community=community, status=status)
    task.save()
    response = login(secretary).get(reverse("board"))
    card = task_card(response.text, task)
    assert gettext("Item settled") in card and str(TaskStatus.TODO.label) not in card
    assert "item-settled" in card
    assert sum(column.open_count for column in response.context["columns"]) == 0


def test_it_shows_a_task_whose_item_is_open_as_to_do(login, secretary, task, community):
    task.issue = IssueFactory(community=community, status=IssueStatus.IN_PROGRESS)
    task.save()
    response = login(secretary).get(reverse("board"))
    card = task_card(response.text, task)
    assert str(TaskStatus.TODO.label) in card and gettext("Item settled") not in card
    assert sum(column.open_count for column in response.context["columns"]) == 1


def test_it_shows_a_task_for_an_items_callback_as_to_do(login, secretary, task, community):
    """Given out for a 待回访 item, the callback is still to do: it read 已办结."""
    task.issue = IssueFactory(community=community, status=IssueStatus.RESOLVED)
    task.save()
    response = login(secretary).get(reverse("board"))
    card = task_card(response.text, task)
    assert str(TaskStatus.TODO.label) in card and gettext("Item settled") not in card
    assert sum(column.open_count for column in response.context["columns"]) == 1


def test_it_tells_the_second_mover_the_task_changed(login, secretary, staff, task):
    move(login(staff), task, status="done", version=1)
    response = move(login(secretary), task, status="postponed", version=1)
    task.refresh_from_db()
    assert task.status == TaskStatus.DONE and TaskEvent.objects.filter(task=task).count() == 1
    assert "notice-warn" in response.text


def test_it_refuses_an_assignee_from_another_community(login, secretary, outsider, task):
    response = move(login(secretary), task, assignee=outsider.pk, version=1)
    task.refresh_from_db()
    assert task.assignee != outsider and "notice-error" in response.text
    assert_unchanged(task)


def test_it_refuses_an_unknown_state_without_a_500(login, secretary, task):
    assert "notice-error" in move(login(secretary), task, status="lost", version="x").text
    assert_unchanged(task)


def test_it_carries_yesterdays_unfinished_tasks_when_the_board_opens(login, secretary, community, staff):
    TaskFactory(community=community, assignee=staff, day=MONDAY.date() - timedelta(days=3), title="通知楼门长开会")
    response = login(secretary).get(reverse("board"))
    assert Task.objects.filter(day=MONDAY.date(), carried_from__isnull=False).count() == 1
    assert "通知楼门长开会" in response.text


# --- lanes, refresh, summary ----------------------------------------------------------------


def test_it_lists_items_to_investigate_overdue_and_new(login, secretary, community):
    IssueFactory(community=community, text="新来的问题", received_at=MONDAY - timedelta(hours=1))
    IssueFactory(community=community, text="逾期的问题", received_at=MONDAY - timedelta(days=30), due_at=MONDAY)
    text = login(secretary).get(reverse("board")).text
    assert "新来的问题" in text and "逾期的问题" in text


def callback_lane(text: str) -> str:
    return text.split('class="lane lane-callback"')[1].split("</ul>")[0]


def test_it_lists_items_waiting_for_their_callback_to_hand_out(login, secretary, community):
    """待回访 items were on no lane: nobody was given the call at the meeting."""
    IssueFactory(
        community=community,
        text="楼道灯已修好",
        status=IssueStatus.RESOLVED,
        received_at=MONDAY - timedelta(days=10),
        resolved_at=MONDAY - timedelta(days=2),
    )
    IssueFactory(community=community, text="已回访的问题", status=IssueStatus.CLOSED, received_at=MONDAY)
    lane = callback_lane(login(secretary).get(reverse("board")).text)
    assert "楼道灯已修好" in lane and "已回访的问题" not in lane


def test_it_refreshes_with_the_time_it_last_updated(login, secretary):
    response = login(secretary).get(reverse("board_refresh"), HTTP_HX_REQUEST="true")
    assert "09:00:00" in response.text and "<html" not in response.text


def test_it_shows_todays_activities(login, secretary, community):
    ActivityFactory(community=community, title="宪法宣传", starts_at=MONDAY + timedelta(minutes=30))
    assert "宪法宣传" in login(secretary).get(reverse("board")).text


def test_it_shows_the_mid_week_summary_on_wednesdays(login, secretary):
    with time_machine.travel(WEDNESDAY, tick=False):
        assert "board-summary" in login(secretary).get(reverse("board")).text


def test_it_leaves_the_summary_out_on_mondays(login, secretary, task):
    assert 'class="board-summary"' not in login(secretary).get(reverse("board")).text
    response = login(secretary).get(reverse("board"))
    assert response.status_code == 200 and "入户走访3号楼王奶奶" in response.text


def test_it_counts_this_week_against_last_week(login, secretary, community):
    with time_machine.travel(WEDNESDAY, tick=False):
        IssueFactory(community=community, received_at=WEDNESDAY - timedelta(days=1))
        IssueFactory(community=community, received_at=WEDNESDAY - timedelta(days=1))
        IssueFactory(community=community, received_at=WEDNESDAY - timedelta(days=8))
        CommendationFactory(community=community, received_on=WEDNESDAY.date())
        summary = login(secretary).get(reverse("board_summary")).context["summary"]
    rows = {row["key"]: (row["this"], row["last"]) for row in summary["rows"]}
    assert rows["logged"] == (2, 1) and rows["commendations"] == (1, 0)


def test_it_counts_only_the_outsiders_own_items_in_the_summary(login, outsider, community):
    IssueFactory(community=community, received_at=MONDAY - timedelta(hours=1))
    summary = login(outsider).get(reverse("board_summary")).context["summary"]
    assert {row["key"]: row["this"] for row in summary["rows"]}["logged"] == 0


# --- the screen link ----------------------------------------------------------------------


def test_it_shows_the_board_through_a_screen_link_without_login(client, link, task):
    response = client.get(reverse("board_tv", args=[link[1]]))
    assert response.status_code == 200 and "入户走访3号楼王奶奶" in response.text


def test_it_lists_a_columns_open_tasks_before_its_done_ones_through_the_screen_link(
    client, login, secretary, link, community, staff
):
    """The screen shows the tasks that fit and counts the rest: a task done early in the morning
    must not take the top slot while those still to do are counted in 另有N项. /board/ keeps the
    order in which the tasks were given, so a card does not jump away from under a click."""
    done = TaskFactory(community=community, assignee=staff, title="早上已送灭火毯", status=TaskStatus.DONE)
    TaskFactory(
        community=community,
        assignee=staff,
        title="下午入户走访王奶奶",
        created_at=done.created_at + timedelta(minutes=1),
    )
    screen = client.get(reverse("board_tv", args=[link[1]])).text
    assert screen.index("下午入户走访王奶奶") < screen.index("早上已送灭火毯")
    board = login(secretary).get(reverse("board")).text
    assert board.index("早上已送灭火毯") < board.index("下午入户走访王奶奶")


def test_it_answers_404_for_a_forged_screen_link(client, link):
    assert client.get(reverse("board_tv", args=[f"{link[0].pk}.forged"])).status_code == 404


def test_it_answers_404_for_a_revoked_screen_link(client, link):
    link[0].revoke(now=MONDAY)
    assert client.get(reverse("board_tv_refresh", args=[link[1]])).status_code == 404


@pytest.mark.parametrize("name", ["board_tv", "board_tv_refresh"])
def test_it_shows_the_screen_link_in_chinese_to_a_browser_set_to_english(client, link, name):
    response = client.get(reverse(name, args=[link[1]]), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert "上次晨会后新增" in response.text and "New since the last meeting" not in response.text
    assert response["Content-Language"] == "zh-hans"


def test_it_says_in_chinese_that_a_revoked_screen_link_is_gone(client, link):
    link[0].revoke(now=MONDAY)
    response = client.get(reverse("board_tv_refresh", args=[link[1]]), HTTP_ACCEPT_LANGUAGE="en-US")
    assert response.status_code == 404 and "页面不存在" in response.text


def test_it_shows_staff_the_board_in_their_own_language(login, secretary):
    response = login(secretary).get(reverse("board"), HTTP_ACCEPT_LANGUAGE="en-US")
    assert "New since the last meeting" in response.text and "上次晨会后新增" not in response.text


def test_it_shows_no_personal_data_through_the_screen_link(client, link, community):
    resident = ResidentFactory(community=community, name="王秀英", phone="13912345678")
    IssueFactory(
        community=community,
        reporter=resident,
        text="电话13912345678，身份证110101195001011234，楼道堆物",
        received_at=MONDAY - timedelta(hours=1),
    )
    text = client.get(reverse("board_tv", args=[link[1]])).text
    assert "13912345678" not in text and "110101195001011234" not in text and "王秀英" not in text
    assert "139****5678" in text


def test_it_names_an_items_building_not_its_room_through_the_screen_link(client, login, secretary, link, community):
    """ "9号楼1单元1201 家中老人独居，暖气不热" on the meeting room's screen said who lives alone where."""
    room = RoomFactory(
        unit__building__community=community, unit__building__number="9", unit__number="1", room_no="1201"
    )
    IssueFactory(
        community=community,
        room=room,
        building=room.unit.building,
        text="家中老人独居，暖气不热",
        received_at=MONDAY - timedelta(hours=1),
    )
    screen = client.get(reverse("board_tv", args=[link[1]])).text
    assert "家中老人独居" in screen and '<span class="where">9号楼</span>' in screen and "1201" not in screen
    assert "9号楼1单元1201" in login(secretary).get(reverse("board")).text


def test_it_offers_no_editing_through_the_screen_link(client, link, task):
    text = client.get(reverse("board_tv", args=[link[1]])).text
    assert "data-move" not in text and "task-text" not in text
    assert "入户走访3号楼王奶奶" in text


def test_it_accepts_no_writes_through_the_screen_link(client, link):
    assert client.post(reverse("board_tv", args=[link[1]]), {"text": "x"}).status_code == 405
    assert not Task.objects.exists()


def test_it_lets_the_secretary_make_a_screen_link(login, secretary):
    response = login(secretary).post(reverse("board_links"), {"label": "会议室电视"})
    token = response.context["new_link"].rsplit("/tv/", 1)[1].strip("/")
    assert BoardToken.active_for(token).label == "会议室电视"


def test_it_gives_the_screens_name_an_example_under_the_field_not_inside_it(login, secretary):
    """A placeholder 会议室电视 in the box read as a name already filled in."""
    page = login(secretary).get(reverse("board_links")).text
    field = re.search(r'<input[^>]*id="link-label"[^>]*>', page).group()
    assert "placeholder" not in field and 'aria-describedby="link-label-help"' in field
    assert re.search(r'id="link-label-help">[^<]+</div>', page)


def test_it_keeps_a_too_long_label_with_a_message(login, secretary):
    response = login(secretary).post(reverse("board_links"), {"label": "长" * 51})
    assert response.status_code == 400 and "长" * 51 in response.text


def test_it_lets_the_secretary_revoke_a_screen_link(login, secretary, link):
    login(secretary).post(reverse("board_link_revoke", args=[link[0].pk]))
    assert BoardToken.active_for(link[1]) is None


def test_it_keeps_screen_links_from_staff(login, staff):
    assert login(staff).get(reverse("board_links")).status_code == 403


def test_it_answers_404_when_the_outsider_revokes_our_link(login, outsider, link):
    assert login(outsider).post(reverse("board_link_revoke", args=[link[0].pk])).status_code == 404
    assert BoardToken.active_for(link[1]) is not None


def test_it_keeps_the_item_text_masked_for_staff_too(login, secretary, community):
    IssueFactory(community=community, text="电话13912345678", received_at=MONDAY - timedelta(hours=1))
    assert "13912345678" not in login(secretary).get(reverse("board")).text
    assert Issue.objects.count() == 1
    response = login(secretary).get(reverse("board"))
    assert response.status_code == 200 and "139****5678" in response.text


def hotline_case(community, secretary, case_no, hours_ago):
    from issues.hotline.services import log_case

    return log_case(
        community=community,
        by=secretary,
        now=MONDAY,
        case_no=case_no,
        dispatched_at=MONDAY - timedelta(hours=hours_ago),
        text="来电反映楼下饭馆油烟扰民",
        request_type="complaint",
        caller_name="赵先生",
        caller_phone="13711112222",
    )


def test_it_shows_the_12345_clock_that_runs_out_first(login, secretary, community):
    hotline_case(community, secretary, "BJ12345-0001", hours_ago=1)
    hotline_case(community, secretary, "BJ12345-0002", hours_ago=30)
    text = login(secretary).get(reverse("board")).text
    assert text.index("BJ12345-0002") < text.index("BJ12345-0001")


def test_it_shows_no_12345_caller_through_the_screen_link(client, link, community, secretary):
    hotline_case(community, secretary, "BJ12345-0003", hours_ago=1)
    text = client.get(reverse("board_tv", args=[link[1]])).text
    assert "BJ12345-0003" in text and "赵先生" not in text and "13711112222" not in text


def test_it_links_a_task_to_one_of_todays_activities(login, secretary, community):
    activity = ActivityFactory(community=community, title="宪法宣传", starts_at=MONDAY + timedelta(hours=1))
    login(secretary).post(reverse("board_task_add"), {"text": "布置展板", "activity": activity.pk})
    assert Task.objects.get().link == activity


def test_it_refuses_an_activity_of_another_community(login, secretary, other_community):
    activity = ActivityFactory(community=other_community, starts_at=MONDAY + timedelta(hours=1))
    response = login(secretary).post(reverse("board_task_add"), {"text": "布置展板", "activity": activity.pk})
    assert response.status_code == 400 and not Task.objects.exists()


@pytest.fixture
def two_due_in_building_10(community, secretary):
    """王秀英 of 10号楼3单元1302 (never visited) and 李桂兰 of 10号楼3单元1303, both due today."""
    unit = UnitFactory(building=BuildingFactory(community=community, number="10"), number="3")
    for name, room_no, last in [("王秀英", "1302", None), ("李桂兰", "1303", MONDAY.date() - timedelta(days=10))]:
        resident = ResidentFactory(community=community, name=name, room=RoomFactory(unit=unit, room_no=room_no))
        SpecialStatusFactory(resident=resident, responsible=secretary, last_visited_on=last)


def visits_lane(text: str) -> str:
    return text.split('class="lane lane-visits"')[1].split('class="lane-stack"')[0]


def test_it_lists_visits_due_by_surname_and_room_on_the_staff_board(login, secretary, two_due_in_building_10):
    lane = visits_lane(login(secretary).get(reverse("board")).text)
    assert "10号楼3单元1302" in lane and "王**" in lane and "李**" in lane


@pytest.mark.parametrize("name", ["board_tv", "board_tv_refresh"])
def test_it_lists_visits_due_by_building_only_through_the_screen_link(
    client, link, secretary, two_due_in_building_10, name
):
    """The 今日应访 lane put "10号楼3单元1302 王** 从未走访" on a page anyone with the link opens
    without logging in: who lives alone, and behind which door."""
    text = client.get(reverse(name, args=[link[1]])).text
    assert "王**" not in text and "李**" not in text and "3单元1302" not in text and "3-1302" not in text
    lane = visits_lane(text)
    # Two in one building stay two entries: the lane's count adds up.
    assert lane.count('<span class="where">10号楼</span>') == 2 and '<span class="count">2</span>' in lane
    assert "从未走访" in lane and "逾期3天" in lane and display_name(secretary) in lane


def test_it_lists_visits_due_without_category_through_the_screen_link(client, link, community):
    room = RoomFactory(unit=UnitFactory(building=BuildingFactory(community=community, number="3"), number="2"))
    resident = ResidentFactory(community=community, name="王秀英", room=room)
    SpecialStatusFactory(resident=resident, category="disability", note="右腿不便")
    SpecialStatusFactory(resident=resident)
    text = client.get(reverse("board_tv", args=[link[1]])).text
    assert '<span class="where">3号楼</span>' in visits_lane(text)
    assert "王秀英" not in text and "残疾" not in text and "右腿不便" not in text


def test_it_says_a_due_resident_was_never_visited_instead_of_counting_days(login, secretary, community):
    """Before the first visit the due date is the day the status began (here 2024-01-01), so the
    lane said 1064 days overdue of a resident nobody was late for by that much."""
    SpecialStatusFactory(resident=ResidentFactory(community=community, name="王秀英"))
    SpecialStatusFactory(
        resident=ResidentFactory(community=community, name="李桂兰"), last_visited_on=MONDAY.date() - timedelta(days=10)
    )
    text = login(secretary).get(reverse("board"), HTTP_ACCEPT_LANGUAGE="en-US").text
    lane = text.split('class="lane lane-visits"')[1].split('class="lane-stack"')[0]
    assert "Never visited" in lane and "3 days overdue" in lane
    assert "1064 days overdue" not in lane


def test_it_shows_the_patrols_since_the_last_meeting(client, secretary, community):
    from django.urls import reverse
    from django.utils import timezone

    from tests.factories import PatrolFactory

    now = timezone.now()
    PatrolFactory(
        community=community,
        staff=secretary,
        started_at=now - timezone.timedelta(minutes=50),
        ended_at=now,
        checked_count=10,
        solved_count=3,
        new_count=1,
    )
    client.force_login(secretary)
    body = client.get(reverse("board")).content.decode()
    assert "巡查 1 次 · 查看 10 项 · 已解决 3 · 新问题 1" in body


def test_it_counts_the_weeks_home_visits_against_those_due_by_sunday(login, secretary, community):
    from tests.factories import SpecialStatusFactory, VisitFactory

    with time_machine.travel(WEDNESDAY, tick=False):
        VisitFactory(community=community, visited_on=WEDNESDAY.date() - timedelta(days=1))
        VisitFactory(community=community, visited_on=WEDNESDAY.date() - timedelta(days=8))
        SpecialStatusFactory(resident=ResidentFactory(community=community), valid_from=WEDNESDAY.date())
        response = login(secretary).get(reverse("board_summary"))
    summary = response.context["summary"]
    assert {row["key"]: (row["this"], row["last"]) for row in summary["rows"]}["visits"] == (1, 1)
    assert (summary["visits_made"], summary["visits_due"]) == (1, 1)
    assert "本周已走访1户次" in response.text


def test_it_titles_the_screen_link_with_the_links_community_for_any_viewer(login, outsider, link, other_community):
    text = login(outsider).get(reverse("board_tv", args=[link[1]])).text
    title = text[text.index("<title>") : text.index("</title>")]
    assert link[0].community.name in title
    assert other_community.name not in title


def test_an_item_in_two_lanes_is_flagged_only_in_the_hot_one(community):
    # Escalated an hour after it came in: it is new since the last meeting and heads the hot
    # lane. The lanes are read by id and joined once; each lane still gets its own object, or
    # the hot lane's flag would show in the new lane too.
    item = IssueFactory(
        community=community,
        received_at=MONDAY - timedelta(hours=2),
        status="in_progress",
        escalated=True,
    )
    lanes = board_context(community, now=MONDAY)["lanes"]
    assert [i.pk for i in lanes["new"].items] == [i.pk for i in lanes["hot"].items] == [item.pk]
    assert lanes["new"].items[0].board_flag == ""
    assert lanes["hot"].items[0].board_flag == gettext("Escalated") == "需升级"
