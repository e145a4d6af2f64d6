"""The status badge at the top of an item follows a timeline entry added with HTMX."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone


def oob_badge(response) -> str:
    body = response.content.decode()
    start = body.index('<span id="issue-status" hx-swap-oob="true">')
    return body[start : body.index("</span>", start)]


def test_it_sends_the_new_status_badge_with_a_promise_added_on_the_timeline(staff_client, log, police):
    issue = log(settle={"method": "to_police", "partner": police.partner, "partner_contact": police})
    response = staff_client.post(
        reverse("issues:followup_create", args=[issue.pk]),
        {
            "kind": "promise",
            "note": "刘警官答应周五前处理",
            "partner_contact": police.pk,
            "promised_date": (timezone.localdate() + timedelta(days=3)).isoformat(),
        },
        HTTP_HX_REQUEST="true",
    )
    assert "等待对接方" in oob_badge(response)


def test_it_shows_one_status_badge_on_the_full_page(staff_client, log):
    issue = log()
    body = staff_client.get(reverse("issues:issue_detail", args=[issue.pk])).content.decode()
    assert body.count('id="issue-status"') == 1
    assert "hx-swap-oob" not in body
