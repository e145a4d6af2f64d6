"""A partner's promise on the timeline says by when: on the item page and its print page."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse

from issues import services
from issues.models.choices import FollowUpKind


@pytest.fixture(autouse=True)
def frozen(now):
    with time_machine.travel(now, tick=False):
        yield


def promised_item(log, secretary, now, police=None):
    issue = log()
    services.add_followup(
        issue,
        by=secretary,
        now=now,
        kind=FollowUpKind.PROMISE,
        note="物业说周三前清走",
        partner_contact=police,
        promised_at=now + timedelta(days=2),
    )
    return issue


def test_it_shows_the_promised_date_of_a_promise_without_a_contact(staff_client, log, secretary, now):
    issue = promised_item(log, secretary, now)
    page = staff_client.get(reverse("issues:issue_detail", args=[issue.pk])).content.decode()
    timeline = page[page.index('id="timeline"') :]
    assert "承诺日期 12月2日" in timeline


def test_it_names_the_contact_and_the_date_of_a_promise(staff_client, log, secretary, now, police):
    issue = promised_item(log, secretary, now, police=police)
    page = staff_client.get(reverse("issues:issue_detail", args=[issue.pk])).content.decode()
    timeline = page[page.index('id="timeline"') :]
    assert "刘警官（福海社区警务站） · " in timeline and "承诺日期 12月2日" in timeline


def test_the_print_page_shows_the_promised_date(staff_client, log, secretary, now):
    issue = promised_item(log, secretary, now)
    page = staff_client.get(reverse("issues:issue_print", args=[issue.pk])).content.decode()
    assert "承诺日期 2026-12-02" in page


def test_a_promise_given_on_the_settle_form_shows_its_date_on_the_timeline(staff_client, log, police, now):
    issue = log()
    staff_client.post(
        reverse("issues:issue_settle", args=[issue.pk]),
        {"note": "", "handling_method": "to_police", "partner_contact": police.pk, "promised_date": "2026-12-04"},
    )
    page = staff_client.get(reverse("issues:issue_detail", args=[issue.pk])).content.decode()
    timeline = page[page.index('id="timeline"') :]
    assert "刘警官（福海社区警务站） · " in timeline and "承诺日期 12月4日" in timeline
