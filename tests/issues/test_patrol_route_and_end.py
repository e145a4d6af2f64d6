"""The patrol route a grid worker edits on a phone (a stop removed only when confirmed, never twice
on the route, selects that read 请选择) and the summary kept when a walk ends (2,000 characters,
as every other free text)."""

import pytest
from django.urls import reverse
from django.utils.translation import gettext

from issues.patrol.models import Patrol, PatrolStop
from tests.factories import BuildingFactory, PatrolFactory, PatrolStopFactory, ZoneFactory

ROUTE = reverse("issues:patrol_route")


@pytest.fixture
def walker(client, grid_worker):
    client.force_login(grid_worker)
    return client


def test_it_refuses_a_shared_place_already_on_the_route_and_keeps_what_was_typed(walker, community):
    PatrolStopFactory(community=community, name="东门")
    response = walker.post(ROUTE, {"name": "东门"})
    assert PatrolStop.objects.count() == 1
    assert response.context["form"].errors["name"] == [
        gettext("%(place)s is already on the route.") % {"place": "东门"}
    ]
    assert 'value="东门"' in response.content.decode()


def test_it_refuses_a_building_already_on_the_route(walker, community):
    building = BuildingFactory(community=community, number="3")
    PatrolStopFactory(community=community, name="", building=building)
    response = walker.post(ROUTE, {"building": building.pk})
    assert (PatrolStop.objects.count(), list(response.context["form"].errors)) == (1, ["building"])


def test_it_refuses_a_zone_already_on_the_route(walker, community):
    zone = ZoneFactory(community=community, name="南区")
    PatrolStopFactory(community=community, name="", zone=zone)
    response = walker.post(ROUTE, {"zone": zone.pk})
    assert (PatrolStop.objects.count(), list(response.context["form"].errors)) == (1, ["zone"])


def test_another_communitys_stop_of_the_same_name_is_no_duplicate(walker, community, other_community):
    PatrolStopFactory(community=other_community, name="东门")
    walker.post(ROUTE, {"name": "东门"})
    assert PatrolStop.objects.in_community(community).count() == 1


def test_the_route_forms_selects_read_choose_not_dashes(walker, community):
    BuildingFactory(community=community)
    page = walker.get(ROUTE).content.decode()
    assert "---------" not in page
    assert page.count(f'<option value="" selected>{gettext("Choose…")}</option>') == 2


def test_removing_a_stop_asks_first_and_says_what_was_removed(walker, community):
    stop = PatrolStopFactory(community=community, name="东门")
    page = walker.get(ROUTE).content.decode()
    remove = page.split('name="delete"', 1)[1].split(">", 1)[0]
    assert "data-confirm=" in remove and "东门" in remove
    response = walker.post(reverse("issues:patrol_stop_move", args=[stop.pk]), {"delete": "1"}, follow=True)
    assert gettext("%(place)s removed from the patrol route.") % {"place": "东门"} in response.content.decode()


def test_it_refuses_a_summary_over_2000_characters_and_keeps_it(client, community, staff):
    patrol = PatrolFactory(community=community, staff=staff)
    client.force_login(staff)
    summary = "巡" * 2100
    response = client.post(reverse("issues:patrol_end", args=[patrol.pk]), {"summary": summary})
    assert response.status_code == 200 and response.context["form"].errors["summary"]
    assert summary in response.content.decode()
    assert Patrol.objects.get().ended_at is None


def test_the_summary_box_carries_the_limit_the_page_counts_against(client, community, staff):
    patrol = PatrolFactory(community=community, staff=staff)
    client.force_login(staff)
    page = client.get(reverse("issues:patrol_end", args=[patrol.pk])).content.decode()
    box = page.split('name="summary"', 1)[1].split(">", 1)[0]
    assert 'maxlength="2000"' in box
