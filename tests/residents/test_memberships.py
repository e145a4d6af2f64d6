"""The members page: the secretary adds, re-roles and ends memberships without the admin; a
community cannot make a 街道 account; others cannot change anything."""

import pytest
from django.urls import reverse

from residents.models.community import Membership, Role
from tests.factories import MembershipFactory, UserFactory

LIST = reverse("residents:membership_list")
ADD = reverse("residents:membership_create")


def test_it_adds_an_existing_account_as_staff(secretary_client, community):
    UserFactory(username="newhand")
    response = secretary_client.post(ADD, {"username": "newhand", "role": Role.GRID})
    assert response.status_code == 302
    assert Membership.objects.get(user__username="newhand", community=community).role == Role.GRID


def test_it_explains_an_unknown_username_and_adds_nobody(secretary_client):
    response = secretary_client.post(ADD, {"username": "nobody", "role": Role.STAFF})
    assert response.status_code == 400
    assert "nobody" in response.content.decode()
    assert not Membership.objects.filter(user__username="nobody").exists()


def test_it_refuses_to_make_a_subdistrict_viewer(secretary_client, community):
    UserFactory(username="street9")
    assert secretary_client.post(ADD, {"username": "street9", "role": Role.VIEWER}).status_code == 400
    assert not Membership.objects.filter(user__username="street9").exists()


def test_it_explains_that_a_member_is_already_here(secretary_client, staff):
    response = secretary_client.post(ADD, {"username": "staff1", "role": Role.GRID})
    assert response.status_code == 400
    assert Membership.objects.get(user=staff).role == Role.STAFF


def test_it_changes_a_members_role(secretary_client, staff, community):
    membership = Membership.objects.get(user=staff, community=community)
    secretary_client.post(reverse("residents:membership_role", args=[membership.pk]), {"role": Role.GRID})
    membership.refresh_from_db()
    assert membership.role == Role.GRID


def test_it_leaves_a_subdistrict_viewers_role_alone(secretary_client, viewer, community):
    membership = Membership.objects.get(user=viewer, community=community)
    secretary_client.post(reverse("residents:membership_role", args=[membership.pk]), {"role": Role.STAFF})
    membership.refresh_from_db()
    assert membership.role == Role.VIEWER


def test_it_ends_a_membership_and_keeps_the_account(secretary_client, staff, community):
    membership = Membership.objects.get(user=staff, community=community)
    secretary_client.post(reverse("residents:membership_end", args=[membership.pk]))
    membership.refresh_from_db()
    staff.refresh_from_db()
    assert (membership.is_active, staff.is_active) == (False, True)


def test_it_takes_the_access_away_when_a_membership_ends(client, secretary_client, staff, community):
    membership = Membership.objects.get(user=staff, community=community)
    secretary_client.post(reverse("residents:membership_end", args=[membership.pk]))
    client.force_login(staff)
    assert client.get(reverse("issues:issue_list")).status_code == 403


def test_it_brings_an_ended_member_back(secretary_client, staff, community):
    Membership.objects.filter(user=staff).update(is_active=False)
    secretary_client.post(ADD, {"username": "staff1", "role": Role.GRID})
    membership = Membership.objects.get(user=staff, community=community)
    assert (membership.is_active, membership.role) == (True, Role.GRID)


def test_it_does_not_let_the_secretary_end_their_own_membership(secretary_client, secretary, community):
    membership = Membership.objects.get(user=secretary, community=community)
    secretary_client.post(reverse("residents:membership_end", args=[membership.pk]))
    membership.refresh_from_db()
    assert membership.is_active


@pytest.mark.parametrize("role", [Role.STAFF, Role.GRID, Role.VIEWER])
def test_it_refuses_the_page_to_every_other_role(client, community, role):
    client.force_login(MembershipFactory(community=community, role=role).user)
    assert client.get(LIST).status_code == 403


def test_it_refuses_an_addition_by_staff_and_adds_nobody(staff_client):
    UserFactory(username="newhand")
    assert staff_client.post(ADD, {"username": "newhand", "role": Role.STAFF}).status_code == 403
    assert not Membership.objects.filter(user__username="newhand").exists()


def test_it_gives_404_for_a_membership_of_another_community(secretary_client, outsider, other_community):
    membership = Membership.objects.get(user=outsider, community=other_community)
    response = secretary_client.post(reverse("residents:membership_end", args=[membership.pk]))
    assert response.status_code == 404
    membership.refresh_from_db()
    assert membership.is_active


@pytest.mark.parametrize("rows", [5, 50])
def test_it_keeps_the_members_page_queries_bounded(secretary_client, community, django_assert_max_num_queries, rows):
    for _ in range(rows):
        MembershipFactory(community=community, role=Role.STAFF)
    with django_assert_max_num_queries(8):
        assert secretary_client.get(LIST).status_code == 200
