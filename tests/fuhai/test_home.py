"""The home page: the community's figures, the person's items, tasks of the day and visits due,
in a bounded number of queries."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from issues.models.choices import IssueStatus
from issues.models.task import TaskStatus
from residents.models.care import SpecialCategory
from tests.factories import (
    HotlineCaseFactory,
    IssueFactory,
    PartnerFactory,
    PatrolFactory,
    ResidentFactory,
    SpecialStatusFactory,
    TaskFactory,
)


def test_it_shows_the_communitys_figures(secretary_client, community, other_community):
    ResidentFactory.create_batch(3, community=community)
    ResidentFactory(community=other_community)
    SpecialStatusFactory(resident__community=community)
    PartnerFactory(community=community)
    context = secretary_client.get(reverse("home")).context
    assert context["resident_counts"] == {"living": 4, "total": 4, "special": 1}
    assert context["partner_count"] == 1


def test_it_tells_a_user_without_community_to_ask_the_secretary(client, db):
    from tests.factories import UserFactory

    client.force_login(UserFactory())
    assert "还不是任何社区的成员" in client.get(reverse("home")).content.decode()


@pytest.mark.parametrize("rows", [5, 50])
def test_it_keeps_home_queries_bounded(secretary_client, secretary, community, django_assert_max_num_queries, rows):
    for _ in range(rows):
        SpecialStatusFactory(resident__community=community)
        PartnerFactory(community=community)
        IssueFactory(community=community, owner=secretary)
        HotlineCaseFactory(community=community, dispatched_at=timezone.now() - timedelta(days=2))
    with django_assert_max_num_queries(11):
        assert secretary_client.get(reverse("home")).status_code == 200


def test_the_12345_box_counts_every_open_case_past_a_deadline(secretary_client, community, other_community):
    """已超期 counts items past their own due date: a case late on its first contact is not, and a
    tester read 已超期 0 beside 响应 已超时21小时 as nothing late. The box says how many cases are
    late on either clock, all of them, not only the five it lists."""
    now = timezone.now()
    day = timedelta(days=1)

    def case(**kwargs):
        kwargs.setdefault("dispatched_at", now - 2 * day)
        return HotlineCaseFactory(community=kwargs.pop("community", community), **kwargs)

    # Late on its first contact, its resolution nine days off: after the five listed below.
    case(response_deadline=now - day, resolution_deadline=now + 9 * day)
    # Contacted in time, its resolution overdue.
    case(response_deadline=now - day, first_contact_at=now - 1.5 * day, resolution_deadline=now - timedelta(hours=1))
    for n in range(5):  # in time, listed first
        case(response_deadline=now + day, resolution_deadline=now + (n + 1) * day)
    case(response_deadline=now - day, first_contact_at=now - timedelta(hours=20), resolution_deadline=now + 3 * day)
    case(response_deadline=now - day, resolution_deadline=now + day, issue__status=IssueStatus.CLOSED)
    case(community=other_community, response_deadline=now - day, resolution_deadline=now + day)
    response = secretary_client.get(reverse("home"))
    assert len(response.context["issues"]["hotline"]) == 5 and response.context["issues"]["hotline_late"] == 2
    assert '<span class="badge text-bg-danger hotline-clock" id="home-hotline-late">2件已超时</span>' in (
        response.content.decode()
    )


def test_the_12345_box_says_nothing_of_lateness_when_no_case_is_late(secretary_client, community):
    HotlineCaseFactory(community=community)
    response = secretary_client.get(reverse("home"))
    assert response.context["issues"]["hotline_late"] == 0 and "home-hotline-late" not in response.content.decode()


def test_it_shows_my_open_items(secretary_client, secretary, community):
    IssueFactory(community=community, owner=secretary, text="我的事项：楼道灯不亮")
    assert "楼道灯不亮" in secretary_client.get(reverse("home")).content.decode()


def test_it_offers_the_first_run_help_to_someone_who_has_logged_nothing(secretary_client, community):
    IssueFactory(community=community, text="同事登记的事项")
    response = secretary_client.get(reverse("home"))
    assert response.context["first_run"] is True
    assert 'id="first-run-help"' in response.content.decode()


def test_it_leaves_the_first_run_help_out_once_the_user_has_logged_an_item(secretary_client, secretary, community):
    IssueFactory(community=community, created_by=secretary)
    response = secretary_client.get(reverse("home"))
    assert response.context["first_run"] is False
    assert "first-run-help" not in response.content.decode()


# --- a grid worker's day on the phone: my tasks today, my visits due -------------------------


def _section(page: str, section_id: str) -> str:
    part = page[page.index(f'id="{section_id}"') :]
    return part[: part.index("</section>")]


def _grid_visit(community, grid_worker, name, *, began=30, visited=None, **kwargs):
    today = timezone.localdate()
    return SpecialStatusFactory(
        resident=ResidentFactory(community=community, name=name, room=kwargs.pop("room", None)),
        responsible=grid_worker,
        valid_from=today - timedelta(days=began),
        last_visited_on=today - timedelta(days=visited) if visited is not None else None,
        visit_interval_days=7,
        **kwargs,
    )


def test_it_shows_a_grid_worker_their_open_tasks_of_today(login, grid_worker, staff, community, other_community):
    today = timezone.localdate()
    TaskFactory(community=community, assignee=grid_worker, title="与物业沟通消防通道")
    TaskFactory(community=community, assignee=grid_worker, title="车棚飞线复查", status=TaskStatus.DOING)
    TaskFactory(community=community, assignee=grid_worker, title="已经做完的", status=TaskStatus.DONE)
    TaskFactory(community=community, assignee=staff, title="同事的任务")
    TaskFactory(community=community, assignee=grid_worker, title="昨天的任务", day=today - timedelta(days=1))
    TaskFactory(community=other_community, assignee=grid_worker, title="别的社区的任务")
    tasks = _section(login(grid_worker).get(reverse("home")).content.decode(), "my-tasks-title")
    assert "与物业沟通消防通道" in tasks and "车棚飞线复查" in tasks and "进行中" in tasks
    for other in ("已经做完的", "同事的任务", "昨天的任务", "别的社区的任务"):
        assert other not in tasks


def test_a_task_is_one_tap_from_its_board_card_its_item_and_its_visits(login, grid_worker, community, room):
    issue = IssueFactory(community=community, text="楼道堆物")
    task = TaskFactory(community=community, assignee=grid_worker, title="上门核查", issue=issue)
    due = _grid_visit(community, grid_worker, "王秀兰", room=room)
    task.visits.add(due)
    tasks = _section(login(grid_worker).get(reverse("home")).content.decode(), "my-tasks-title")
    assert f'href="{reverse("board")}#task-{task.pk}"' in tasks
    assert f'href="{reverse("issues:issue_detail", args=[issue.pk])}"' in tasks
    assert f'href="{reverse("residents:visit_create")}?resident={due.resident_id}&amp;from=home"' in tasks
    assert "王** 3-2-501" in tasks and "王秀兰" not in tasks


def test_it_masks_numbers_typed_into_a_tasks_title(login, grid_worker, community):
    TaskFactory(community=community, assignee=grid_worker, title="回电13812345678说明情况")
    page = login(grid_worker).get(reverse("home")).content.decode()
    assert "13812345678" not in page and "138****5678" in page


def test_it_lists_the_visits_a_grid_worker_is_responsible_for_masked(
    login, grid_worker, staff, community, other_community, room
):
    _grid_visit(community, grid_worker, "王秀兰", room=room)
    _grid_visit(community, grid_worker, "李还早", visited=2)
    SpecialStatusFactory(resident=ResidentFactory(community=community, name="赵同事管"), responsible=staff)
    SpecialStatusFactory(resident=ResidentFactory(community=other_community, name="钱别处"), responsible=grid_worker)
    visits = _section(login(grid_worker).get(reverse("home")).content.decode(), "my-visits-title")
    assert "王** 3-2-501" in visits and "从未走访" in visits
    assert f'href="{reverse("residents:visit_create")}?resident=' in visits
    for other in ("王秀兰", "李", "赵", "钱"):
        assert other not in visits


def test_it_says_never_visited_or_days_late_as_the_board_does(login, grid_worker, community):
    _grid_visit(community, grid_worker, "周新来", began=1)
    _grid_visit(community, grid_worker, "吴没去", began=300)
    _grid_visit(community, grid_worker, "郑晚了", began=300, visited=10)
    _grid_visit(community, grid_worker, "孙今天", began=300, visited=7)
    response = login(grid_worker).get(reverse("home"), HTTP_ACCEPT_LANGUAGE="en-US")
    rows = _section(response.content.decode(), "my-visits-title").split("<li")[1:]
    said = {row.split("**")[0][-1]: row for row in rows}
    assert "Never visited" in said["吴"] and "text-danger" in said["吴"] and "overdue" not in said["吴"]
    assert "Never visited" in said["周"] and "text-danger" not in said["周"]
    assert "overdue 3 days" in said["郑"] and "Visit due today" in said["孙"]
    # Most urgent first, by due date: never visited, that is the day the status began.
    assert [s.resident.name[0] for s in response.context["visits"]] == ["吴", "郑", "周", "孙"]


def test_it_caps_the_visits_with_a_link_to_the_visit_plan(login, grid_worker, community):
    for n in range(7):
        _grid_visit(community, grid_worker, f"居民{n}", began=30 + n)
    response = login(grid_worker).get(reverse("home"), HTTP_ACCEPT_LANGUAGE="en-US")
    visits = _section(response.content.decode(), "my-visits-title")
    assert len(response.context["visits"]) == 5 and response.context["visits_total"] == 7
    assert visits.count('class="list-group-item home-row"') == 5
    assert f'href="{reverse("residents:visit_plan")}#plan-staff-{grid_worker.pk}">All 7 in the visit plan' in visits
    plan = login(grid_worker).get(reverse("residents:visit_plan")).content.decode()
    assert f'id="plan-staff-{grid_worker.pk}"' in plan


def test_it_counts_a_resident_in_two_categories_once(login, grid_worker, community):
    status = _grid_visit(community, grid_worker, "王秀兰", category=SpecialCategory.LIVING_ALONE)
    SpecialStatusFactory(
        resident=status.resident,
        category=SpecialCategory.ADVANCED_AGE,
        responsible=grid_worker,
        valid_from=status.valid_from,
    )
    response = login(grid_worker).get(reverse("home"))
    assert (len(response.context["visits"]), response.context["visits_total"]) == (1, 1)


def test_it_lists_a_grid_workers_visit_of_a_hidden_category_as_the_plan_does(login, grid_worker, community):
    """He is responsible for the 低保 resident's visit: he sees it due (not why), here and on the plan."""
    _grid_visit(community, grid_worker, "低保户", category=SpecialCategory.MIN_LIVING)
    response = login(grid_worker).get(reverse("home"), HTTP_ACCEPT_LANGUAGE="en-US")
    assert response.context["visits_total"] == 1
    assert "低**" in _section(response.content.decode(), "my-visits-title")
    assert "低保户" in login(grid_worker).get(reverse("residents:visit_plan")).content.decode()


