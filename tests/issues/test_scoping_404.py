"""Another community's partner, category or patrol stop is a 404 to a read-only member of two
communities, as every page says (get_object_for); their own community's is a 403 无权操作."""

import pytest
from django.urls import reverse

from residents.scoping import SESSION_KEY
from tests.factories import IssueCategoryFactory, PartnerContactFactory, PartnerFactory, PatrolStopFactory


def _partner(community):
    return [PartnerFactory(community=community).pk]


def _category(community):
    return [IssueCategoryFactory(community=community).pk]


def _contact(community):
    contact = PartnerContactFactory(partner__community=community)
    return [contact.partner_id, contact.pk]


def _stop(community):
    return [PatrolStopFactory(community=community).pk]


PAGES = [
    ("issues:partner_edit", "get", _partner),
    ("issues:partner_edit", "post", _partner),
    ("issues:category_edit", "get", _category),
    ("issues:category_edit", "post", _category),
    ("issues:partner_contact_reveal", "get", _contact),
    ("issues:partner_contact_reveal", "post", _contact),
    ("issues:patrol_stop_move", "post", _stop),
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
