"""Every page that shows free text masks a mobile typed into it (138-0013-8000 → 138-****-8000)."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from issues.models.issue import Issue, IssueClock
from issues.models.reminder import Notification, Reminder
from tests.factories import PatrolFactory

TEXT = "3号楼漏水，王阿姨电话138-0013-8000"


def shows_only_the_masked_number(response):
    content = response.content.decode()
    return response.status_code == 200 and "138-****-8000" in content and "0013" not in content


@pytest.fixture
def item(log, staff):
    return log(TEXT, owner=staff)


def test_it_masks_the_number_in_the_issue_list(staff_client, item):
    assert shows_only_the_masked_number(staff_client.get(reverse("issues:issue_list")))


def test_it_masks_the_number_in_search_results(staff_client, item):
    assert shows_only_the_masked_number(staff_client.get(reverse("issues:issue_list"), {"q": "漏水"}))


def test_it_masks_the_number_in_the_item_text(staff_client, item):
    assert shows_only_the_masked_number(staff_client.get(reverse("issues:issue_detail", args=[item.pk])))


def test_it_masks_the_number_in_a_timeline_note(staff_client, item, staff, now):
    from issues import services

    Issue.objects.filter(pk=item.pk).update(text="3号楼漏水")
    services.add_followup(item, by=staff, now=now, kind="note", note="家属电话138-0013-8000")
    assert shows_only_the_masked_number(staff_client.get(reverse("issues:issue_detail", args=[item.pk])))


def test_it_masks_the_number_in_the_result_note(staff_client, item):
    Issue.objects.filter(pk=item.pk).update(text="3号楼漏水", result="solved", result_note="已回电138-0013-8000")
    assert shows_only_the_masked_number(staff_client.get(reverse("issues:issue_detail", args=[item.pk])))


def test_it_masks_the_number_in_the_diary(staff_client, item, now):
    response = staff_client.get(reverse("issues:issue_diary_day", args=[now.date().isoformat()]))
    assert shows_only_the_masked_number(response)


def test_it_masks_the_number_in_the_bell_list(staff_client, item, staff, community, now):
    reminder = Reminder.objects.create(
        community=community,
        content_type=ContentType.objects.get_for_model(Issue),
        object_id=item.pk,
        kind="due_tomorrow",
        due_at=now,
        title="明天到期：138-0013-8000",
        body=TEXT,
        created_at=now,
    )
    Notification.objects.create(reminder=reminder, recipient=staff)
    assert shows_only_the_masked_number(staff_client.get(reverse("issues:notification_list")))


def test_it_masks_the_number_in_a_patrol_summary(staff_client, community, staff):
    patrol = PatrolFactory(community=community, staff=staff, summary="楼道堆物，联系138-0013-8000")
    assert shows_only_the_masked_number(staff_client.get(reverse("issues:patrol_summary", args=[patrol.pk])))


def test_it_masks_the_number_on_the_home_page(staff_client, item):
    assert shows_only_the_masked_number(staff_client.get(reverse("home")))


# --- mail and WeCom carry the reminder's text: masked however the number was typed -------------


def test_it_masks_a_dashed_mobile_in_a_reminder_body(log, staff, now):
    from datetime import timedelta

    from issues.reminders import triggers

    issue = log(TEXT, owner=staff)
    Issue.objects.filter(pk=issue.pk).update(due_at=now - timedelta(hours=1))
    IssueClock.objects.filter(pk=issue.pk).update(next_reminder_at=now, reminded_until=now - timedelta(days=1))
    triggers.sweep_issues(now=now + timedelta(hours=1))
    assert [("0013" in r.body, "138-****-8000" in r.body) for r in Reminder.objects.all()] == [(False, True)]


def test_it_masks_the_number_in_an_email_even_when_the_reminder_row_holds_it(item, staff, community, now, mailoutbox):
    from issues.models.reminder import Delivery
    from issues.reminders.delivery import send_email

    staff.email = "staff@example.org"
    staff.save()
    reminder = Reminder.objects.create(
        community=community,
        content_type=ContentType.objects.get_for_model(Issue),
        object_id=item.pk,
        kind="due_tomorrow",
        due_at=now,
        title="回电138-0013-8000",
        body=TEXT,
        created_at=now,
    )
    send_email(Delivery(reminder=reminder, channel="email", recipient=staff, next_attempt_at=now))
    message = mailoutbox[0]
    assert ("0013" in message.subject + message.body, "138-****-8000" in message.body) == (False, True)


# --- revealing the number in an item's text: with a reason, logged like an ID reveal ------------


def reveal_url(item):
    return reverse("issues:issue_reveal", args=[item.pk])


def test_it_offers_staff_the_full_number_of_an_items_text(staff_client, item):
    content = staff_client.get(reverse("issues:issue_detail", args=[item.pk])).content.decode()
    assert f'action="{reveal_url(item)}"' in content


def test_it_offers_no_reveal_for_a_text_without_a_number(staff_client, log):
    plain = log("3号楼漏水")
    content = staff_client.get(reverse("issues:issue_detail", args=[plain.pk])).content.decode()
    assert 'id="text-reveal-box"' not in content


def test_it_offers_no_reveal_to_a_grid_worker(login, grid_worker, item):
    content = login(grid_worker).get(reverse("issues:issue_detail", args=[item.pk])).content.decode()
    assert 'id="text-reveal-box"' not in content


def test_it_shows_the_full_text_after_a_reason(staff_client, item):
    response = staff_client.post(reveal_url(item), {"reason": "回电告知维修时间"})
    assert "138-0013-8000" in response.content.decode()


def test_it_logs_the_reveal_of_a_number_in_an_items_text(staff_client, staff, item):
    from residents.models.resident import AccessLog

    staff_client.post(reveal_url(item), {"reason": "回电告知维修时间"})
    log = AccessLog.objects.get()
    assert (log.user, log.field, log.subject, log.reason) == (staff, "phone", item.code, "回电告知维修时间")


def test_it_shows_nothing_and_logs_nothing_without_a_reason(staff_client, item):
    from residents.models.resident import AccessLog

    response = staff_client.post(reveal_url(item), {"reason": "  "})
    assert ("0013" in response.content.decode(), AccessLog.objects.exists()) == (False, False)


def test_it_forbids_a_grid_worker_to_reveal_an_items_number(login, grid_worker, item):
    assert login(grid_worker).post(reveal_url(item), {"reason": "回电告知维修时间"}).status_code == 403


def test_it_answers_404_for_another_communitys_item(login, outsider, item):
    assert login(outsider).post(reveal_url(item), {"reason": "回电告知维修时间"}).status_code == 404


def test_it_answers_the_htmx_reveal_with_the_text_only(staff_client, item):
    response = staff_client.post(reveal_url(item), {"reason": "回电告知维修时间"}, headers={"HX-Request": "true"})
    assert response.content.decode().startswith('<div id="text-reveal">')


# --- partner contacts' phones: for staff, not for the read-only 街道 viewer or the TV board ------


@pytest.fixture
def contact(community):
    from tests.factories import PartnerContactFactory, PartnerFactory

    return PartnerContactFactory(partner=PartnerFactory(community=community, name="福海物业"), phone="13900001111")


@pytest.fixture
def waiting(log, contact):
    item = log("5号楼电梯停运")
    Issue.objects.filter(pk=item.pk).update(partner=contact.partner, partner_contact=contact)
    return item


@pytest.mark.parametrize("page", ["partner_detail", "partner_list", "issue_detail"])
def test_it_shows_staff_a_partner_contacts_phone(staff_client, waiting, contact, page):
    args = {"partner_detail": [contact.partner_id], "partner_list": [], "issue_detail": [waiting.pk]}[page]
    assert "13900001111" in staff_client.get(reverse(f"issues:{page}", args=args)).content.decode()


@pytest.mark.parametrize("page", ["partner_detail", "partner_list", "issue_detail"])
def test_it_shows_the_viewer_a_partner_contacts_phone_masked(login, viewer, waiting, contact, page):
    args = {"partner_detail": [contact.partner_id], "partner_list": [], "issue_detail": [waiting.pk]}[page]
    content = login(viewer).get(reverse(f"issues:{page}", args=args)).content.decode()
    assert ("13900001111" in content, "139****1111" in content) == (False, True)


def test_it_shows_no_partner_contact_phone_on_the_tv_board(client, community, secretary, waiting, now):
    from issues.models.task import BoardToken

    _, token = BoardToken.create_link(community=community, label="会议室电视", by=secretary, now=now)
    response = client.get(reverse("board_tv", args=[token]))
    assert (response.status_code, "13900001111" in response.content.decode()) == (200, False)


def test_it_masks_the_number_on_a_partners_page(staff_client, waiting, contact):
    Issue.objects.filter(pk=waiting.pk).update(text=TEXT)
    response = staff_client.get(reverse("issues:partner_detail", args=[contact.partner_id]))
    assert "138-****-8000" in response.content.decode() and "138-0013-8000" not in response.content.decode()


def test_it_masks_the_number_in_the_top_bar_search_results(staff_client, item):
    assert shows_only_the_masked_number(staff_client.get(reverse("search"), {"q": "漏水"}))


def test_it_masks_the_number_in_the_top_bar_search_suggestions(staff_client, item):
    response = staff_client.get(reverse("search"), {"q": "漏水", "suggest": "1"})
    assert shows_only_the_masked_number(response)


@pytest.fixture
def case(item, community, now):
    from issues.hotline.models import HotlineCase, HotlineSettings

    response, resolution = HotlineSettings.for_community(community.pk).deadlines(now, "normal")
    return HotlineCase.objects.create(
        issue=item,
        community=community,
        case_no="2026113000001",
        request_type="complaint",
        urgency="normal",
        dispatched_at=now,
        response_deadline=response,
        resolution_deadline=resolution,
    )


def test_it_masks_the_number_in_the_12345_list(staff_client, case, now):
    response = staff_client.get(reverse("issues:hotline_list"), {"month": f"{now:%Y-%m}"})
    assert shows_only_the_masked_number(response)


def test_it_masks_the_number_on_a_12345_case_page(staff_client, case):
    assert shows_only_the_masked_number(staff_client.get(reverse("issues:hotline_detail", args=[case.pk])))
