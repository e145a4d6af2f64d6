"""What each role sees of a resident and their visits: the office sees names and past visits'
notes, the 身体 check only where the sensitive categories are seen (secretary, social workers),
and the 街道 viewer, who reads figures and visits nobody, sees 王** and no visit's free text."""

from io import BytesIO

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from residents.models.care import RiskTier, SpecialCategory
from tests.factories import (
    DistributionFactory,
    ResidentFactory,
    SpecialStatusFactory,
    VisitFactory,
)

NOTES = "老人说最近血压高，药快吃完了"
NEEDS = "想申请助餐"


def detail(resident):
    return reverse("residents:resident_detail", args=[resident.pk])


def page(client, url, **params):
    response = client.get(url, params)
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def visited(community, resident, grid_worker):
    """A 孤寡 · 高风险 resident whom a grid worker visited, noting what the old man said."""
    SpecialStatusFactory(resident=resident, category=SpecialCategory.SOLITARY, tier=RiskTier.HIGH)
    return VisitFactory(
        community=community,
        residents=[resident],
        recorded_by=grid_worker,
        health="watch",
        home_safety="problem",
        notes=NOTES,
        needs=NEEDS,
        health_note="高血压，糖尿病",
    )


# --- the resident's page -----------------------------------------------------------------


@pytest.mark.parametrize("persona", ["secretary", "staff", "grid_worker"])
def test_the_office_reads_past_visits_notes(request, login, resident, visited, persona):
    assert NOTES in page(login(request.getfixturevalue(persona)), detail(resident))


def test_the_street_viewer_reads_no_visit_notes(login, viewer, resident, visited):
    assert NOTES not in page(login(viewer), detail(resident))


@pytest.mark.parametrize("persona", ["secretary", "staff", "grid_worker"])
def test_the_office_reads_the_needs_a_visit_found(request, login, resident, visited, persona):
    assert NEEDS in page(login(request.getfixturevalue(persona)), detail(resident))


def test_the_street_viewer_reads_no_needs_of_a_visit(login, viewer, resident, visited):
    assert NEEDS not in page(login(viewer), detail(resident))


def test_the_street_viewer_still_sees_when_and_how_a_visit_was_made(login, viewer, resident, visited):
    content = page(login(viewer), detail(resident))
    assert timezone.localdate().isoformat() in content and "水电气安全:有问题" in content


@pytest.mark.parametrize("persona", ["secretary", "staff"])
def test_the_health_check_is_shown_to_those_who_see_sensitive_data(request, login, resident, visited, persona):
    assert "身体状况:需关注" in page(login(request.getfixturevalue(persona)), detail(resident))


@pytest.mark.parametrize("persona", ["grid_worker", "viewer"])
def test_the_health_check_is_hidden_as_the_sensitive_categories_are(request, login, resident, visited, persona):
    content = page(login(request.getfixturevalue(persona)), detail(resident))
    assert "身体状况" not in content and "水电气安全:有问题" in content


def test_the_street_viewer_sees_the_resident_as_surname_only(login, viewer, resident, visited):
    content = page(login(viewer), detail(resident))
    assert "王秀英" not in content and "王**" in content


def test_the_secretary_sees_the_residents_full_name(login, secretary, resident, visited):
    assert "王秀英" in page(login(secretary), detail(resident))


def test_the_street_viewer_sees_the_household_and_contact_as_surnames_only(login, viewer, resident, community):
    ResidentFactory(community=community, room=resident.room, name="李建国")
    resident.emergency_contact = "张丽华"
    resident.save()
    content = page(login(viewer), detail(resident))
    assert "李建国" not in content and "李**" in content
    assert "张丽华" not in content and "张**" in content


def test_it_masks_a_phone_number_typed_into_a_visits_notes(login, secretary, resident, community):
    VisitFactory(community=community, residents=[resident], notes="女儿电话13912345678", needs="回电13912345679")
    content = page(login(secretary), detail(resident))
    assert "13912345678" not in content and "139****5678" in content
    assert "13912345679" not in content


@pytest.mark.parametrize("rows", [5, 50])
def test_it_shows_a_residents_page_in_a_fixed_number_of_queries(
    login, secretary, resident, community, django_assert_max_num_queries, rows
):
    for i in range(rows):
        ResidentFactory(community=community, room=resident.room, name=f"王{i}")
        VisitFactory(community=community, residents=[resident], notes=f"第{i}次", health="watch")
        DistributionFactory(community=community, resident=resident, room=None)
    client = login(secretary)
    # 11: the items they reported (issues.Issue.reporter) are one query of their own.
    with django_assert_max_num_queries(11):
        assert client.get(detail(resident)).status_code == 200


# --- lists, plan, supplies, search, export -----------------------------------------------


def test_the_street_viewer_sees_surnames_on_the_resident_list(login, viewer, resident):
    content = page(login(viewer), reverse("residents:resident_list"))
    assert "王秀英" not in content and "王**" in content


def test_the_secretary_sees_full_names_on_the_resident_list(login, secretary, resident):
    assert "王秀英" in page(login(secretary), reverse("residents:resident_list"))


def test_the_street_viewer_sees_surnames_on_the_roster(login, viewer, resident, visited):
    content = page(login(viewer), reverse("residents:specialstatus_list"))
    assert "王秀英" not in content and "王**" in content and "孤寡" in content


def test_the_grid_worker_sees_full_names_on_the_roster(login, grid_worker, resident, visited):
    assert "王秀英" in page(login(grid_worker), reverse("residents:specialstatus_list"))


def test_the_street_viewer_sees_surnames_on_the_visit_plan(login, viewer, resident, visited):
    # Never visited through the service, the status is due today; today's visit is listed below.
    content = page(login(viewer), reverse("residents:visit_plan"))
    assert "王秀英" not in content and content.count("王**") == 2


def test_the_secretary_sees_full_names_on_the_visit_plan(login, secretary, resident, visited):
    assert "王秀英" in page(login(secretary), reverse("residents:visit_plan"))


def test_the_street_viewer_sees_surnames_on_the_supplies_page(login, viewer, resident, visited, community):
    DistributionFactory(community=community, resident=resident, room=None)
    content = page(login(viewer), reverse("residents:supply_list"))
    assert "王秀英" not in content and "王**" in content


def test_the_secretary_sees_full_names_on_the_supplies_page(login, secretary, resident, visited):
    assert "王秀英" in page(login(secretary), reverse("residents:supply_list"))


@pytest.mark.parametrize("suggest", ["", "1"])
def test_the_street_viewer_finds_residents_by_surname_only(login, viewer, resident, suggest):
    content = page(login(viewer), reverse("search"), q="wxy", suggest=suggest)
    assert "王秀英" not in content and "王**" in content


def test_the_secretary_finds_residents_by_full_name(login, secretary, resident):
    assert "王秀英" in page(login(secretary), reverse("search"), q="wxy")


def names_in_export(client):
    response = client.get(reverse("residents:resident_export"))
    assert response.status_code == 200
    sheet = load_workbook(BytesIO(response.content)).active
    return [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]


def test_the_street_viewers_residents_export_names_surnames_only(login, viewer, resident):
    assert names_in_export(login(viewer)) == ["王**"]


def test_the_grid_workers_residents_export_names_residents_in_full(login, grid_worker, resident):
    assert names_in_export(login(grid_worker)) == ["王秀英"]
