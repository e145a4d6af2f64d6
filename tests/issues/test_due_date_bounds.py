"""A due or promised date is at most two years ahead: 2999-01-01 was taken as an item's 办理时限
and never fell due. The message is new (English until the catalogue has it)."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from issues.forms import EditIssueForm, FollowUpForm, QuickEntryForm, SettleForm
from issues.models.issue import Issue
from tests.issues.test_views import entry

TOO_FAR = "The date is more than 2 years ahead: check the year."


@pytest.fixture(autouse=True)
def in_english():
    with translation.override("en"):
        yield


def test_quick_entry_refuses_a_due_date_in_2999_and_keeps_the_text(staff_client):
    staff_client.cookies["django_language"] = "en"
    data = entry(outcome="settle", handling_method="coordinate", due_date="2999-01-01")
    response = staff_client.post(reverse("issues:issue_create"), data)
    assert response.context["form"].errors["due_date"] == [TOO_FAR]
    assert "3号楼门口有人遛狗不拴绳" in response.content.decode() and not Issue.objects.exists()


def test_quick_entry_takes_a_due_date_next_year(community, now):
    data = entry(due_date=(timezone.localdate(now) + timedelta(days=365)).isoformat())
    form = QuickEntryForm(data, community=community, now=now)
    assert "due_date" not in form.errors


def test_the_settle_step_refuses_a_due_date_years_ahead(community, now):
    form = SettleForm({"handling_method": "coordinate", "due_date": "2999-01-01"}, community=community, now=now)
    assert form.errors["due_date"] == [TOO_FAR]


def test_the_settle_step_refuses_a_promised_date_years_ahead(community, now, police):
    data = {"handling_method": "to_police", "partner_contact": police.pk, "promised_date": "2999-01-01"}
    assert SettleForm(data, community=community, now=now).errors["promised_date"] == [TOO_FAR]


def test_a_promise_on_the_timeline_years_ahead_says_so_once(community, now):
    form = FollowUpForm(
        {"kind": "promise", "note": "物业答应", "promised_date": "2999-01-01"}, community=community, now=now
    )
    assert form.errors["promised_date"] == [TOO_FAR]


def test_editing_an_item_refuses_a_due_time_years_ahead(community, log):
    issue = log()
    data = {"text": issue.text, "urgency": "normal", "due_at": "2999-01-01T18:00", "version": issue.version}
    assert EditIssueForm(data, instance=issue, community=community).errors["due_at"] == [TOO_FAR]


def test_editing_an_item_keeps_a_due_time_next_month(community, log):
    issue = log()
    next_month = timezone.localdate() + timedelta(days=30)
    data = {"text": issue.text, "urgency": "normal", "due_at": f"{next_month}T18:00", "version": issue.version}
    assert "due_at" not in EditIssueForm(data, instance=issue, community=community).errors
