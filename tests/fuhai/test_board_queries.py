"""Query-count ceilings: the board costs the same for 5 and for 50 rows in every lane."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from issues.hotline.services import log_case
from issues.models.choices import IssueStatus
from issues.models.task import BoardToken
from residents.models.community import Role
from tests.factories import (
    ActivityFactory,
    IssueFactory,
    MembershipFactory,
    ResidentFactory,
    SpecialStatusFactory,
    TaskFactory,
)

NOW = datetime(2026, 12, 2, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))  # a Wednesday: summary included
#: Session, user and memberships with the bell are part of the staff page; the screen link has none.
STAFF_CEILING = 15
SCREEN_CEILING = 12


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def fill(community, n):
    people = [MembershipFactory(community=community, role=Role.STAFF).user for _ in range(4)]
    for i in range(n):
        task = TaskFactory(community=community, assignee=people[i % 4], day=NOW.date())
        task.helpers.add(people[(i + 1) % 4])
        IssueFactory(community=community, received_at=NOW - timedelta(hours=2), owner=people[i % 4])
        IssueFactory(
            community=community,
            received_at=NOW - timedelta(days=20),
            due_at=NOW - timedelta(days=2),
            status=IssueStatus.IN_PROGRESS,
            escalated=True,
        )
        ActivityFactory(community=community, starts_at=NOW + timedelta(hours=1))
        SpecialStatusFactory(resident=ResidentFactory(community=community), responsible=people[i % 4])
        log_case(
            community=community,
            by=people[0],
            now=NOW,
            case_no=f"BJ{i:05d}",
            dispatched_at=NOW - timedelta(hours=i % 30),
            text="来电反映油烟扰民",
            request_type="complaint",
        )


@pytest.mark.parametrize("n", [5, 50])
def test_it_renders_the_board_in_a_fixed_number_of_queries(
    client, secretary, community, n, django_assert_max_num_queries
):
    fill(community, n)
    client.force_login(secretary)
    with django_assert_max_num_queries(STAFF_CEILING):
        assert client.get(reverse("board")).status_code == 200


@pytest.mark.parametrize("n", [5, 50])
def test_it_renders_the_screen_link_in_a_fixed_number_of_queries(
    client, secretary, community, n, django_assert_max_num_queries
):
    fill(community, n)
    _row, token = BoardToken.create_link(community=community, label="电视", by=secretary, now=NOW)
    with django_assert_max_num_queries(SCREEN_CEILING):
        assert client.get(reverse("board_tv_refresh", args=[token])).status_code == 200
