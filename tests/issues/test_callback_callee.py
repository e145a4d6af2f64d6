"""The 回访 form says whom to call: the reporter's name and number masked, the logged reveal one tap away."""

import pytest
from django.urls import reverse

from issues.models.issue import Issue
from residents.models.resident import AccessLog
from tests.factories import ResidentFactory

HTMX = {"HX-Request": "true"}


@pytest.fixture
def reporter(community):
    return ResidentFactory(community=community, name="王秀英", phone="13800138000")


@pytest.fixture
def done(log, reporter, staff, now):
    """An item 王秀英 reported, done and awaiting its callback."""
    item = log("3号楼楼道灯不亮", reporter=reporter, owner=staff)
    item.settle(by=staff, now=now, method="on_the_spot", note="已换灯泡")
    return item


def callback_form(client, item, **headers):
    return client.get(reverse("issues:issue_callback", args=[item.pk]), headers=headers).content.decode()


def callee_reveal_url(item):
    return reverse("issues:issue_callee_reveal", args=[item.pk])


def test_it_names_whom_to_call_masked_on_the_callback_form(staff_client, done):
    content = callback_form(staff_client, done, **HTMX)
    assert ("王**" in content, "138****8000" in content) == (True, True)
    assert ("王秀英" in content, "13800138000" in content) == (False, False)


def test_it_names_whom_to_call_on_the_callback_page_without_javascript(staff_client, done):
    content = callback_form(staff_client, done)
    assert 'id="callee"' in content and "138****8000" in content and "13800138000" not in content


def test_it_puts_the_logged_reveal_beside_the_callback_form_with_its_reason_filled_in(staff_client, done):
    content = callback_form(staff_client, done, **HTMX)
    assert f'action="{callee_reveal_url(done)}"' in content
    assert f'value="回访 {done.code}"' in content


def test_it_shows_the_full_name_and_number_after_one_tap(staff_client, done):
    response = staff_client.post(callee_reveal_url(done), {"reason": f"回访 {done.code}"}, headers=HTMX)
    content = response.content.decode()
    assert content.lstrip().startswith('<div class="border rounded')
    assert "王秀英" in content and 'href="tel:13800138000"' in content


def test_it_records_the_reveal_in_the_access_log(staff_client, staff, done, reporter):
    staff_client.post(callee_reveal_url(done), {"reason": f"回访 {done.code}"}, headers=HTMX)
    log = AccessLog.objects.get()
    assert (log.user, log.resident, log.field, log.subject, log.reason) == (
        staff,
        reporter,
        "phone",
        done.code,
        f"回访 {done.code}",
    )


def test_it_refuses_a_reveal_without_a_reason_and_records_nothing(staff_client, done):
    content = staff_client.post(callee_reveal_url(done), {"reason": "回访"}, headers=HTMX).content.decode()
    assert "13800138000" not in content and not AccessLog.objects.exists()


def test_it_offers_a_grid_worker_no_reveal(login, grid_worker, done):
    content = callback_form(login(grid_worker), done, **HTMX)
    assert "138****8000" in content and callee_reveal_url(done) not in content


def test_it_refuses_the_reveal_to_a_grid_worker(login, grid_worker, done):
    response = login(grid_worker).post(callee_reveal_url(done), {"reason": f"回访 {done.code}"})
    assert response.status_code == 403 and not AccessLog.objects.exists()


def test_it_answers_404_for_another_communitys_item(login, outsider, done):
    response = login(outsider).post(callee_reveal_url(done), {"reason": f"回访 {done.code}"})
    assert response.status_code == 404 and not AccessLog.objects.exists()


def test_it_offers_the_number_typed_into_the_message_when_the_reporter_has_none(staff_client, log, staff, now):
    item = log("楼道灯不亮，我电话139 1234 5678", reporter_name="李大爷", owner=staff)
    item.settle(by=staff, now=now, method="on_the_spot", note="已换灯泡")
    content = callback_form(staff_client, item, **HTMX)
    assert "李**" in content and "139****5678" in content
    revealed = staff_client.post(callee_reveal_url(item), {"reason": f"回访 {item.code}"}, headers=HTMX)
    assert 'href="tel:13912345678"' in revealed.content.decode()


def test_it_names_the_12345_caller_and_their_number(staff_client, make_case, now):
    item = make_case(dispatched=now, text="小区东门路灯不亮", caller_name="赵先生", caller_phone="13711112222").issue
    Issue.objects.filter(pk=item.pk).update(status="resolved")
    content = callback_form(staff_client, item, **HTMX)
    assert "赵**" in content and "137****2222" in content and "13711112222" not in content


def test_it_says_so_when_nobody_is_on_record(staff_client, log, staff, now):
    item = log("小区东门路灯不亮", owner=staff)
    item.settle(by=staff, now=now, method="on_the_spot", note="已修好")
    content = callback_form(staff_client, item, **HTMX)
    assert "未登记反映人" in content and callee_reveal_url(item) not in content


def test_it_offers_no_reveal_when_there_is_no_number_to_call(staff_client, log, staff, now):
    item = log("小区东门路灯不亮", reporter_name="李大爷", owner=staff)
    item.settle(by=staff, now=now, method="on_the_spot", note="已修好")
    content = callback_form(staff_client, item, **HTMX)
    assert "李**" in content and "未登记电话" in content and callee_reveal_url(item) not in content
