"""Labels and help texts say what they mean, in the page's language."""

from datetime import timedelta
from types import SimpleNamespace

import time_machine
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from issues.forms import CallbackForm


def test_the_rates_help_says_cases_not_yet_due_are_left_out_of_the_response_rate(staff_client, make_case):
    """未到时限: not contacted with hours left, shown as "not due yet" in the table and left out
    of the 响应率's denominator, which the help text did not say."""
    case = make_case()  # 2026-11-30 8:00, to respond within 24 hours
    staff_client.cookies["django_language"] = "en"
    with time_machine.travel(case.dispatched_at + timedelta(hours=2), tick=False):
        content = staff_client.get(reverse("issues:hotline_rates"), {"month": "2026-11"}).content.decode()
    table = content.split('id="rate-cases"')[1]
    assert "not due yet" in table
    assert (
        "Cases not yet contacted whose response deadline has not passed (“not due yet” in the table below)"
        " are left out of the response rate." in content
    )


def test_the_callback_form_asks_how_the_resident_was_called_back():
    """The choice is phone / visit / WeChat…: the field is the way (回访方式), not "Called back"."""
    with translation.override("en"):
        assert str(CallbackForm()["method"].label) == "Callback by"
    with translation.override("zh-hans"):
        assert str(CallbackForm()["method"].label) == "回访方式"


def suggestions(language):
    context = {
        "suggested_category": None,
        "place": SimpleNamespace(room=None, building=None, text=""),
        "reporter": SimpleNamespace(name="王阿姨", room=SimpleNamespace(label="3-2-501")),
        "similar": [],
    }
    with translation.override(language):
        return render_to_string("issues/partials/suggestions.html", context)


def test_the_suggested_residents_room_is_in_ascii_brackets_on_an_english_page():
    html = suggestions("en")
    assert "Resident: 王阿姨 (3-2-501)" in html
    assert "（" not in html
