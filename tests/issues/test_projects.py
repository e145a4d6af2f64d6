"""项目 pages: a project with an outside partner, its milestones and their promised dates;
scoped to the community, read-only for the 街道 viewer, with query ceilings at 5 and 50 rows."""

import re
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from issues.projects.models import Milestone, Project, ProjectStatus
from issues.projects.views import due_text
from tests.factories import PartnerFactory

NOW = datetime(2026, 12, 7, 10, 30, tzinfo=ZoneInfo("Asia/Shanghai"))
TODAY = NOW.date()

pytestmark = pytest.mark.usefixtures("frozen")


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def design(community):
    return PartnerFactory(community=community, kind="design", name="京华文化墙设计工作室")


def make_project(community, secretary, partner=None, title="北门文化墙", started=TODAY - timedelta(days=10), **kwargs):
    return Project.objects.create(
        community=community,
        title=title,
        partner=partner,
        owner=kwargs.pop("owner", secretary),
        started_on=started,
        created_by=secretary,
        created_at=NOW - timedelta(days=10),
        **kwargs,
    )


def add_milestone(project, title="挂装安全检查", promised=TODAY + timedelta(days=3)):
    milestone = Milestone(project=project, title=title, promised_on=promised, created_at=NOW)
    milestone.start_clock(NOW)
    milestone.save()
    return milestone


@pytest.fixture
def project(community, secretary, design):
    return make_project(community, secretary, design)


@pytest.fixture
def milestone(project):
    return add_milestone(project)


def test_it_creates_a_project_with_its_partner_and_person_in_charge(secretary_client, community, staff, design):
    response = secretary_client.post(
        reverse("issues:project_create"),
        {
            "title": "北门文化墙",
            "partner": design.pk,
            "owner": staff.pk,
            "started_on": "2026-12-01",
            "description": "挂装安全第一",
        },
    )
    project = Project.objects.get()
    assert response.url == reverse("issues:project_detail", args=[project.pk])
    assert (project.community, project.partner, project.owner, project.status) == (
        community,
        design,
        staff,
        ProjectStatus.ACTIVE,
    )


def test_it_refuses_a_start_date_years_away_and_keeps_what_was_typed(secretary_client):
    response = secretary_client.post(
        reverse("issues:project_create"),
        {"title": "北门文化墙", "started_on": "2062-12-01", "description": "挂装安全第一"},
    )
    assert response.status_code == 400
    assert list(response.context["form"].errors) == ["started_on"]
    assert "挂装安全第一" in response.content.decode() and "北门文化墙" in response.content.decode()
    assert not Project.objects.exists()


def test_it_edits_a_project(secretary_client, project):
    secretary_client.post(
        reverse("issues:project_edit", args=[project.pk]),
        {"title": "北门文化墙（二期）", "started_on": project.started_on.isoformat()},
    )
    project.refresh_from_db()
    assert project.title == "北门文化墙（二期）" and project.partner is None


def test_it_adds_a_milestone_with_htmx_and_shows_it_in_place(secretary_client, project):
    response = secretary_client.post(
        reverse("issues:milestone_create", args=[project.pk]),
        {"title": "挂装安全检查", "promised_on": "2026-12-10", "note": "膨胀螺栓"},
        HTTP_HX_REQUEST="true",
    )
    milestone = Milestone.objects.get()
    assert (milestone.promised_on, milestone.next_reminder_at is not None) == (date(2026, 12, 10), True)
    assert 'id="milestones"' in response.content.decode() and "挂装安全检查" in response.content.decode()


def test_it_refuses_a_promised_date_before_the_project_started_and_keeps_the_title(secretary_client, project):
    response = secretary_client.post(
        reverse("issues:milestone_create", args=[project.pk]),
        {"title": "设计方案定稿", "promised_on": "2026-01-01"},
        HTTP_HX_REQUEST="true",
    )
    content = response.content.decode()
    assert not Milestone.objects.exists()
    assert "设计方案定稿" in content and "2026-01-01" in content
    assert list(response.context["add_form"].errors) == ["promised_on"]


