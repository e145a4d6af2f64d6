"""Quick entry refuses a double submission: one token per entry, one item per token."""

import uuid

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from issues import services
from issues.forms import SPOT_NOTE_REQUIRED
from issues.models.choices import FollowUpKind, IssueChannel, IssueStatus
from issues.models.issue import Issue
from residents.places import Place


@pytest.fixture
def token():
    return uuid.uuid4().hex


def entry(**data):
    base = {"channel": "wechat", "text": "3号楼门口有人遛狗不拴绳", "urgency": "normal", "outcome": "investigate"}
    return {**base, **data}


def test_it_creates_one_item_from_two_posts_of_the_same_entry(staff_client, token):
    first = staff_client.post(reverse("issues:issue_create"), entry(entry_token=token))
    second = staff_client.post(reverse("issues:issue_create"), entry(entry_token=token))
    assert (first.status_code, second.status_code) == (302, 302)
    assert Issue.objects.count() == 1


def test_it_says_the_entry_was_already_saved(staff_client, token):
    staff_client.post(reverse("issues:issue_create"), entry(entry_token=token))
    response = staff_client.post(reverse("issues:issue_create"), entry(entry_token=token))
    code = Issue.objects.get().code
    assert [str(m) for m in get_messages(response.wsgi_request)][-1] == f"这条已经保存过了：{code}。"


def test_it_creates_two_items_from_two_entries(staff_client):
    staff_client.post(reverse("issues:issue_create"), entry(entry_token=uuid.uuid4().hex))
    staff_client.post(reverse("issues:issue_create"), entry(entry_token=uuid.uuid4().hex))
    assert Issue.objects.count() == 2


def test_it_gives_each_empty_form_a_new_token(staff_client):
    first = staff_client.get(reverse("issues:issue_create")).context["form"]["entry_token"].value()
    second = staff_client.get(reverse("issues:issue_create")).context["form"]["entry_token"].value()
    assert len(first) == 32 and first != second


def test_it_returns_the_saved_item_when_a_second_post_loses_the_race(community, secretary, now):
    first = services.log_issue(community=community, by=secretary, now=now, text="灯坏了", source_key="entry:ab")
    second = services.log_issue(community=community, by=secretary, now=now, text="灯坏了", source_key="entry:ab")
    assert first.pk == second.pk
    assert Issue.objects.count() == 1


def test_it_saves_an_entry_with_a_tampered_token(staff_client):
    for _ in range(2):
        assert staff_client.post(reverse("issues:issue_create"), entry(entry_token="x" * 5000)).status_code == 302
    assert Issue.objects.count() == 2


def test_it_tells_the_browser_that_the_entry_was_saved(staff_client, token):
    response = staff_client.post(reverse("issues:issue_create"), entry(entry_token=token), follow=True)
    assert response.redirect_chain[-1][0].endswith(f"saved={token}")
    assert token in response.context["saved_tokens"].split()


def test_it_keeps_the_token_when_the_form_comes_back_with_an_error(staff_client, token):
    response = staff_client.post(reverse("issues:issue_create"), entry(text="", entry_token=token))
    assert f'value="{token}"' in response.content.decode()


def test_the_selects_say_choose_not_dashes(secretary_client):
    """The quick entry's selects began with Django's "---------" (a tester's finding)."""
    page = secretary_client.get(reverse("issues:issue_create")).content.decode()
    for name in ("category", "owner", "handling_method", "partner_contact"):
        select = page[page.index(f'name="{name}"') :]
        assert select[: select.index("</option>")].endswith(">请选择"), name
    assert "---------" not in page


def test_the_items_just_logged_show_phone_numbers_masked(secretary_client, community, secretary):
    """The list of items logged this morning beside the form showed the text as typed, a
    resident's mobile number in full, where every other list masks it."""
    services.log_issue(community=community, by=secretary, now=timezone.now(), text="5号楼漏水，住户电话13812348000")
    page = secretary_client.get(reverse("issues:issue_create")).content.decode()
    recent = page[page.index('id="recent-items"') :].split("</ul>")[0]
    assert "138****8000" in recent and "13812348000" not in page


def test_a_grid_workers_quick_entry_starts_on_the_grid_channel(login, grid_worker):
    """Everyone's quick entry started on 微信群; a grid worker's items come from the street."""
    form = login(grid_worker).get(reverse("issues:issue_create")).context["form"]
    assert form["channel"].value() == IssueChannel.GRID


