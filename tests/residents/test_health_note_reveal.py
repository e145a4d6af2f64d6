"""A visit's health note (健康情况) is covered on the resident's page, as full numbers are: read
once with a reason, and the reading goes into the access record."""

import pytest
from django.urls import reverse

from residents.models.resident import AccessField, AccessLog
from tests.factories import VisitFactory

NOTE = "血压偏高160/95，自述头晕，按时服药"


@pytest.fixture
def visit(community, resident):
    return VisitFactory(community=community, residents=[resident], health_note=NOTE)


def detail(resident):
    return reverse("residents:resident_detail", args=[resident.pk])


def reveal(resident, visit):
    return reverse("residents:visit_health_reveal", args=[resident.pk, visit.pk])


@pytest.mark.parametrize("persona", ["secretary", "staff"])
def test_the_residents_page_covers_the_health_note(request, login, resident, visit, persona):
    content = login(request.getfixturevalue(persona)).get(detail(resident)).content.decode()
    assert NOTE not in content and reveal(resident, visit) in content


def test_the_health_note_is_shown_after_a_reason_and_logged(login, secretary, resident, visit):
    response = login(secretary).post(reveal(resident, visit), {"reason": "联系家属安排上门医生"})
    assert response.status_code == 200 and NOTE in response.content.decode()
    log = AccessLog.objects.get()
    assert (log.user, log.resident, log.field, log.reason) == (
        secretary,
        resident,
        AccessField.HEALTH_NOTE,
        "联系家属安排上门医生",
    )
    assert visit.visited_on.isoformat() in log.subject


def test_the_health_note_is_not_shown_without_a_reason(login, secretary, resident, visit):
    response = login(secretary).post(reveal(resident, visit), {"reason": ""})
    assert NOTE not in response.content.decode() and not AccessLog.objects.exists()


def test_asking_for_the_reason_shows_and_logs_nothing(login, secretary, resident, visit):
    assert NOTE not in login(secretary).get(reveal(resident, visit)).content.decode()
    assert not AccessLog.objects.exists()


@pytest.mark.parametrize("persona", ["grid_worker", "viewer"])
def test_roles_that_see_no_health_data_may_not_read_it(request, login, resident, visit, persona):
    client = login(request.getfixturevalue(persona))
    assert client.post(reveal(resident, visit), {"reason": "想看看情况"}).status_code == 403
    assert reveal(resident, visit) not in client.get(detail(resident)).content.decode()
    assert not AccessLog.objects.exists()


def test_another_communitys_member_gets_a_404(login, outsider, resident, visit):
    assert login(outsider).post(reveal(resident, visit), {"reason": "想看看情况"}).status_code == 404


def test_a_visit_of_another_resident_is_not_read_through_this_page(login, secretary, resident, community):
    other = VisitFactory(community=community, residents=[], health_note=NOTE)
    assert login(secretary).post(reveal(resident, other), {"reason": "联系家属安排"}).status_code == 404


def test_the_access_record_lists_the_reading(login, secretary, resident, visit):
    login(secretary).post(reveal(resident, visit), {"reason": "联系家属安排上门医生"})
    content = login(secretary).get(reverse("residents:accesslog_list")).content.decode()
    assert "联系家属安排上门医生" in content and "王秀英" in content
