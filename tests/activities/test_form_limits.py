"""Every length message of the activities forms is the app's own (请控制在…字以内), and a
commendation is recorded once received, never dated ahead."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from activities.forms import CommendationForm, PhotoForm, VolunteerForm, WalkInForm
from activities.models import Activity, Commendation

DJANGOS_WORDING = "确保该变量包含不超过"


def test_it_says_the_activity_title_is_too_long_in_the_apps_words(staff_client):
    data = {"title": "宣" * 150, "platform": "policy", "starts_at": "2026-12-12T09:30", "ends_at": "2026-12-12T11:00"}
    response = staff_client.post(reverse("activities:activity_create"), data)
    assert response.context["form"].errors["title"] == ["请控制在 100 字以内，现在有 150 字。"]
    assert DJANGOS_WORDING not in response.content.decode() and not Activity.objects.exists()


@pytest.mark.parametrize(
    ("form_class", "field", "limit"),
    [
        (WalkInForm, "name", 50),
        (VolunteerForm, "name", 50),
        (VolunteerForm, "volunteer_role", 50),
        (PhotoForm, "caption", 100),
        (CommendationForm, "inscription", 200),
        (CommendationForm, "giver_resident_name", 100),
    ],
)
def test_it_says_a_free_text_is_too_long_in_the_apps_words(community, form_class, field, limit):
    kwargs = {"community": community} if form_class in (VolunteerForm, CommendationForm) else {}
    form = form_class(data={field: "字" * (limit + 1)}, **kwargs)
    assert form.errors[field] == [f"请控制在 {limit} 字以内，现在有 {limit + 1} 字。"]


def test_it_says_the_notice_title_is_too_long_in_the_apps_words(staff_client):
    data = {"topic": "other", "title": "通" * 101, "text": "明天停水"}
    response = staff_client.post(reverse("activities:notice_create"), data)
    assert response.context["form"].errors["title"] == ["请控制在 100 字以内，现在有 101 字。"]


def test_it_refuses_a_commendation_dated_in_the_future_and_keeps_the_input(staff_client):
    tomorrow = timezone.localdate() + timedelta(days=1)
    data = {"kind": "banner", "received_on": tomorrow.isoformat(), "giver_resident_name": "李阿姨"}
    response = staff_client.post(reverse("activities:commendation_create"), data)
    assert response.context["form"].errors["received_on"]
    assert 'value="李阿姨"' in response.content.decode() and not Commendation.objects.exists()


def test_it_records_a_commendation_received_today(staff_client):
    data = {"kind": "banner", "received_on": timezone.localdate().isoformat(), "giver_resident_name": "李阿姨"}
    assert staff_client.post(reverse("activities:commendation_create"), data).status_code == 302