@pytest.mark.parametrize("member", ["secretary", "staff"])
def test_the_offices_quick_entry_still_starts_on_the_wechat_channel(login, request, member):
    form = login(request.getfixturevalue(member)).get(reverse("issues:issue_create")).context["form"]
    assert form["channel"].value() == IssueChannel.WECHAT


def test_the_quick_entry_keeps_the_channel_it_was_sent_back_with_for_a_grid_worker(login, grid_worker):
    url = reverse("issues:issue_create") + "?channel=phone"
    assert login(grid_worker).get(url).context["form"]["channel"].value() == "phone"


def test_the_keyboard_tip_shows_only_on_a_screen_wide_enough_for_a_keyboard(secretary_client):
    """A phone has no Ctrl+回车: the tip showed on a 390 px screen (a tester's finding)."""
    page = secretary_client.get(reverse("issues:issue_create")).content.decode()
    assert '<span class="kbd-hint d-none d-lg-inline">' in page


def test_the_form_sent_back_offers_the_item_at_the_place_typed_as_the_suggestions_did(staff_client, log, categories):
    """A place typed as free text is the place to match, not whatever place the text names: the
    live suggestions offered the item at 北区车棚, the form sent back with an error did not."""
    charging = categories["电动车充电"]
    issue = log("北区车棚电瓶车私拉电线", place=Place(text="北区车棚"), category=charging)
    typed = {"place": "北区车棚", "text": "又有人飞线充电了", "category": charging.pk}
    suggested = staff_client.get(reverse("issues:issue_suggest"), typed)
    response = staff_client.post(reverse("issues:issue_create"), entry(outcome="settle", **typed))
    assert response.status_code == 200
    assert [i.pk for i in suggested.context["similar"]] == [issue.pk]
    assert [i.pk for i in response.context["similar"]] == [issue.pk]


def test_it_refuses_to_settle_on_the_spot_without_what_was_done_and_keeps_the_entry(staff_client, token):
    data = entry(outcome="settle", handling_method="on_the_spot", place="东门", entry_token=token)
    response = staff_client.post(reverse("issues:issue_create"), {**data, "text": "东门路灯不亮"})
    body = response.content.decode()
    assert response.status_code == 200 and not Issue.objects.exists()
    assert response.context["form"].errors["note"] == [str(SPOT_NOTE_REQUIRED)]
    assert "东门路灯不亮</textarea>" in body and 'value="东门"' in body
    assert '<option value="on_the_spot" selected>' in body and "spot-note spot-note-open" in body


def test_it_closes_an_entry_settled_on_the_spot_with_what_was_done(staff_client):
    data = entry(outcome="settle", handling_method="on_the_spot", note="已报修，电工当场换了灯泡")
    assert staff_client.post(reverse("issues:issue_create"), data).status_code == 302
    issue = Issue.objects.get()
    assert (issue.status, issue.result_note) == (IssueStatus.RESOLVED, "已报修，电工当场换了灯泡")


def test_it_keeps_what_was_done_on_the_timeline_of_an_entry_saved_for_investigation(staff_client):
    data = entry(outcome="investigate", handling_method="on_the_spot", note="已在群里回复")
    staff_client.post(reverse("issues:issue_create"), data)
    issue = Issue.objects.get()
    assert issue.status == IssueStatus.PENDING
    assert issue.followups.filter(kind=FollowUpKind.NOTE, note="已在群里回复").exists()


def test_it_refuses_the_suggestions_to_the_street_viewer(login, viewer, log):
    """Quick entry is for the roles that log: its suggestions, asked for at their address, gave a
    街道 viewer similar items' text with the residents' names in full."""
    log("王秀英反映：5号楼楼道堆放杂物")
    response = login(viewer).get(reverse("issues:issue_suggest"), {"text": "5号楼楼道堆放杂物"})
    assert response.status_code == 403
    assert "王秀英" not in response.content.decode()


def test_it_still_suggests_similar_items_to_the_office(staff_client, log):
    issue = log("王秀英反映：5号楼楼道堆放杂物")
    response = staff_client.get(reverse("issues:issue_suggest"), {"text": "5号楼楼道堆放杂物"})
    assert response.status_code == 200
    assert [i.pk for i in response.context["similar"]] == [issue.pk]
