"""Another community's resident, household or import is a 404 to a read-only member of two
communities, as every page says (get_object_for); their own community's is a 403 无权操作."""

import pytest
from django.urls import reverse

from residents.importing.models import ImportJob
from residents.scoping import SESSION_KEY
from tests.factories import ResidentFactory, RoomFactory


def _resident(community):
    return [ResidentFactory(community=community).pk]


def _room(community):
    return [RoomFactory(unit__building__community=community).pk]


def _job(community):
    return [ImportJob.objects.create(community=community, file_name="居民名单.xlsx", total=1).pk]


PAGES = [
    ("residents:specialstatus_create", "get", _resident),
    ("residents:specialstatus_create", "post", _resident),
    ("residents:resident_edit", "get", _resident),
    ("residents:resident_edit", "post", _resident),
    ("residents:household_edit", "get", _room),
    ("residents:household_edit", "post", _room),
    ("residents:import_job", "get", _job),
    ("residents:import_job_progress", "get", _job),
]


@pytest.mark.parametrize(("name", "method", "make"), PAGES)
def test_a_read_only_member_gets_404_for_another_communitys_object(two_community_viewer, community, name, method, make):
    response = getattr(two_community_viewer, method)(reverse(name, args=make(community)))
    assert response.status_code == 404


@pytest.mark.parametrize(("name", "method", "make"), PAGES)
def test_a_read_only_member_gets_403_for_their_own_communitys_object(
    two_community_viewer, community, name, method, make
):
    session = two_community_viewer.session
    session[SESSION_KEY] = community.pk
    session.save()
    response = getattr(two_community_viewer, method)(reverse(name, args=make(community)))
    assert response.status_code == 403
