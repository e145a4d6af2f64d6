"""An activity, a volunteer, a photo, a commendation or a notice recorded by mistake can be
deleted: by editors only, with a confirmation, by POST, written into the admin's history; another
community's is a 404. An activity's confirmation says what goes with it."""

from decimal import Decimal

import pytest
from django.contrib.admin.models import DELETION, LogEntry
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from activities.models import Activity, ActivityPhoto, Commendation, Notice, ParticipantRole, Participation
from tests.activities.conftest import png_bytes
from tests.factories import ActivityFactory, CommendationFactory, NoticeFactory, ParticipationFactory


@pytest.fixture
def volunteer(activity):
    return ParticipationFactory(
        activity=activity, resident=None, name="志愿者小李", role=ParticipantRole.VOLUNTEER, hours=Decimal("1.5")
    )


@pytest.fixture
def photo(activity):
    return ActivityPhoto.objects.create(
        activity=activity,
        file=SimpleUploadedFile("sheet.png", png_bytes()),
        thumbnail=SimpleUploadedFile("sheet_thumb.png", png_bytes()),
        content_type="image/png",
        size=100,
    )


@pytest.fixture
def commendation(community):
    return CommendationFactory(community=community)


@pytest.fixture
def notice(community):
    return NoticeFactory(community=community)


DELETES = {
    "activity": ("activities:activity_delete", Activity),
    "volunteer": ("activities:participation_delete", Participation),
    "photo": ("activities:activityphoto_delete", ActivityPhoto),
    "commendation": ("activities:commendation_delete", Commendation),
    "notice": ("activities:notice_delete", Notice),
}


def _delete_url(request, kind):
    name, model = DELETES[kind]
    record = request.getfixturevalue(kind)
    return reverse(name, args=[record.pk]), model, record


@pytest.mark.parametrize("kind", DELETES)
def test_it_deletes_for_an_editor_and_writes_the_history(client, request, staff, kind):
    url, model, record = _delete_url(request, kind)
    client.force_login(staff)
    assert client.post(url).status_code == 302
    assert not model.objects.filter(pk=record.pk).exists()
    entry = LogEntry.objects.get(object_id=str(record.pk), content_type__model=model._meta.model_name)
    assert entry.user == staff and entry.action_flag == DELETION


@pytest.mark.parametrize("kind", DELETES)
def test_it_gives_404_to_another_communitys_editor(client, request, outsider, kind):
    url, model, record = _delete_url(request, kind)
    client.force_login(outsider)
    assert client.post(url).status_code == 404
    assert model.objects.filter(pk=record.pk).exists()


@pytest.mark.parametrize("kind", DELETES)
def test_it_refuses_the_street_viewer(client, request, viewer, kind):
    url, model, record = _delete_url(request, kind)
    client.force_login(viewer)
    assert client.post(url).status_code == 403
    assert model.objects.filter(pk=record.pk).exists()


@pytest.mark.parametrize("kind", DELETES)
def test_it_deletes_nothing_on_get(client, request, staff, kind):
    url, model, record = _delete_url(request, kind)
    client.force_login(staff)
    assert client.get(url).status_code == 405
    assert model.objects.filter(pk=record.pk).exists()


def test_it_says_what_goes_with_an_activity_before_deleting_it(staff_client, activity, volunteer, now):
    for _n in range(2):
        ParticipationFactory(activity=activity, checked_in_at=now)
    Participation.objects.filter(pk=volunteer.pk).update(checked_in_at=now)
    staff_client.cookies["django_language"] = "en"
    confirm = staff_client.get(activity.get_absolute_url()).context["delete_confirm"]
    # Three present (the volunteer is), one volunteer who served 1.5 hours.
    assert "3 sign-ins" in confirm and "1 volunteer with 1.5 hours" in confirm


def test_it_deletes_an_activitys_sign_ins_volunteers_and_photo_files_with_it(
    staff_client, activity, volunteer, photo, django_capture_on_commit_callbacks
):
    stored = photo.file.storage
    names = [photo.file.name, photo.thumbnail.name]
    with_photo_files = [stored.exists(name) for name in names]
    with django_capture_on_commit_callbacks(execute=True):
        staff_client.post(reverse("activities:activity_delete", args=[activity.pk]))
    assert with_photo_files == [True, True]
    assert not Participation.objects.exists() and not ActivityPhoto.objects.exists()
    assert not any(stored.exists(name) for name in names)


def test_it_keeps_the_activity_when_its_volunteer_is_deleted(staff_client, activity, volunteer):
    response = staff_client.post(reverse("activities:participation_delete", args=[volunteer.pk]))
    assert response["Location"].endswith(f"{activity.get_absolute_url()}#volunteers")
    assert Activity.objects.filter(pk=activity.pk).exists()


def test_it_deletes_only_volunteers_from_the_volunteer_list(staff_client, activity, now):
    walk_in = ParticipationFactory(activity=activity, resident=None, name="来访居民", checked_in_at=now)
    assert staff_client.post(reverse("activities:participation_delete", args=[walk_in.pk])).status_code == 404
    assert Participation.objects.filter(pk=walk_in.pk).exists()


def test_it_offers_delete_buttons_with_a_confirmation_to_editors_only(client, staff, viewer, activity, volunteer):
    client.force_login(staff)
    page = client.get(activity.get_absolute_url()).content.decode()
    assert reverse("activities:activity_delete", args=[activity.pk]) in page
    assert reverse("activities:participation_delete", args=[volunteer.pk]) in page
    assert page.count("data-confirm=") >= 2
    client.force_login(viewer)
    page = client.get(activity.get_absolute_url()).content.decode()
    assert reverse("activities:activity_delete", args=[activity.pk]) not in page


@pytest.mark.parametrize("rows", [5, 50])
def test_it_shows_the_activity_page_with_its_delete_in_few_queries(
    staff_client, activity, rows, now, django_assert_max_num_queries
):
    for n in range(rows):
        ParticipationFactory(
            activity=activity,
            resident=None,
            name=f"志愿者{n}",
            role=ParticipantRole.VOLUNTEER,
            hours=1,
            checked_in_at=now,
        )
    with django_assert_max_num_queries(12):
        assert staff_client.get(activity.get_absolute_url()).status_code == 200


def test_it_keeps_other_activities_when_one_is_deleted(staff_client, community, activity):
    other = ActivityFactory(community=community)
    staff_client.post(reverse("activities:activity_delete", args=[activity.pk]))
    assert list(Activity.objects.all()) == [other]


def test_a_task_linked_to_a_deleted_activity_keeps_its_title_and_loses_the_link(staff_client, community, activity):
    """A 晨会 task's link is generic (no foreign key): deleting the activity left it pointing at
    nothing, and the board read no title for it."""
    from issues.models.task import Task
    from tests.factories import TaskFactory

    task = TaskFactory(community=community, title="布置展板", link=activity)
    staff_client.post(reverse("activities:activity_delete", args=[activity.pk]))
    task.refresh_from_db()
    assert (task.title, task.link_type_id, task.link_id) == ("布置展板", None, None)
    assert Task.objects.filter(pk=task.pk).exists()
