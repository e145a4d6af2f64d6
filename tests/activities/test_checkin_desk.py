"""The sign-in desk as a tester used it: a refused walk-in keeps its name, 签到 is offered only while
sign-in is open (the desk fetches itself again at the opening and at the closing), a walk-in
signed in is listed with its 撤销, and names stay on one line on a phone."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse

from activities import services
from activities.models import Participation
from tests.activities.conftest import NOW
from tests.factories import ResidentFactory

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


def _refresh(content, at="opening"):
    """The hidden element that fetches the desk's results again when sign-in opens (or closes),
    or None."""
    if f'id="checkin-{at}"' not in content:
        return None
    start = content.index(f'id="checkin-{at}"')
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


def test_an_open_desk_does_not_fetch_again_for_the_opening(staff_client, activity):
    assert _refresh(_desk(staff_client, activity, activity.check_in_opens_at)) is None


def test_a_closed_desk_does_not_fetch_again(staff_client, activity):
    content = _desk(staff_client, activity, activity.check_in_closes_at + timedelta(hours=6))
    assert _refresh(content) is None and _refresh(content, "closing") is None


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


# --- the desk left open past the closing greys its 签到 out ---------------------------------


def test_an_open_desk_fetches_its_results_again_when_sign_in_closes(staff_client, activity):
    """Left open at the door 90 s before sign-in closes (midnight after the activity's day), the
    page asks again 91 s later for the results of what is in the search field."""
    refresh = _refresh(_desk(staff_client, activity, activity.check_in_closes_at - timedelta(seconds=90)), "closing")
    assert refresh is not None
    assert 'hx-trigger="load delay:91s"' in refresh and """hx-vals='{"closing": "1"}'""" in refresh
    assert f'hx-get="{reverse("activities:participation_search", args=[activity.pk])}"' in refresh
    assert 'hx-include="#checkin-q"' in refresh and 'hx-target="#checkin-results"' in refresh


def test_a_desk_open_all_day_asks_again_within_the_hour(staff_client, activity, desk_open):
    content = staff_client.get(reverse("activities:participation_checkin", args=[activity.pk])).content.decode()
    assert 'hx-trigger="load delay:3600s"' in _refresh(content, "closing")


def test_the_fetch_at_the_closing_disables_the_rows_and_the_walk_in(staff_client, activity, wang):
    url = reverse("activities:participation_search", args=[activity.pk])
    with time_machine.travel(activity.check_in_closes_at + timedelta(seconds=1), tick=False):
        content = staff_client.get(url, {"q": "王秀英", "closing": "1"}).content.decode()
    assert 'btn-checkin" type="submit" disabled' in content and "签到已结束" in content
    assert _refresh(content, "closing") is None
    walk_in = content[content.index('id="walkin-submit"') :]
    walk_in = walk_in[: walk_in.index(">")]
    assert 'hx-swap-oob="true"' in walk_in and "disabled" in walk_in
    # The notice above the search says why, as on a desk loaded after the closing.
    notice = content[content.index('id="checkin-closed"') :]
    assert 'hx-swap-oob="true"' in notice[: notice.index(">")] and "本活动签到已在活动当天" in notice


def _walk_in_note(content):
    """The walk-in's 签到 button's opening tag and the note under the walk-in field."""
    button = content[content.index('id="walkin-submit"') :]
    note = content[content.index('id="walkin-note"') :]
    return button[: button.index(">")], note[: note.index("</div>")]


def test_a_closed_desk_says_under_the_walk_in_why_its_sign_in_is_greyed_out(staff_client, activity):
    button, note = _walk_in_note(_desk(staff_client, activity, activity.check_in_closes_at + timedelta(hours=6)))
    assert "disabled" in button and 'aria-describedby="walkin-note"' in button
    assert "签到已结束" in note and "hidden" not in note


def test_an_open_desk_has_no_note_under_the_walk_in(staff_client, activity, desk_open):
    button, note = _walk_in_note(_desk(staff_client, activity, desk_open))
    assert "disabled" not in button and "aria-describedby" not in button
    assert " hidden" in note and "签到" not in note


def test_the_fetch_at_the_closing_says_under_the_walk_in_why(staff_client, activity, wang):
    url = reverse("activities:participation_search", args=[activity.pk])
    with time_machine.travel(activity.check_in_closes_at + timedelta(seconds=1), tick=False):
        content = staff_client.get(url, {"q": "王秀英", "closing": "1"}).content.decode()
    button, note = _walk_in_note(content)
    assert 'aria-describedby="walkin-note"' in button
    assert 'hx-swap-oob="true"' in note and "签到已结束" in note and "hidden" not in note


def test_the_fetch_at_the_opening_takes_the_note_under_the_walk_in_away(staff_client, activity, wang):
    url = reverse("activities:participation_search", args=[activity.pk])
    with time_machine.travel(activity.check_in_opens_at + timedelta(seconds=1), tick=False):
        content = staff_client.get(url, {"q": "王秀英", "opening": "1"}).content.decode()
    _, note = _walk_in_note(content)
    assert 'hx-swap-oob="true"' in note and " hidden" in note and "签到" not in note


def test_a_fetch_a_moment_before_the_closing_stays_open_and_asks_again(staff_client, activity, wang):
    url = reverse("activities:participation_search", args=[activity.pk])
    with time_machine.travel(activity.check_in_closes_at - timedelta(seconds=2), tick=False):
        content = staff_client.get(url, {"q": "王秀英", "closing": "1"}).content.decode()
    assert 'btn-checkin" type="submit">' in content
    assert 'hx-trigger="load delay:3s"' in _refresh(content, "closing")
    assert "walkin-submit" not in content and "checkin-closed" not in content


# --- a walk-in signed in is on the desk, with its 撤销 ---------------------------------------


def _undo_form(content, participation):
    return f'hx-post="{reverse("activities:participation_undo", args=[participation.pk])}"' in content


def _walk_in_searched(client, activity, name, query):
    url = reverse("activities:participation_walkin", args=[activity.pk])
    return client.post(url, {"name": name, "q": query}, **HTMX).content.decode()


def test_a_walk_in_signed_in_is_put_at_the_top_of_the_results_with_its_undo(staff_client, activity, desk_open):
    content = _walk_in_searched(staff_client, activity, "赵大爷", "赵大爷")
    walk_in = Participation.objects.get(name="赵大爷")
    listed = content[content.index('<ul hx-swap-oob="afterbegin:#attendees">') :]
    assert f'id="walkin-{walk_in.pk}"' in listed and "赵大爷" in listed and "已签到" in listed
    assert _undo_form(listed, walk_in) and 'hx-target="closest li"' in listed


def test_a_walk_in_signed_in_with_no_search_is_listed_apart_from_those_not_here_yet(
    staff_client, activity, wang, desk_open
):
    """With no search the list is of sign-ups not here yet: a walk-in signed in goes in its own
    list above it, whose heading shows from the first walk-in on."""
    services.sign_up(activity, resident=wang, by=None, now=desk_open)
    page = staff_client.get(reverse("activities:participation_checkin", args=[activity.pk])).content.decode()
    heading = page[page.index('id="arrived-heading"') :]
    assert " hidden" in heading[: heading.index(">")]
    assert page.index('id="arrived"') < page.index('id="attendees"')
    for query in ["", "  "]:
        content = _walk_in_searched(staff_client, activity, f"赵大爷{len(query)}", query)
        assert "afterbegin:#attendees" not in content
        listed = content[content.index('<ul hx-swap-oob="afterbegin:#arrived">') :]
        assert f"赵大爷{len(query)}" in listed and "已签到" in listed
        heading = content[content.index('id="arrived-heading"') :]
        assert 'hx-swap-oob="true"' in heading[: heading.index(">")] and " hidden" not in heading[: heading.index(">")]


def test_the_walk_in_form_sends_the_search_with_the_name(staff_client, activity, desk_open):
    page = staff_client.get(reverse("activities:participation_checkin", args=[activity.pk])).content.decode()
    form = page[page.index('hx-post="' + reverse("activities:participation_walkin", args=[activity.pk])) :]
    assert 'hx-include="#checkin-q"' in form[: form.index(">")]


def test_a_walk_in_refused_or_counted_before_is_not_listed_again(staff_client, activity, desk_open):
    _walk_in(staff_client, activity, "赵大爷", **HTMX)
    assert "afterbegin" not in _walk_in(staff_client, activity, "赵大爷", **HTMX).content.decode()
    assert "afterbegin" not in _walk_in(staff_client, activity, "张阿姨 13900001111", **HTMX).content.decode()


def test_a_walk_in_signed_in_is_found_by_name_at_the_desk(staff_client, activity, wang, desk_open):
    walk_in = services.check_in(activity, name="赵大爷", by=None, now=desk_open)
    url = reverse("activities:participation_search", args=[activity.pk])
    content = staff_client.get(url, {"q": "赵"}).content.decode()
    assert f'id="walkin-{walk_in.pk}"' in content and _undo_form(content, walk_in)
    assert "walkin-" not in staff_client.get(url, {"q": "王秀英"}).content.decode()


def test_a_walk_in_signed_in_is_found_by_its_pinyin_initials_at_the_desk(staff_client, activity, wang, desk_open):
    walk_in = services.check_in(activity, name="赵大爷", by=None, now=desk_open)
    url = reverse("activities:participation_search", args=[activity.pk])
    for query in ["zdy", "ZD", " z "]:
        content = staff_client.get(url, {"q": query}).content.decode()
        assert f'id="walkin-{walk_in.pk}"' in content and _undo_form(content, walk_in)
    assert "walkin-" not in staff_client.get(url, {"q": "wxy"}).content.decode()


def test_a_walk_in_taken_back_is_not_found_by_its_initials(staff_client, activity, desk_open):
    services.check_in(activity, name="赵大爷", by=None, now=desk_open).undo_check_in()
    url = reverse("activities:participation_search", args=[activity.pk])
    assert "walkin-" not in staff_client.get(url, {"q": "zdy"}).content.decode()


def test_taking_back_a_walk_in_at_the_desk_answers_with_its_row(staff_client, activity, desk_open):
    walk_in = services.check_in(activity, name="赵大爷", by=None, now=desk_open)
    response = staff_client.post(reverse("activities:participation_undo", args=[walk_in.pk]), **HTMX)
    content = response.content.decode()
    assert response.status_code == 200 and not Participation.objects.exists()
    assert f'id="walkin-{walk_in.pk}"' in content and "已撤销赵大爷的签到" in content
    assert 'data-present="0"' in content and "已签到" not in content and "<form" not in content


# --- a resident typed as a walk-in is not counted twice --------------------------------------


def test_a_walk_in_named_as_a_resident_is_not_signed_in_at_once(staff_client, activity, wang, desk_open):
    content = _walk_in(staff_client, activity, "王秀英", **HTMX).content.decode()
    assert not Participation.objects.exists()
    warning = content[content.index('class="alert alert-warning') : content.index("</div>")]
    assert "王秀英" in warning and "3号楼2单元501" in warning  # where the resident lives, to tell them apart
    # The resident's row with its own 签到, as a search for the name shows it, and the name kept.
    results = content[content.index('id="checkin-results" hx-swap-oob="innerHTML"') :]
    assert f'id="attendee-{wang.pk}"' in results and 'btn-checkin" type="submit">' in results
    assert 'id="checkin-q"' in content and 'value="王秀英"' in content
    field = content[content.index('id="id_name"') :]
    assert 'value="王秀英"' in field[: field.index(">")] and "is-invalid" not in field[: field.index(">")]


def test_a_walk_in_named_as_a_resident_signs_in_when_pressed_again(staff_client, activity, wang, desk_open):
    content = _walk_in(staff_client, activity, "王秀英", **HTMX).content.decode()
    assert 'name="confirm" id="walkin-confirm" value="王秀英"' in content
    url = reverse("activities:participation_walkin", args=[activity.pk])
    staff_client.post(url, {"name": "王秀英", "confirm": "王秀英"}, **HTMX)
    walk_in = Participation.objects.get()
    assert walk_in.resident is None and walk_in.name == "王秀英"


def test_a_confirmation_for_another_name_does_not_carry_over(staff_client, activity, wang, desk_open):
    url = reverse("activities:participation_walkin", args=[activity.pk])
    staff_client.post(url, {"name": "王秀英", "confirm": "赵大爷"}, **HTMX)
    assert not Participation.objects.exists()


def test_a_resident_of_another_community_does_not_stop_a_walk_in(staff_client, activity, desk_open, other_community):
    ResidentFactory(community=other_community, name="赵大爷")
    _walk_in(staff_client, activity, "赵大爷", **HTMX)
    assert Participation.objects.get().name == "赵大爷"


def test_a_walk_in_named_as_a_resident_asks_without_htmx_too(staff_client, activity, wang, desk_open):
    response = _walk_in(staff_client, activity, "王秀英")
    content = response.content.decode()
    assert response.status_code == 200 and not Participation.objects.exists()
    assert "3号楼2单元501" in content[content.index('id="walkin-result"') :] and f'id="attendee-{wang.pk}"' in content
    assert 'name="confirm" id="walkin-confirm" value="王秀英"' in content
    staff_client.post(
        reverse("activities:participation_walkin", args=[activity.pk]), {"name": "王秀英", "confirm": "王秀英"}
    )
    assert Participation.objects.get().resident is None


# --- a search that finds nobody fills the walk-in field --------------------------------------


def _search(client, activity, q, **walk_in_field):
    return client.get(reverse("activities:participation_search", args=[activity.pk]), {"q": q, **walk_in_field})


def _walk_in_field(content):
    if 'id="id_name"' not in content:
        return None
    field = content[content.index('id="id_name"') :]
    return field[: field.index(">")]


def test_a_search_that_finds_nobody_fills_the_walk_in_field(staff_client, activity, wang, desk_open):
    content = _search(staff_client, activity, "  赵大爷 ", name="", filled="").content.decode()
    field = _walk_in_field(content)
    assert 'value="赵大爷"' in field and 'hx-swap-oob="true"' in field and "is-invalid" not in field
    assert 'id="walkin-filled" value="赵大爷" hx-swap-oob="true"' in content


def test_a_search_that_finds_nobody_keeps_what_the_worker_typed_there(staff_client, activity, wang, desk_open):
    assert _walk_in_field(_search(staff_client, activity, "赵大爷", name="赵大妈", filled="").content.decode()) is None


def test_a_search_replaces_the_name_it_put_there_itself(staff_client, activity, wang, desk_open):
    content = _search(staff_client, activity, "赵大爷x", name="赵大爷", filled="赵大爷").content.decode()
    assert 'value="赵大爷x"' in _walk_in_field(content)
    # Found somebody: the name the search put there goes.
    content = _search(staff_client, activity, "王秀英", name="赵大爷", filled="赵大爷").content.decode()
    assert 'value=""' in _walk_in_field(content)


def test_a_search_that_finds_somebody_leaves_an_empty_walk_in_field_alone(staff_client, activity, wang, desk_open):
    assert _walk_in_field(_search(staff_client, activity, "王秀英", name="", filled="").content.decode()) is None


def test_the_search_sends_the_walk_in_field_with_it(staff_client, activity, desk_open):
    page = staff_client.get(reverse("activities:participation_checkin", args=[activity.pk])).content.decode()
    search = page[page.index('id="checkin-q"') :]
    assert 'hx-include="#id_name, #walkin-filled"' in search[: search.index(">")]
