"""The status badge: it follows a timeline entry added with HTMX, in the language of each request."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone, translation

from issues.models.choices import IssueStatus
from issues.models.issue import Issue
from issues.templatetags.issues_tags import status_badge


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


def test_the_status_badge_speaks_the_language_of_each_request_not_the_first():
    """The badge is rendered once per state and language (issues_tags.status_badge): a page in
    English after one in Chinese still says the state in English, and back again."""
    waiting = Issue(status=IssueStatus.WAITING)
    shown = []
    for language in ("zh-hans", "en", "zh-hans"):
        with translation.override(language):
            shown.append(status_badge(waiting))
    chinese = '<span class="badge text-bg-info border">等待对接方</span>'
    assert shown == [chinese, '<span class="badge text-bg-info border">Waiting for partner</span>', chinese]