def test_a_visit_recorded_from_home_comes_back_home_masked(login, grid_worker, community, room):
    due = _grid_visit(community, grid_worker, "王秀兰", room=room)
    client = login(grid_worker)
    url = f"{reverse('residents:visit_create')}?resident={due.resident_id}&from=home"
    data = {"residents": [due.resident_id], "staff": [grid_worker.pk], "method": "home"}
    data |= {"visited_on": timezone.localdate().isoformat(), "fire_blankets": "0", "gifts": "0"}
    response = client.post(url, data)
    assert response.status_code == 302 and response["Location"] == reverse("home")
    home = client.get(reverse("home")).content.decode()
    assert "已登记对王**的走访。" in home and "王秀兰" not in home
    assert "王** 3-2-501" not in _section(home, "my-visits-title")


@pytest.mark.parametrize("rows", [5, 50])
def test_it_keeps_a_grid_workers_home_queries_bounded(
    login, grid_worker, community, room, django_assert_max_num_queries, rows
):
    for n in range(rows):
        status = _grid_visit(community, grid_worker, f"居民{n}", room=room, began=30 + n)
        task = TaskFactory(community=community, assignee=grid_worker, issue=IssueFactory(community=community))
        task.visits.add(status)
        IssueFactory(community=community, owner=grid_worker)
    client = login(grid_worker)
    with django_assert_max_num_queries(11):
        assert client.get(reverse("home")).status_code == 200


