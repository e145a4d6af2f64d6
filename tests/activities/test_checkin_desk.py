"""The sign-in desk as a tester used it: a refused walk-in keeps its name, 签到 is offered only while
sign-in is open, and names stay on one line on a phone."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse

from activities import services
from activities.models import Participation
from tests.activities.conftest import NOW

HTMX = {"HTTP_HX_REQUEST": "true"}


def _walk_in(client, activity, name, **headers):
    return client.post(reverse("activities:participation_walkin", args=[activity.pk]), {"name": name}, **headers)


def test_it_keeps_a_refused_walk_ins_name_in_the_field(staff_client, activity, desk_open):
    content = _walk_in(staff_client, activity, "张阿姨 13900001111", **HTMX).content.decode()
    assert "只填姓名" in content
    assert 'id="id_name"' in content and 'value="张阿姨 13900001111"' in content and 'hx-swap-oob="true"' in content
    assert (
        "data-reset-after-request"
        not in staff_client.get(reverse("activities:participation_checkin", args=[activity.pk])).content.decode()
    )


def test_it_keeps_a_walk_ins_name_refused_outside_the_sign_in_hours(staff_client, activity):
    with time_machine.travel(NOW.replace(day=5, hour=0, minute=5), tick=False):
        content = _walk_in(staff_client, activity, "赵大爷", **HTMX).content.decode()
    assert 'value="赵大爷"' in content and not Participation.objects.exists()


def test_it_empties_the_field_after_a_walk_in_signs_in(staff_client, activity, desk_open):
    content = _walk_in(staff_client, activity, "赵大爷", **HTMX).content.decode()
    assert 'id="id_name"' in content and 'value=""' in content


def test_it_keeps_a_refused_walk_ins_name_without_htmx(staff_client, activity, desk_open):
    response = _walk_in(staff_client, activity, "张阿姨 13900001111")
    content = response.content.decode()
    assert response.status_code == 400
    assert 'value="张阿姨 13900001111"' in content and "只填姓名" in content


def test_it_disables_sign_in_before_it_opens_and_says_when(staff_client, activity, wang):
    services.sign_up(activity, resident=wang, by=None, now=activity.starts_at - timedelta(days=1))
    with time_machine.travel(activity.starts_at - timedelta(hours=3), tick=False):
        content = staff_client.get(reverse("activities:participation_checkin", args=[activity.pk])).content.decode()
    row = content[content.index(f'id="attendee-{wang.pk}"') :]
    button = row[row.index('class="btn btn-success btn-checkin"') :]
    assert button[: button.index(">")].count("disabled") == 1
    assert f'id="checkin-note-{wang.pk}"' in row and "12月4日 07:30" in row


def test_it_disables_sign_in_in_search_results_before_it_opens(staff_client, activity, wang):
    url = reverse("activities:participation_search", args=[activity.pk])
    with time_machine.travel(activity.starts_at - timedelta(hours=3), tick=False):
        content = staff_client.get(url, {"q": "王秀英"}).content.decode()
    assert 'btn-checkin" type="submit" disabled' in content


def test_it_offers_sign_in_while_it_is_open(staff_client, activity, wang, desk_open):
    url = reverse("activities:participation_search", args=[activity.pk])
    content = staff_client.get(url, {"q": "王秀英"}).content.decode()
    assert 'btn-checkin" type="submit">' in content and "checkin-note" not in content


@pytest.mark.parametrize("page", ["desk", "activity", "hours"])
def test_it_keeps_names_on_one_line(staff_client, activity, wang, desk_open, page):
    """On a 390 px phone names wrapped one character a line: each name is text-nowrap."""
    services.sign_up(activity, resident=wang, by=None, now=desk_open)
    services.record_volunteer(activity, resident=wang, by=None, now=desk_open, volunteer_role="摄影")
    url = {
        "desk": reverse("activities:participation_checkin", args=[activity.pk]) + "?q=王秀英",
        "activity": activity.get_absolute_url(),
        "hours": reverse("activities:volunteer_hours"),
    }[page]
    content = staff_client.get(url).content.decode()
    assert '<span class="text-nowrap">王秀英</span>' in content or 'text-nowrap">王秀英<' in content


def _desk(client, activity, at):
    with time_machine.travel(at, tick=False):
        return client.get(reverse("activities:participation_checkin", args=[activity.pk])).content.decode()


def _refresh(content):
    """The hidden element that fetches the desk's results again when sign-in opens, or None."""
    if 'id="checkin-opening"' not in content:
        return None
    start = content.index('id="checkin-opening"')
    return content[start : content.index(">", start)]


