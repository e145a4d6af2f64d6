"""The handling step is one form: a method chosen on purpose, and the partner's promised date."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from issues.forms import SPOT_NOTE_REQUIRED, SettleForm
from issues.models.choices import IssueStatus


def settle(client, issue, **data):
    return client.post(reverse("issues:issue_settle", args=[issue.pk]), {"note": "", **data})


def test_it_offers_no_handling_method_until_one_is_chosen(community, now):
    rendered = str(SettleForm(community=community, now=now)["handling_method"])
    assert '<option value="" selected>' in rendered


def test_it_refuses_a_save_without_a_handling_method(staff_client, log):
    issue = log()
    response = settle(staff_client, issue)
    issue.refresh_from_db()
    assert (response.status_code, issue.status) == (400, IssueStatus.PENDING)


def test_it_waits_for_the_partner_until_the_date_given_on_the_settle_form(staff_client, log, police):
    issue = log()
    promised = timezone.localdate() + timedelta(days=3)
    response = settle(
        staff_client, issue, handling_method="to_police", partner_contact=police.pk, promised_date=promised.isoformat()
    )
    issue.refresh_from_db()
    assert response.status_code == 302
    assert (issue.status, issue.partner_contact) == (IssueStatus.WAITING, police)
    assert timezone.localdate(issue.promised_at) == promised


def test_it_asks_who_promised_when_a_date_comes_without_a_contact(staff_client, log):
    issue = log()
    tomorrow = timezone.localdate() + timedelta(days=1)
    response = settle(staff_client, issue, handling_method="to_property", promised_date=tomorrow.isoformat())
    issue.refresh_from_db()
    assert (response.status_code, issue.status) == (400, IssueStatus.PENDING)
    assert response.context["settle_form"].errors["partner_contact"]


def test_it_refuses_a_promised_date_in_the_past(staff_client, log, police):
    issue = log()
    yesterday = timezone.localdate() - timedelta(days=1)
    response = settle(
        staff_client, issue, handling_method="to_police", partner_contact=police.pk, promised_date=yesterday.isoformat()
    )
    assert response.context["settle_form"].errors["promised_date"]


def test_it_refuses_to_settle_on_the_spot_without_what_was_done(staff_client, log):
    issue = log()
    response = settle(staff_client, issue, handling_method="on_the_spot", note="  ")
    issue.refresh_from_db()
    assert (response.status_code, issue.status, issue.result_note) == (400, IssueStatus.PENDING, "")
    assert response.context["settle_form"].errors["note"] == [str(SPOT_NOTE_REQUIRED)]
    assert '<option value="on_the_spot" selected>' in response.content.decode()


def test_it_settles_on_the_spot_with_what_was_done_as_the_result(staff_client, log):
    issue = log()
    response = settle(staff_client, issue, handling_method="on_the_spot", note="已帮忙联系狗主人，当面说好了")
    issue.refresh_from_db()
    assert response.status_code == 302
    assert (issue.status, issue.result_note) == (IssueStatus.RESOLVED, "已帮忙联系狗主人，当面说好了")


def test_it_still_settles_another_method_without_a_note(staff_client, log):
    issue = log()
    settle(staff_client, issue, handling_method="coordinate")
    issue.refresh_from_db()
    assert issue.status == IssueStatus.IN_PROGRESS