def test_it_refuses_a_promised_date_more_than_two_years_ahead(secretary_client, project):
    secretary_client.post(
        reverse("issues:milestone_create", args=[project.pk]),
        {"title": "设计方案定稿", "promised_on": "2029-12-10"},
    )
    assert not Milestone.objects.exists()


def test_it_marks_a_milestone_done_and_stops_its_clock(secretary_client, project, milestone):
    secretary_client.post(
        reverse("issues:milestone_done", args=[project.pk, milestone.pk]), {f"done{milestone.pk}-done_on": "2026-12-06"}
    )
    milestone.refresh_from_db()
    assert (milestone.done_on, milestone.next_reminder_at) == (date(2026, 12, 6), None)


def test_it_refuses_a_completion_date_in_the_future(secretary_client, project, milestone):
    response = secretary_client.post(
        reverse("issues:milestone_done", args=[project.pk, milestone.pk]),
        {f"done{milestone.pk}-done_on": "2026-12-20"},
        HTTP_HX_REQUEST="true",
    )
    milestone.refresh_from_db()
    assert milestone.done_on is None and "2026-12-20" in response.content.decode()


def test_moving_a_promised_date_keeps_the_earlier_one_visible(secretary_client, project, milestone):
    milestone.promised_on = date(2026, 12, 10)
    milestone.save()
    secretary_client.post(
        reverse("issues:milestone_move", args=[project.pk, milestone.pk]),
        {f"move{milestone.pk}-promised_on": "2026-12-15"},
    )
    milestone.refresh_from_db()
    assert (milestone.promised_on, milestone.earlier_promises) == (date(2026, 12, 15), ["2026-12-10"])
    content = secretary_client.get(reverse("issues:project_detail", args=[project.pk])).content.decode()
    # 原定 12月10日 → 改为 12月15日 (the two words are the catalogue's; the dates and the arrow are not)
    assert re.search(r"12月10日 → [^<]*</span><strong>12月15日</strong>", content), content


def test_it_finishes_a_project_and_its_open_milestones_stop_reminding(secretary_client, project, milestone):
    secretary_client.post(reverse("issues:project_finish", args=[project.pk]))
    project.refresh_from_db()
    milestone.refresh_from_db()
    assert project.status == ProjectStatus.FINISHED and project.finished_at == NOW
    assert milestone.next_reminder_at is None


def test_the_list_puts_open_projects_first_with_their_next_milestone(secretary_client, community, secretary, project):
    add_milestone(project, "挂装安全检查", TODAY - timedelta(days=2))
    add_milestone(project, "安装验收", TODAY + timedelta(days=5))
    done = make_project(community, secretary, title="楼道宣传栏", status=ProjectStatus.FINISHED)
    later = make_project(community, secretary, title="车棚改造")
    add_milestone(later, "图纸", TODAY + timedelta(days=5))
    response = secretary_client.get(reverse("issues:project_list"))
    assert [p.pk for p in response.context["projects"]][-1] == done.pk
    content = response.content.decode()
    assert due_text(TODAY - timedelta(days=2), TODAY) in content  # 已逾期 2 天
    assert "5 天后到期" in content


def test_the_partners_page_lists_its_open_projects(secretary_client, community, secretary, design, project):
    make_project(community, secretary, design, title="旧宣传栏", status=ProjectStatus.FINISHED)
    content = secretary_client.get(reverse("issues:partner_detail", args=[design.pk])).content.decode()
    assert "北门文化墙" in content and "旧宣传栏" not in content


# --- access ---------------------------------------------------------------------------------

PAGES = ["issues:project_detail", "issues:project_edit"]
STEPS = ["issues:project_finish", "issues:milestone_create"]