def test_a_desk_opened_early_fetches_its_results_again_when_sign_in_opens(staff_client, activity):
    """Opened at the door 90 s before sign-in opens, the page asks again 91 s later (one second
    late rather than early) for the results of what is in the search field."""
    refresh = _refresh(_desk(staff_client, activity, activity.check_in_opens_at - timedelta(seconds=90)))
    assert refresh is not None
    assert 'hx-trigger="load delay:91s"' in refresh
    assert f'hx-get="{reverse("activities:participation_search", args=[activity.pk])}"' in refresh
    assert 'hx-include="#checkin-q"' in refresh and 'hx-target="#checkin-results"' in refresh


def test_a_desk_opened_days_early_asks_again_within_the_hour(staff_client, activity):
    """A browser timer of weeks overflows and fires at once; a sleeping phone loses it."""
    refresh = _refresh(_desk(staff_client, activity, activity.check_in_opens_at - timedelta(days=30)))
    assert 'hx-trigger="load delay:3600s"' in refresh


@pytest.mark.parametrize("after", [timedelta(0), timedelta(hours=30)])
def test_an_open_or_closed_desk_does_not_fetch_again(staff_client, activity, after):
    assert _refresh(_desk(staff_client, activity, activity.check_in_opens_at + after)) is None


def test_the_fetch_at_the_opening_enables_the_rows_and_the_walk_in(staff_client, activity, wang):
    url = reverse("activities:participation_search", args=[activity.pk])
    with time_machine.travel(activity.check_in_opens_at + timedelta(seconds=1), tick=False):
        content = staff_client.get(url, {"q": "王秀英", "opening": "1"}).content.decode()
    assert 'btn-checkin" type="submit">' in content and "checkin-note" not in content
    assert _refresh(content) is None
    walk_in = content[content.index('id="walkin-submit"') :]
    walk_in = walk_in[: walk_in.index(">")]
    assert 'hx-swap-oob="true"' in walk_in and "disabled" not in walk_in
    # The "opens at 07:30, nobody can be signed in yet" notice above the search goes.
    assert '<div id="checkin-closed" hidden hx-swap-oob="true"></div>' in content


def test_a_fetch_a_moment_early_stays_disabled_and_asks_again(staff_client, activity, wang):
    url = reverse("activities:participation_search", args=[activity.pk])
    with time_machine.travel(activity.check_in_opens_at - timedelta(seconds=2), tick=False):
        content = staff_client.get(url, {"q": "王秀英", "opening": "1"}).content.decode()
    assert 'btn-checkin" type="submit" disabled' in content
    assert 'hx-trigger="load delay:3s"' in _refresh(content)
    assert "walkin-submit" not in content and "checkin-closed" not in content


def test_a_search_while_typing_leaves_the_walk_in_alone(staff_client, activity, wang, desk_open):
    url = reverse("activities:participation_search", args=[activity.pk])
    content = staff_client.get(url, {"q": "王秀英"}).content.decode()
    assert "walkin-submit" not in content and "checkin-closed" not in content


@pytest.mark.parametrize("name", ["赵大爷", "张阿姨 13900001111"])
def test_the_walk_in_field_takes_the_cursor_back_after_each_name(staff_client, activity, desk_open, name):
    """Signed in or refused, the next name is typed straight away: htmx focuses the swapped-in
    field marked autofocus."""
    content = _walk_in(staff_client, activity, name, **HTMX).content.decode()
    field = content[content.index('<input type="text" name="name" id="id_name"') :]
    assert " autofocus" in field[: field.index(">")]


def test_the_desk_page_focuses_the_search_unless_a_walk_in_was_refused(staff_client, activity, desk_open):
    page = staff_client.get(reverse("activities:participation_checkin", args=[activity.pk])).content.decode()
    assert page.count(" autofocus") == 1 and 'id="checkin-q"' in page[: page.index(" autofocus") + 200]
    refused = _walk_in(staff_client, activity, "张阿姨 13900001111").content.decode()
    assert refused.count(" autofocus") == 1
    field = refused[refused.index('id="id_name"') :]
    assert " autofocus" in field[: field.index(">")]
