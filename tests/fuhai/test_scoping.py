"""One scoping mechanism: another community's object is a 404, never a 403."""

import pytest
from django.http import Http404
from django.test import RequestFactory
from django.urls import reverse

from issues.models.partner import Partner
from residents.scoping import get_object_for, scoped
from tests.factories import MembershipFactory, PartnerFactory


def request_for(user, rf=None):
    from residents.scoping import CommunityMiddleware

    request = (rf or RequestFactory()).get("/")
    request.user = user
    request.session = {}
    CommunityMiddleware(lambda r: None)(request)
    return request


def test_it_fetches_an_object_of_the_users_community(secretary, community):
    partner = PartnerFactory(community=community)
    assert get_object_for(request_for(secretary), Partner, pk=partner.pk) == partner


def test_it_raises_404_for_another_communitys_object(outsider, community):
    partner = PartnerFactory(community=community)
    with pytest.raises(Http404):
        get_object_for(request_for(outsider), Partner, pk=partner.pk)


def test_it_scopes_lists_to_the_current_community(staff, community, other_community):
    ours = PartnerFactory(community=community)
    PartnerFactory(community=other_community)
    assert list(scoped(request_for(staff), Partner.objects.all())) == [ours]


def test_it_shows_nothing_to_a_user_without_community(db):
    from tests.factories import UserFactory

    assert not scoped(request_for(UserFactory()), Partner.objects.all()).exists()


def test_it_switches_to_another_of_the_users_communities(client, staff, other_community):
    MembershipFactory(user=staff, community=other_community)
    client.force_login(staff)
    response = client.post(reverse("community_switch", args=[other_community.pk]), {"next": "/"})
    assert response.status_code == 302
    assert client.get(reverse("home")).context["community"] == other_community


def test_it_gives_404_when_switching_to_a_foreign_community(client, outsider, community):
    client.force_login(outsider)
    response = client.post(reverse("community_switch", args=[community.pk]))
    assert response.status_code == 404


def test_it_ignores_an_unsafe_next_url_when_switching(client, staff, other_community):
    MembershipFactory(user=staff, community=other_community)
    client.force_login(staff)
    response = client.post(reverse("community_switch", args=[other_community.pk]), {"next": "https://evil.test/"})
    assert response.url == reverse("home")