@pytest.mark.parametrize("name", PAGES + STEPS)
def test_another_communitys_project_is_a_404(login, outsider, project, name):
    client = login(outsider)
    response = (
        client.post(reverse(name, args=[project.pk])) if name in STEPS else client.get(reverse(name, args=[project.pk]))
    )
    assert response.status_code == 404


def test_another_communitys_milestone_step_is_a_404(login, outsider, project, milestone):
    response = login(outsider).post(reverse("issues:milestone_done", args=[project.pk, milestone.pk]))
    assert response.status_code == 404


def test_the_list_shows_nothing_of_another_community(login, outsider, project):
    assert "北门文化墙" not in login(outsider).get(reverse("issues:project_list")).content.decode()


def test_the_viewer_reads_the_list_and_the_page_without_forms(login, viewer, project, milestone):
    client = login(viewer)
    assert client.get(reverse("issues:project_list")).status_code == 200
    content = client.get(reverse("issues:project_detail", args=[project.pk])).content.decode()
    assert "挂装安全检查" in content and "milestone-add" not in content and "project-finish" not in content


@pytest.mark.parametrize("name", ["issues:project_finish", "issues:milestone_create", "issues:project_edit"])
def test_the_viewer_cannot_post(login, viewer, project, name):
    response = login(viewer).post(reverse(name, args=[project.pk]), {"title": "改", "promised_on": "2026-12-10"})
    assert response.status_code == 403
    project.refresh_from_db()
    assert project.status == ProjectStatus.ACTIVE and not project.milestones.exists()


def test_the_viewer_cannot_mark_a_milestone_done(login, viewer, project, milestone):
    response = login(viewer).post(
        reverse("issues:milestone_done", args=[project.pk, milestone.pk]), {f"done{milestone.pk}-done_on": "2026-12-06"}
    )
    milestone.refresh_from_db()
    assert response.status_code == 403 and milestone.done_on is None


def test_the_viewer_cannot_create_a_project(login, viewer):
    assert login(viewer).get(reverse("issues:project_create")).status_code == 403


# --- query ceilings -------------------------------------------------------------------------


@pytest.mark.parametrize("rows", [5, 50])
def test_it_keeps_the_list_queries_bounded(
    secretary_client, community, secretary, design, rows, django_assert_max_num_queries
):
    for n in range(rows):
        project = make_project(community, secretary, design, title=f"项目{n}")
        add_milestone(project, f"节点{n}")
    # Session, user, membership (with the bell); the page's count, its projects, their open milestones.
    with django_assert_max_num_queries(6):
        response = secretary_client.get(reverse("issues:project_list"))
    assert response.content.decode().count("节点") >= min(rows, 50)


@pytest.mark.parametrize("rows", [5, 50])
def test_it_keeps_the_page_queries_bounded(secretary_client, project, rows, django_assert_max_num_queries):
    for n in range(rows):
        add_milestone(project, f"节点{n}")
    # Session, user, membership; the project with partner and owner; its milestones.
    with django_assert_max_num_queries(5):
        response = secretary_client.get(reverse("issues:project_detail", args=[project.pk]))
    assert response.content.decode().count("milestone-done") == rows


def test_a_new_projects_start_date_is_today(secretary_client):
    """It was blank: the model's None for a new project hid the form's default."""
    form = secretary_client.get(reverse("issues:project_create")).context["form"]
    assert form["started_on"].value() == TODAY


def test_it_masks_numbers_typed_into_a_projects_description_and_a_milestones_note(secretary_client, project):
    """Free text is shown with personal numbers masked, as everywhere: a designer's mobile typed
    into the description or a note was shown in full."""
    project.description = "设计师王工 13812345678"
    project.save()
    milestone = add_milestone(project)
    milestone.note = "现场联系 13900001111"
    milestone.save()
    page = secretary_client.get(reverse("issues:project_detail", args=[project.pk])).content.decode()
    assert "13812345678" not in page and "138****5678" in page
    assert "13900001111" not in page and "139****1111" in page
