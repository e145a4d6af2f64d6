"""The 12345 settings page: the secretary changes deadlines and weights, with explanations;
others read them; bad numbers are explained and nothing is saved."""

from decimal import Decimal

import pytest
from django.urls import reverse

from issues.hotline.models import HotlineSettings

URL = reverse("issues:hotlinesettings_edit")


def form_data(**changes):
    data = {
        "urgent_response_hours": 2,
        "normal_response_hours": 24,
        "urgent_resolution_hours": 24,
        "normal_resolution_days": 7,
        "complex_resolution_days": 15,
        "partly_weight": "0.5",
        "basic_weight": "0.8",
        "response_share": 30,
        "resolution_share": 35,
        "satisfaction_share": 35,
    }
    return data | changes


def test_it_saves_the_secretarys_new_deadlines_and_weights(secretary_client, community):
    response = secretary_client.post(URL, form_data(normal_resolution_days=5, partly_weight="0.6"))
    assert response.status_code == 302
    rules = HotlineSettings.for_community(community.pk)
    assert (rules.normal_resolution_days, rules.partly_weight) == (5, Decimal("0.6"))


def test_it_explains_shares_that_do_not_add_up_to_100_and_saves_nothing(secretary_client, community):
    response = secretary_client.post(URL, form_data(response_share=40, normal_resolution_days=5))
    assert response.status_code == 400
    assert "100" in response.content.decode()
    assert HotlineSettings.for_community(community.pk).normal_resolution_days == 7


@pytest.mark.parametrize(("field", "value"), [("partly_weight", "1.5"), ("basic_weight", "-0.1")])
def test_it_refuses_a_weight_outside_0_and_1(secretary_client, community, field, value):
    assert secretary_client.post(URL, form_data(**{field: value})).status_code == 400
    assert getattr(HotlineSettings.for_community(community.pk), field) in {Decimal("0.5"), Decimal("0.8")}


def test_it_refuses_a_deadline_of_zero(secretary_client, community):
    assert secretary_client.post(URL, form_data(urgent_response_hours=0)).status_code == 400
    assert HotlineSettings.for_community(community.pk).urgent_response_hours == 2


def test_it_shows_staff_the_settings_with_their_explanation(staff_client):
    response = staff_client.get(URL)
    assert response.status_code == 200
    assert response.context["can_change"] is False


def test_it_refuses_a_change_by_staff_and_saves_nothing(staff_client, community):
    assert staff_client.post(URL, form_data(normal_resolution_days=3)).status_code == 403
    assert HotlineSettings.for_community(community.pk).normal_resolution_days == 7


def test_it_refuses_a_change_by_the_street_viewer(client, viewer, community):
    client.force_login(viewer)
    assert client.post(URL, form_data(normal_resolution_days=3)).status_code == 403
    assert HotlineSettings.for_community(community.pk).normal_resolution_days == 7


def test_it_changes_only_the_secretarys_own_community(client, outsider, community, other_community):
    client.force_login(outsider)
    client.post(URL, form_data(normal_resolution_days=3))
    assert HotlineSettings.for_community(other_community.pk).normal_resolution_days == 3
    assert HotlineSettings.for_community(community.pk).normal_resolution_days == 7
