"""Another community's task is a 404 to a read-only member of two communities, as every page
says (get_object_for); their own community's is a 403 无权操作."""

import pytest
from django.urls import reverse

from residents.scoping import SESSION_KEY
from tests.factories import TaskFactory


def _task(community):
    return [TaskFactory(community=community).pk]


PAGES = [
    ("board_task_visits", "get", _task),
    ("board_task_visits", "post", _task),
    ("board_task_move", "post", _task),
]


@pytest.mark.parametrize(("name", "method", "make"), PAGES)
def test_a_read_only_member_gets_404_for_another_communitys_task(two_community_viewer, community, name, method, make):
    response = getattr(two_community_viewer, method)(reverse(name, args=make(community)))
    assert response.status_code == 404


@pytest.mark.parametrize(("name", "method", "make"), PAGES)
def test_a_read_only_member_gets_403_for_their_own_communitys_task(two_community_viewer, community, name, method, make):
    session = two_community_viewer.session
    session[SESSION_KEY] = community.pk
    session.save()
    response = getattr(two_community_viewer, method)(reverse(name, args=make(community)))
    assert response.status_code == 403