# --- 巡查 from a grid worker's home ------------------------------------------------------------


def _patrol_button(page: str) -> str:
    part = page[page.index('id="home-patrol"') :]
    return part[: part.index("</a>")]


def test_a_grid_worker_starts_a_patrol_from_home_in_one_tap(login, grid_worker):
    """巡查 was ☰ → 民情日记 → a tab cut off at 390 px → 开始巡查 (a tester's finding)."""
    button = _patrol_button(login(grid_worker).get(reverse("home")).content.decode())
    assert f'href="{reverse("issues:patrol_start")}"' in button and "巡查" in button


def test_a_grid_worker_goes_back_to_their_walk_under_way_from_home(login, grid_worker, staff, community):
    now = timezone.now()
    PatrolFactory(community=community, staff=grid_worker, started_at=now - timedelta(hours=2), ended_at=now)
    mine = PatrolFactory(community=community, staff=grid_worker, started_at=now - timedelta(minutes=20))
    PatrolFactory(community=community, staff=staff, started_at=now - timedelta(minutes=5))
    button = _patrol_button(login(grid_worker).get(reverse("home")).content.decode())
    assert f'href="{reverse("issues:patrol_detail", args=[mine.pk])}"' in button and "继续巡查" in button


def test_a_colleagues_walk_under_way_is_not_a_grid_workers_to_continue(login, grid_worker, staff, community):
    PatrolFactory(community=community, staff=staff)
    button = _patrol_button(login(grid_worker).get(reverse("home")).content.decode())
    assert f'href="{reverse("issues:patrol_start")}"' in button


def test_the_offices_home_keeps_its_buttons_without_patrol(secretary_client):
    assert 'id="home-patrol"' not in secretary_client.get(reverse("home")).content.decode()
