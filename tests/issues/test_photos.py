"""Photos are opened with a pixel limit, re-encoded without metadata, renamed and thumbnailed."""

from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from activities import services as activity_services
from activities.models import Commendation
from issues import services
from issues.models.timeline import Attachment
from tests.factories import ActivityFactory

ORIENTATION = 0x0112
GPS_IFD = 0x8825


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def jpeg_with_exif(size=(40, 20), orientation=1) -> bytes:
    """A camera JPEG with GPS coordinates, a camera model and an orientation tag."""
    exif = Image.Exif()
    exif[ORIENTATION] = orientation
    exif[0x0110] = "Phone X"
    exif.get_ifd(GPS_IFD).update({1: "N", 2: (39.0, 54.0, 27.0), 3: "E", 4: (116.0, 23.0, 17.0)})
    buffer = BytesIO()
    Image.new("RGB", size, "blue").save(buffer, "JPEG", exif=exif)
    return buffer.getvalue()


def png(size=(8, 8), mode="RGB") -> bytes:
    buffer = BytesIO()
    Image.new(mode, size).save(buffer, "PNG")
    return buffer.getvalue()


def attach(issue, by, now, content, name="p.jpg", content_type="image/jpeg"):
    services.add_followup(issue, by=by, now=now, kind="photo", photos=[SimpleUploadedFile(name, content, content_type)])
    return Attachment.objects.get()


@pytest.fixture
def issue(log):
    return log("5号楼楼道灯坏了")


def opened(field_file) -> Image.Image:
    with field_file.open("rb") as f:
        image = Image.open(BytesIO(f.read()))
        image.load()
        return image


def test_it_stores_a_photo_without_exif_or_gps(issue, secretary, now):
    assert Image.open(BytesIO(jpeg_with_exif())).getexif()  # the upload carries EXIF
    stored = opened(attach(issue, secretary, now, jpeg_with_exif()).file)
    assert not stored.getexif()
    assert "exif" not in stored.info


def test_it_applies_the_exif_orientation(issue, secretary, now):
    stored = opened(attach(issue, secretary, now, jpeg_with_exif(size=(40, 20), orientation=6)).file)
    assert stored.size == (20, 40)


def test_it_stores_the_photo_under_a_random_name(issue, secretary, now):
    attachment = attach(issue, secretary, now, png(), name="poly.html", content_type="text/html")
    assert "poly" not in attachment.file.name
    assert attachment.file.name.endswith(".png")
    assert attachment.content_type == "image/png"


def test_it_keeps_a_thumbnail_of_at_most_800_pixels_beside_the_original(issue, secretary, now):
    attachment = attach(issue, secretary, now, jpeg_with_exif(size=(2000, 1000)))
    assert opened(attachment.file).size == (2000, 1000)
    assert opened(attachment.thumbnail).size == (800, 400)
    assert attachment.thumbnail.name.rsplit("/", 1)[0] == attachment.file.name.rsplit("/", 1)[0]


def test_it_refuses_a_photo_between_40_and_80_megapixels(staff_client):
    photo = SimpleUploadedFile("big.png", png(size=(7000, 7000), mode="1"), "image/png")
    response = staff_client.post(
        reverse("issues:issue_create"), {"channel": "wechat", "text": "灯坏了", "urgency": "normal", "photos": photo}
    )
    assert "照片像素过大" in str(response.context["form"].errors["photos"])


def test_it_serves_the_thumbnail_on_the_page_and_the_original_behind_a_click(client, secretary, issue, now):
    attachment = attach(issue, secretary, now, jpeg_with_exif(size=(2000, 1000)))
    client.force_login(secretary)
    url = reverse("issues:attachment_file", args=[attachment.pk])
    page = client.get(reverse("issues:issue_detail", args=[issue.pk])).content.decode()
    assert f'<a href="{url}"' in page and f'src="{url}?size=thumb"' in page
    thumb = Image.open(BytesIO(b"".join(client.get(url, {"size": "thumb"}).streaming_content)))
    full = Image.open(BytesIO(b"".join(client.get(url).streaming_content)))
    assert (thumb.size, full.size) == ((800, 400), (2000, 1000))


def test_it_gives_404_for_another_communitys_thumbnail(client, outsider, secretary, issue, now):
    attachment = attach(issue, secretary, now, jpeg_with_exif())
    client.force_login(outsider)
    url = reverse("issues:attachment_file", args=[attachment.pk])
    assert client.get(url, {"size": "thumb"}).status_code == 404


def test_it_re_encodes_activity_photos_with_a_thumbnail(community, secretary):
    activity = ActivityFactory(community=community)
    upload = SimpleUploadedFile("a.jpg", jpeg_with_exif(size=(1600, 1200)), "image/jpeg")
    photo = activity_services.add_photos(activity, by=secretary, photos=[upload])[0]
    assert not opened(photo.file).getexif()
    assert opened(photo.thumbnail).size == (800, 600)


def test_it_re_encodes_a_commendation_photo_with_a_thumbnail(client, secretary):
    client.force_login(secretary)
    upload = SimpleUploadedFile("poly.html", jpeg_with_exif(size=(1600, 800)), "text/html")
    data = {"kind": "banner", "received_on": "2026-11-30", "giver_resident_name": "王阿姨一家", "photo_upload": upload}
    assert client.post(reverse("activities:commendation_create"), data).status_code == 302
    commendation = Commendation.objects.get()
    assert "poly" not in commendation.photo.name
    assert not opened(commendation.photo).getexif()
    assert opened(commendation.photo_thumbnail).size == (800, 400)
