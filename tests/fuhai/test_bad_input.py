"""The audit's 500s from ordinary mistakes: each now answers the form again or a 4xx, with a message."""

from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from activities.models import ActivityPhoto, Commendation
from issues.models.issue import Issue
from tests.factories import ActivityFactory, IssueFactory


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def client_in(client):
    def as_user(user, language="zh-hans"):
        client.force_login(user)
        client.cookies["django_language"] = language
        return client

    return as_user


def bomb_png() -> bytes:
    """A tiny PNG whose header claims 30000×30000 pixels."""
    buffer = BytesIO()
    Image.new("1", (30000, 30000)).save(buffer, "PNG")
    return buffer.getvalue()


def test_it_ignores_a_category_that_is_not_a_number_while_typing(client_in, staff):
    response = client_in(staff).get(reverse("issues:issue_suggest"), {"text": "楼道灯坏了", "category": "abc"})
    assert response.status_code == 200


def test_it_shows_the_form_again_for_a_category_that_is_not_a_number(client_in, staff):
    response = client_in(staff).post(
        reverse("issues:issue_create"),
        {"channel": "wechat", "text": "楼道灯坏了", "category": "abc", "urgency": "normal"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["category"]
    assert not Issue.objects.exists()


def test_it_shows_the_form_again_when_the_repeat_target_is_not_a_number(client_in, staff):
    response = client_in(staff).post(
        reverse("issues:issue_create"),
        {"channel": "wechat", "text": "楼道灯坏了", "same_as": "abc", "urgency": "normal"},
    )
    assert response.status_code == 200
    assert "没有找到要合并的事项" in response.content.decode()
    assert not Issue.objects.exists()


def test_it_says_in_english_that_the_repeat_target_was_not_found(client_in, staff):
    response = client_in(staff, "en").post(
        reverse("issues:issue_create"), {"channel": "wechat", "text": "lamp", "same_as": "abc", "urgency": "normal"}
    )
    assert "The item to add this report to was not found" in response.content.decode()


def test_it_gives_404_for_a_repeat_target_of_another_community(client_in, staff, other_community):
    theirs = IssueFactory(community=other_community)
    response = client_in(staff).post(
        reverse("issues:issue_create"),
        {"channel": "wechat", "text": "楼道灯坏了", "same_as": str(theirs.pk), "urgency": "normal"},
    )
    assert response.status_code == 404


def test_it_searches_check_in_with_a_nul_byte(client_in, staff, community):
    activity = ActivityFactory(community=community)
    for name in ("participation_checkin", "participation_search"):
        response = client_in(staff).get(reverse(f"activities:{name}", args=[activity.pk]), {"q": "王\x00"})
        assert response.status_code == 200


def test_it_shows_the_wall_of_honour_for_an_impossible_year(client_in, staff):
    response = client_in(staff).get(reverse("activities:commendation_list"), {"year": "99999999999999999999"})
    assert response.status_code == 200


def test_it_asks_who_gave_a_commendation(client_in, secretary):
    response = client_in(secretary).post(
        reverse("activities:commendation_create"),
        {"kind": "banner", "received_on": "2026-11-30", "inscription": "为民"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["giver_resident_name"] == ["请填写赠送人。"]
    assert not Commendation.objects.exists()


def test_it_refuses_a_photo_that_claims_too_many_pixels(client_in, staff):
    photo = SimpleUploadedFile("bomb.png", bomb_png(), content_type="image/png")
    response = client_in(staff).post(
        reverse("issues:issue_create"),
        {"channel": "wechat", "text": "楼道灯坏了", "urgency": "normal", "photos": [photo]},
    )
    assert response.status_code == 200
    assert "照片像素过大" in str(response.context["form"].errors["photos"])
    assert not Issue.objects.exists()


def test_it_refuses_an_activity_photo_that_claims_too_many_pixels(client_in, staff, community):
    activity = ActivityFactory(community=community)
    photo = SimpleUploadedFile("bomb.png", bomb_png(), content_type="image/png")
    response = client_in(staff).post(
        reverse("activities:activityphoto_create", args=[activity.pk]), {"photos": [photo]}
    )
    assert response.status_code == 200
    assert not ActivityPhoto.objects.exists()


# --- found by the fuzz test (tests/fuhai/test_fuzz.py) ---------------------------------------


def test_it_goes_home_after_switching_community_with_a_bare_word_as_next(client_in, secretary, community):
    response = client_in(secretary).post(reverse("community_switch", args=[community.pk]), {"next": "abc"})
    assert response.status_code == 302
    assert response.url == reverse("home")


def test_it_asks_again_for_a_board_link_label_that_is_only_a_nul_byte(client_in, secretary):
    response = client_in(secretary).post(reverse("board_links"), {"label": "\x00"})
    assert response.status_code == 400
    assert "请写明在哪里使用" in response.content.decode()


def test_it_suggests_while_typing_a_nul_byte_in_any_box(client_in, staff):
    junk = {"text": "楼道\x00灯坏了", "place": "3-2\x00", "reporter_name": "王\x00"}
    assert client_in(staff).get(reverse("issues:issue_suggest"), junk).status_code == 200


def test_it_shows_the_quick_entry_again_for_a_nul_byte_in_the_text(client_in, staff):
    data = {"channel": "wechat", "text": "楼道\x00灯坏了", "place": "3-2\x00", "urgency": "normal"}
    response = client_in(staff).post(reverse("issues:issue_create"), data)
    assert response.status_code == 200
    assert not Issue.objects.exists()


def test_it_searches_everything_for_a_nul_byte(client_in, staff):
    for params in ({"q": "\x00"}, {"q": "王\x00", "suggest": "1"}):
        assert client_in(staff).get(reverse("search"), params).status_code == 200
