"""The home page: the community's figures, in a bounded number of queries."""

import pytest
from django.urls import reverse

from tests.factories import PartnerFactory, ResidentFactory, SpecialStatusFactory


def test_it_shows_the_communitys_figures(secretary_client, community, other_community):
    ResidentFactory.create_batch(3, community=community)
    ResidentFactory(community=other_community)
    SpecialStatusFactory(resident__community=community)
    PartnerFactory(community=community)
    context = secretary_client.get(reverse("home")).context
    assert context["resident_counts"] == {"living": 4, "total": 4, "special": 1}
    assert context["partner_count"] == 1


def test_it_tells_a_user_without_community_to_ask_the_secretary(client, db):
    from tests.factories import UserFactory

    client.force_login(UserFactory())
    assert "还不是任何社区的成员" in client.get(reverse("home")).content.decode()


@pytest.mark.parametrize("rows", [5, 50])
def test_it_keeps_home_queries_bounded(secretary_client, community, django_assert_max_num_queries, rows):
    for _ in range(rows):
        SpecialStatusFactory(resident__community=community)
        PartnerFactory(community=community)
    with django_assert_max_num_queries(8):
        assert secretary_client.get(reverse("home")).status_code == 200
