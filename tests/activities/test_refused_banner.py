"""A refused form on the activity page says why at the top of the page, where a phone's screen is
(the volunteer and photo forms are at its foot there), and keeps what was typed."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from activities.models import ActivityPhoto, Participation


def _banner(response) -> str:
    content = response.content.decode()
    return content[content.index('id="messages"') : content.index('id="volunteers"')]


def test_it_says_at_the_top_of_the_page_why_a_volunteer_was_not_recorded(staff_client, activity):
    url = reverse("activities:participation_volunteer", args=[activity.pk])
    response = staff_client.post(url, {"name": "", "volunteer_role": "签到", "hours": "abc"})
    banner = _banner(response)
    assert not Participation.objects.exists()
    assert 'class="alert alert-danger' in banner and 'role="alert"' in banner
    assert "请填写志愿者姓名。" in banner and "“abc”" in banner
    assert 'value="abc"' in response.content.decode() and 'value="签到"' in response.content.decode()


def test_it_says_at_the_top_of_the_page_why_photos_were_not_uploaded(staff_client, activity):
    url = reverse("activities:activityphoto_create", args=[activity.pk])
    fake = SimpleUploadedFile("sheet.jpg", b"not a photo at all", content_type="image/jpeg")
    response = staff_client.post(url, {"photos": fake, "caption": "签到表"})
    banner = _banner(response)
    assert not ActivityPhoto.objects.exists()
    assert 'class="alert alert-danger' in banner and "这不是照片" in banner
    assert 'value="签到表"' in response.content.decode()
