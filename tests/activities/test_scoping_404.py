"""Another community's activity, sign-in, commendation or notice is a 404 to a read-only member
of two communities, as every page says (get_activity_for); their own community's is a 403 无权操作.
The desk's walk-in URL has no object of its own: the activity is the object."""

import pytest
from django.urls import reverse

from residents.scoping import SESSION_KEY
from tests.factories import (
    ActivityFactory,
    CommendationFactory,
    NoticeFactory,
    ParticipationFactory,
    ResidentFactory,
)


def _activity(community):
    return [ActivityFactory(community=community).pk]


def _activity_and_resident(community):
    return [ActivityFactory(community=community).pk, ResidentFactory(community=community).pk]


def _participation(community):
    return [ParticipationFactory(activity__community=community).pk]


def _commendation(community):
    return [CommendationFactory(community=community).pk]


def _notice(community):
    return [NoticeFactory(community=community).pk]


PAGES = [
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
