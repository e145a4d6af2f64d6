"""Another community's object is a 404 to a read-only member of two communities, as every page
says (get_object_for, get_activity_for); their own community's is a 403 无权操作. Each view looks
its object up in the current community before it checks the role. The desk's walk-in URL has no
object of its own: the activity is the object."""

import pytest
from django.urls import reverse

from residents.importing.models import ImportJob
from residents.scoping import SESSION_KEY
from tests.factories import (
    ActivityFactory,
    CommendationFactory,
    IssueCategoryFactory,
    NoticeFactory,
    ParticipationFactory,
    PartnerContactFactory,
    PartnerFactory,
    PatrolStopFactory,
    ResidentFactory,
    RoomFactory,
    TaskFactory,
)


def _contact(community):
    contact = PartnerContactFactory(partner__community=community)
    return [contact.partner_id, contact.pk]


def _activity_and_resident(community):
    return [ActivityFactory(community=community).pk, ResidentFactory(community=community).pk]


def _job(community):
    return [ImportJob.objects.create(community=community, file_name="居民名单.xlsx", total=1).pk]


def _partner(community):
    return [PartnerFactory(community=community).pk]


def _category(community):
    return [IssueCategoryFactory(community=community).pk]


def _stop(community):
    return [PatrolStopFactory(community=community).pk]


def _resident(community):
    return [ResidentFactory(community=community).pk]


def _room(community):
    return [RoomFactory(unit__building__community=community).pk]


def _activity(community):
    return [ActivityFactory(community=community).pk]


def _participation(community):
    return [ParticipationFactory(activity__community=community).pk]


def _commendation(community):
    return [CommendationFactory(community=community).pk]


def _notice(community):
    return [NoticeFactory(community=community).pk]


def _task(community):
    return [TaskFactory(community=community).pk]


PAGES = [
    ("issues:partner_edit", "get", _partner),
    ("issues:partner_edit", "post", _partner),
    ("issues:category_edit", "get", _category),
    ("issues:category_edit", "post", _category),
    ("issues:partner_contact_reveal", "get", _contact),
    ("issues:partner_contact_reveal", "post", _contact),
    ("issues:patrol_stop_move", "post", _stop),
    ("residents:specialstatus_create", "get", _resident),
    ("residents:specialstatus_create", "post", _resident),
    ("residents:resident_edit", "get", _resident),
    ("residents:resident_edit", "post", _resident),
    ("residents:household_edit", "get", _room),
    ("residents:household_edit", "post", _room),
    ("residents:import_job", "get", _job),
    ("residents:import_job_progress", "get", _job),
    ("activities:activity_edit", "get", _activity),
    ("activities:activity_edit", "post", _activity),
    ("activities:participation_volunteer", "post", _activity),
    ("activities:activityphoto_create", "post", _activity),
    ("activities:activity_summary", "post", _activity),
    ("activities:participation_checkin_resident", "post", _activity_and_resident),
    ("activities:participation_walkin", "post", _activity),
    ("activities:participation_signup", "post", _activity_and_resident),
    ("activities:participation_undo", "post", _participation),
    ("activities:commendation_edit", "get", _commendation),
    ("activities:commendation_edit", "post", _commendation),
    ("activities:notice_edit", "get", _notice),
    ("activities:notice_edit", "post", _notice),
    ("board_task_visits", "get", _task),
    ("board_task_visits", "post", _task),
    ("board_task_move", "post", _task),
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
