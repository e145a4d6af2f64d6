"""The home page: the community's figures, in a bounded number of queries."""

import pytest
from django.urls import reverse

from tests.factories import IssueFactory, PartnerFactory, ResidentFactory, SpecialStatusFactory


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
def test_it_keeps_home_queries_bounded(secretary_client, secretary, community, django_assert_max_num_queries, rows):
    for _ in range(rows):
        SpecialStatusFactory(resident__community=community)
        PartnerFactory(community=community)
        IssueFactory(community=community, owner=secretary)
    with django_assert_max_num_queries(11):
        assert secretary_client.get(reverse("home")).status_code == 200


def test_it_shows_my_open_items(secretary_client, secretary, community):
    IssueFactory(community=community, owner=secretary, text="我的事项：楼道灯不亮")
    assert "楼道灯不亮" in secretary_client.get(reverse("home")).content.decode()


def test_it_offers_the_first_run_help_to_someone_who_has_logged_nothing(secretary_client, community):
    IssueFactory(community=community, text="同事登记的事项")
    response = secretary_client.get(reverse("home"))
    assert response.context["first_run"] is True
    assert 'id="first-run-help"' in response.content.decode()


def test_it_leaves_the_first_run_help_out_once_the_user_has_logged_an_item(secretary_client, secretary, community):
    IssueFactory(community=community, created_by=secretary)
    response = secretary_client.get(reverse("home"))
    assert response.context["first_run"] is False
    assert "first-run-help" not in response.content.decode()
