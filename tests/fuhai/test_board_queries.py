"""Query-count ceilings: the board costs the same for 5 and for 50 rows in every lane, on a
Wednesday (with the week's figures) and on another day."""

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from issues.hotline.services import log_case
from issues.models.choices import IssueStatus
from issues.models.task import BoardToken
from residents.models.care import SpecialStatus
from residents.models.community import Role
from tests.factories import (
    ActivityFactory,
    IssueFactory,
    MembershipFactory,
    PatrolFactory,
    ResidentFactory,
    RoomFactory,
    SpecialStatusFactory,
    TaskFactory,
)

WEDNESDAY = datetime(2026, 12, 2, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))  # the summary is shown
THURSDAY = WEDNESDAY + timedelta(days=1)
#: Session, user, memberships with the bell and the carry-over check are part of the staff page;
#: the screen link has none of them, and one query for its link.
STAFF_CEILING = 12
SCREEN_CEILING = 9
#: A task's menu of visits: the staff page's overhead, the task, its visits and today's due ones.
MENU_CEILING = 6
#: 周中总结: the staff page's overhead, the week's figures in one row, the visits made this week
#: and last, and those due by Sunday.
SUMMARY_CEILING = 7


@pytest.fixture(autouse=True, params=[WEDNESDAY, THURSDAY], ids=["wednesday", "thursday"])
def now(request):
    with time_machine.travel(request.param, tick=False):
        yield request.param


def fill(community, n, now):
    people = [MembershipFactory(community=community, role=Role.STAFF).user for _ in range(4)]
    room = RoomFactory(unit__building__community=community)
    for i in range(n):
        # Each task with a helper, a linked activity and a linked visit: none is read by itself.
        activity = ActivityFactory(community=community, starts_at=now + timedelta(hours=2))
        status = SpecialStatusFactory(resident=ResidentFactory(community=community, room=room))
        task = TaskFactory(community=community, assignee=people[i % 4], day=now.date(), link=activity)
        task.helpers.add(people[(i + 1) % 4])
        task.visits.add(status)
        PatrolFactory(community=community, staff=people[i % 4], started_at=now - timedelta(hours=3), ended_at=now)
        IssueFactory(community=community, received_at=now - timedelta(hours=2), owner=people[i % 4])
        IssueFactory(
            community=community,
            received_at=now - timedelta(days=20),
            due_at=now - timedelta(days=2),
            status=IssueStatus.IN_PROGRESS,
            escalated=True,
        )
        IssueFactory(
            community=community,
            received_at=now - timedelta(days=9),
            resolved_at=now - timedelta(days=i % 5 + 1),
            status=IssueStatus.RESOLVED,
            owner=people[i % 4],
            room=room,
        )
        ActivityFactory(community=community, starts_at=now + timedelta(hours=1))
        SpecialStatusFactory(resident=ResidentFactory(community=community), responsible=people[i % 4])
        log_case(
            community=community,
            by=people[0],
            now=now,
            case_no=f"BJ{i:05d}",
            dispatched_at=now - timedelta(hours=i % 30),
            text="来电反映油烟扰民",
            request_type="complaint",
        )


@pytest.mark.parametrize("n", [5, 50])
def test_it_renders_the_board_in_a_fixed_number_of_queries(
    client, secretary, community, n, now, django_assert_max_num_queries
):
    fill(community, n, now)
    client.force_login(secretary)
    with django_assert_max_num_queries(STAFF_CEILING):
        assert client.get(reverse("board")).status_code == 200


@pytest.mark.parametrize("n", [5, 50])
@pytest.mark.parametrize("name", ["board", "board_refresh"])
def test_it_renders_the_board_in_screen_mode_in_a_fixed_number_of_queries(
    client, secretary, community, n, now, name, django_assert_max_num_queries
):
    """投屏模式 reads the board as the screen link does, with the staff page's overhead."""
    fill(community, n, now)
    client.force_login(secretary)
    client.post(reverse("board_screen"), {"screen": "on"})
    with django_assert_max_num_queries(STAFF_CEILING):
        response = client.get(reverse(name) + "?screen=1")
    # Each task's visit is its building, not a link to record a visit to the resident.
    assert response.status_code == 200 and '<span class="tag tag-visit">' in response.text
    assert "visits/new/" not in response.text


@pytest.mark.parametrize("n", [5, 50])
def test_it_renders_the_screen_link_in_a_fixed_number_of_queries(
    client, secretary, community, n, now, django_assert_max_num_queries
):
    fill(community, n, now)
    _row, token = BoardToken.create_link(community=community, label="电视", by=secretary, now=now)
    with django_assert_max_num_queries(SCREEN_CEILING):
        assert client.get(reverse("board_tv_refresh", args=[token])).status_code == 200


@pytest.mark.parametrize("n", [5, 50])
def test_it_renders_the_screen_with_one_persons_many_tasks_in_a_fixed_number_of_queries(
    client, secretary, community, n, now, django_assert_max_num_queries
):
    """The screen counts the tasks a column cannot show from the day's tasks it already has."""
    fill(community, 5, now)
    person = MembershipFactory(community=community, role=Role.STAFF).user
    for _ in range(n):
        TaskFactory(community=community, assignee=person, day=now.date())
    _row, token = BoardToken.create_link(community=community, label="电视", by=secretary, now=now)
    with django_assert_max_num_queries(SCREEN_CEILING):
        response = client.get(reverse("board_tv", args=[token]))
    column = re.search(rf'data-assignee="{person.pk}".*?data-total="(\d+)"', response.content.decode(), re.DOTALL)
    assert column[1] == str(n)


@pytest.mark.parametrize("n", [5, 50])
def test_it_renders_a_tasks_visit_menu_in_a_fixed_number_of_queries(
    client, secretary, community, n, now, django_assert_max_num_queries
):
    """Each visit in the menu gives its category and due date from its own row."""
    fill(community, n, now)
    task = TaskFactory(community=community, day=now.date())
    task.visits.add(*SpecialStatus.objects.filter(community=community)[: n // 2])
    client.force_login(secretary)
    with django_assert_max_num_queries(MENU_CEILING):
        assert client.get(reverse("board_task_visits", args=[task.pk])).status_code == 200


@pytest.mark.parametrize("n", [5, 50])
def test_it_renders_the_mid_week_summary_in_a_fixed_number_of_queries(
    client, secretary, community, n, now, django_assert_max_num_queries
):
    fill(community, n, now)
    client.force_login(secretary)
    with django_assert_max_num_queries(SUMMARY_CEILING):
        assert client.get(reverse("board_summary")).status_code == 200
