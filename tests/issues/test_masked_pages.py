"""Every page that shows free text masks a mobile typed into it (138-0013-8000 → 138-****-8000)."""

from datetime import timedelta
from io import BytesIO

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from openpyxl import load_workbook

from issues import services
from issues.models.clock import IssueClock
from issues.models.issue import Issue
from issues.models.partner import Partner
from issues.models.reminder import Delivery, Notification, Reminder
from issues.models.task import BoardToken
from issues.reminders import triggers
from issues.reminders.delivery import send_email
from issues.reminders.sweep import run_sweep
from residents.models.resident import AccessLog
from tests.factories import PartnerContactFactory, PartnerFactory, PatrolFactory

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
    issue = log(TEXT, owner=staff)
    Issue.objects.filter(pk=issue.pk).update(due_at=now - timedelta(hours=1))
    IssueClock.objects.filter(pk=issue.pk).update(next_reminder_at=now, reminded_until=now - timedelta(days=1))
    triggers.sweep_issues(now=now + timedelta(hours=1))
    assert [("0013" in r.body, "138-****-8000" in r.body) for r in Reminder.objects.all()] == [(False, True)]


def test_it_masks_the_number_in_an_email_even_when_the_reminder_row_holds_it(item, staff, community, now, mailoutbox):
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
    staff_client.post(reveal_url(item), {"reason": "回电告知维修时间"})
    log = AccessLog.objects.get()
    assert (log.user, log.field, log.subject, log.reason) == (staff, "phone", item.code, "回电告知维修时间")


def test_it_shows_nothing_and_logs_nothing_without_a_reason(staff_client, item):
    response = staff_client.post(reveal_url(item), {"reason": "  "})
    assert ("0013" in response.content.decode(), AccessLog.objects.exists()) == (False, False)


def test_it_forbids_a_grid_worker_to_reveal_an_items_number(login, grid_worker, item):
    assert login(grid_worker).post(reveal_url(item), {"reason": "回电告知维修时间"}).status_code == 403


def test_it_answers_404_for_another_communitys_item(login, outsider, item):
    assert login(outsider).post(reveal_url(item), {"reason": "回电告知维修时间"}).status_code == 404


def test_it_answers_the_htmx_reveal_with_the_text_only(staff_client, item):
    response = staff_client.post(reveal_url(item), {"reason": "回电告知维修时间"}, headers={"HX-Request": "true"})
    assert response.content.decode().startswith('<div id="text-reveal">')


# --- partner contacts' phones: masked for everyone, a logged reveal for those who work with partners --


@pytest.fixture
def contact(community):
    return PartnerContactFactory(partner=PartnerFactory(community=community, name="福海物业"), phone="13900001111")


@pytest.fixture
def waiting(log, contact):
    item = log("5号楼电梯停运")
    Issue.objects.filter(pk=item.pk).update(partner=contact.partner, partner_contact=contact)
    return item


@pytest.fixture
def promised(waiting, contact, staff, now):
    """The item handed to the property's contact, who promised a date two days on."""
    waiting.settle(
        by=staff,
        now=now,
        method="to_property",
        partner=contact.partner,
        partner_contact=contact,
        promised_at=now + timedelta(days=2),
    )
    return waiting


PARTNER_PAGES = ["partner_detail", "partner_list", "issue_detail", "partner_edit"]


def partner_page(page, contact, waiting):
    args = {"issue_detail": [waiting.pk], "partner_list": []}.get(page, [contact.partner_id])
    return reverse(f"issues:{page}", args=args)


@pytest.mark.parametrize("page", PARTNER_PAGES)
def test_it_shows_a_partner_contacts_phone_masked_to_staff_too(secretary_client, waiting, contact, page):
    content = secretary_client.get(partner_page(page, contact, waiting)).content.decode()
    assert ("13900001111" in content, "139****1111" in content) == (False, True)


@pytest.mark.parametrize("page", PARTNER_PAGES[:3])
def test_it_shows_the_viewer_a_partner_contacts_phone_masked(login, viewer, waiting, contact, page):
    content = login(viewer).get(partner_page(page, contact, waiting)).content.decode()
    assert ("13900001111" in content, "139****1111" in content) == (False, True)


def contact_reveal_url(contact):
    return reverse("issues:partner_contact_reveal", args=[contact.partner_id, contact.pk])


@pytest.mark.parametrize("page", ["partner_detail", "issue_detail"])
def test_it_offers_staff_the_logged_reveal_of_a_contacts_phone(staff_client, waiting, contact, page):
    content = staff_client.get(partner_page(page, contact, waiting)).content.decode()
    assert f'action="{contact_reveal_url(contact)}"' in content


def test_it_fills_in_the_reason_with_the_item_on_the_items_page(staff_client, waiting, contact):
    content = staff_client.get(reverse("issues:issue_detail", args=[waiting.pk])).content.decode()
    assert f'value="关于事项 {waiting.code}"' in content


def test_it_offers_the_viewer_no_reveal_of_a_contacts_phone(login, viewer, waiting, contact):
    content = login(viewer).get(reverse("issues:partner_detail", args=[contact.partner_id])).content.decode()
    assert contact_reveal_url(contact) not in content


