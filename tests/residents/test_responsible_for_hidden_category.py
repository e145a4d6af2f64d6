"""A grid worker responsible for a resident of a category his role may not see (残疾, 低保…)
still sees the visit as due, on the plan, his home page, the roster and her page, with the
category as 特殊关爱: he learns that the visit is due, not why."""

from io import BytesIO

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from residents.models.care import SpecialCategory, SpecialStatus
from residents.models.community import Role
from tests.factories import MembershipFactory, SpecialStatusFactory

PLAN = reverse("residents:visit_plan")
ROSTER = reverse("residents:specialstatus_list")


@pytest.fixture
def disabled(community, resident, grid_worker):
    """王秀英, 残疾, grid1 responsible, due today."""
    return SpecialStatusFactory(
        resident=resident, category=SpecialCategory.DISABILITY, responsible=grid_worker, valid_from=timezone.localdate()
    )


def page(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_the_responsible_grid_worker_sees_the_visit_on_the_plan(login, grid_worker, disabled):
    assert "王秀英" in page(login(grid_worker), PLAN)


def test_the_responsible_grid_worker_sees_the_visit_on_his_home_page(login, grid_worker, disabled):
    home = page(login(grid_worker), reverse("home"))
    assert "王**" in home[home.index('id="my-visits"') :]


def test_the_responsible_grid_worker_sees_the_status_on_her_page(login, grid_worker, disabled, resident):
    detail = page(login(grid_worker), reverse("residents:resident_detail", args=[resident.pk]))
    statuses = detail[detail.index('id="statuses"') : detail.index('id="visits"')]
    assert "grid1" in statuses or grid_worker.get_full_name() in statuses
    assert "list-group-item text-body-secondary" not in statuses  # not 暂无记录


def test_the_responsible_grid_worker_sees_the_row_on_the_roster(login, grid_worker, disabled):
    assert "王秀英" in page(login(grid_worker), ROSTER)


@pytest.mark.parametrize("url", [PLAN, ROSTER])
def test_the_grid_worker_is_not_told_the_category(login, grid_worker, disabled, url):
    content = page(login(grid_worker), url)
    assert "残疾" not in content and "Disability" not in content


def test_the_grid_worker_is_not_told_the_category_on_her_page(login, grid_worker, disabled, resident):
    content = page(login(grid_worker), reverse("residents:resident_detail", args=[resident.pk]))
    assert "残疾" not in content and "Disability" not in content


def test_the_secretary_still_reads_the_category(login, secretary, disabled):
    assert "残疾" in page(login(secretary), PLAN)


def test_another_grid_worker_does_not_see_the_hidden_category_visit(login, grid_worker, disabled, community):
    other = MembershipFactory(community=community, role=Role.GRID, user__username="grid2").user
    assert "王秀英" not in page(login(other), PLAN)
    assert "王秀英" not in page(login(other), ROSTER)


def test_the_category_label_for_the_grid_worker_is_special_care(grid_worker, disabled):
    status = SpecialStatus.objects.get()
    membership = grid_worker.memberships.get()
    assert status.category_for(membership) != status.category_label


def test_the_grid_workers_records_workbook_does_not_name_the_category(login, grid_worker, disabled):
    response = login(grid_worker).get(reverse("reports:report_records"))
    assert response.status_code == 200
    book = load_workbook(BytesIO(response.content))
    cells = [str(cell) for sheet in book for row in sheet.iter_rows(values_only=True) for cell in row if cell]
    assert "王秀英" in cells and not any("残疾" in cell or "Disability" in cell for cell in cells)