@pytest.mark.parametrize("role", ["staff", "grid_worker"])
def test_it_shows_a_contacts_full_phone_to_call_after_a_reason(login, request, waiting, contact, role):
    client = login(request.getfixturevalue(role))
    response = client.post(contact_reveal_url(contact), {"reason": "催物业修电梯"}, headers={"HX-Request": "true"})
    assert 'href="tel:13900001111"' in response.content.decode()


def test_it_records_the_reveal_of_a_contacts_phone(staff_client, staff, contact):
    staff_client.post(contact_reveal_url(contact), {"reason": "催物业修电梯"})
    log = AccessLog.objects.get()
    assert (log.user, log.resident, log.field, log.subject, log.reason) == (
        staff,
        None,
        "phone",
        str(contact),
        "催物业修电梯",
    )


def test_it_refuses_the_viewer_the_reveal_of_a_contacts_phone(login, viewer, contact):
    response = login(viewer).post(contact_reveal_url(contact), {"reason": "催物业修电梯"})
    assert response.status_code == 403 and not AccessLog.objects.exists()


def test_it_answers_404_for_another_communitys_contact(login, outsider, contact):
    assert login(outsider).post(contact_reveal_url(contact), {"reason": "催物业修电梯"}).status_code == 404


def test_it_answers_404_for_a_contact_of_another_partner(staff_client, community, contact):
    other = PartnerFactory(community=community, name="福海供暖")
    url = reverse("issues:partner_contact_reveal", args=[other.pk, contact.pk])
    assert staff_client.post(url, {"reason": "催物业修电梯"}).status_code == 404


def edit_partner(client, contact, phone):
    data = {
        "kind": "property",
        "name": contact.partner.name,
        "is_active": "on",
        "contacts-TOTAL_FORMS": "1",
        "contacts-INITIAL_FORMS": "1",
        "contacts-0-id": contact.pk,
        "contacts-0-partner": contact.partner_id,
        "contacts-0-name": contact.name,
        "contacts-0-phone": phone,
    }
    return client.post(reverse("issues:partner_edit", args=[contact.partner_id]), data)


def test_it_keeps_a_contacts_phone_when_the_partner_is_saved_with_the_box_empty(secretary_client, contact):
    assert edit_partner(secretary_client, contact, "").status_code == 302
    contact.refresh_from_db()
    assert contact.phone == "13900001111"


def test_it_takes_a_new_phone_typed_for_a_contact(secretary_client, contact):
    edit_partner(secretary_client, contact, "13700002222")
    contact.refresh_from_db()
    assert contact.phone == "13700002222"


# --- a partner's office phone: the organisation's, shown in full; a mobile is a person's -----------


@pytest.mark.parametrize("page", ["partner_detail", "partner_list"])
def test_it_shows_a_partners_office_phone_in_full(staff_client, contact, page):
    Partner.objects.filter(pk=contact.partner_id).update(phone="010-6555 0101")
    args = [contact.partner_id] if page == "partner_detail" else []
    assert "010-6555 0101" in staff_client.get(reverse(f"issues:{page}", args=args)).content.decode()


def test_it_refuses_a_mobile_as_a_partners_office_phone(secretary_client, contact):
    data = {"kind": "property", "name": "福海物业", "phone": "138 0013 8000", "is_active": "on"}
    data |= {"contacts-TOTAL_FORMS": "0", "contacts-INITIAL_FORMS": "0"}
    response = secretary_client.post(reverse("issues:partner_edit", args=[contact.partner_id]), data)
    assert response.status_code == 200 and "手机号属于个人" in response.content.decode()
    assert Partner.objects.get(pk=contact.partner_id).phone == ""


@pytest.mark.parametrize("page", ["partner_detail", "partner_list"])
def test_it_masks_a_mobile_stored_as_a_partners_office_phone_before(staff_client, contact, page):
    Partner.objects.filter(pk=contact.partner_id).update(phone="13800138000")
    args = [contact.partner_id] if page == "partner_detail" else []
    content = staff_client.get(reverse(f"issues:{page}", args=args)).content.decode()
    assert "138****8000" in content and "13800138000" not in content


@pytest.mark.parametrize("page", ["issue_print", "issue_export"])
def test_it_puts_no_partner_contacts_phone_on_paper_or_in_excel(staff_client, promised, contact, page):
    response = staff_client.get(reverse(f"issues:{page}", args=[promised.pk] if page == "issue_print" else []))
    body = response.content if page == "issue_print" else load_workbook(BytesIO(response.content)).active
    text = body.decode() if page == "issue_print" else " ".join(str(c.value) for row in body.iter_rows() for c in row)
    assert contact.name in text and "13900001111" not in text


def test_it_puts_no_partner_contacts_phone_in_a_promise_reminder(promised, contact, now):
    run_sweep(now=now + timedelta(days=2, hours=1))
    reminder = Reminder.objects.get(kind="promise_due")
    assert contact.name in reminder.body and "13900001111" not in reminder.title + reminder.body


def test_it_shows_no_partner_contact_phone_on_the_tv_board(client, community, secretary, waiting, now):
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
def case(make_case, now):
    return make_case(dispatched=now, text=TEXT)


def test_it_masks_the_number_in_the_12345_list(staff_client, case, now):
    response = staff_client.get(reverse("issues:hotline_list"), {"month": f"{now:%Y-%m}"})
    assert shows_only_the_masked_number(response)


def test_it_masks_the_number_on_a_12345_case_page(staff_client, case):
    assert shows_only_the_masked_number(staff_client.get(reverse("issues:hotline_detail", args=[case.pk])))
