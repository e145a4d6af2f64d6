"""In Chromium: the quick entry keeps what was typed until it is saved."""

import pytest
from django.urls import reverse

from issues.models.issue import Issue
from tests.factories import IssueFactory, PartnerContactFactory, PartnerFactory

pytestmark = pytest.mark.browser


def test_it_keeps_the_typed_text_across_a_reload_until_it_is_saved(page_for, staff):
    page = page_for(staff)
    page.goto(reverse("issues:issue_create"))
    page.fill("#id_text", "5号楼2单元电梯停了，老人下不了楼")
    page.fill("#id_place", "5-2")
    page.reload()
    assert page.input_value("#id_text") == "5号楼2单元电梯停了，老人下不了楼"
    assert page.input_value("#id_place") == "5-2"
    page.click("#btn-investigate")
    page.wait_for_url("**saved=*")
    assert Issue.objects.get().text == "5号楼2单元电梯停了，老人下不了楼"
    page.reload()
    assert page.input_value("#id_text") == ""
    page.goto(reverse("issues:issue_create"))
    assert page.input_value("#id_text") == ""


def test_it_does_not_save_twice_when_a_restored_entry_is_resent(page_for, staff):
    page = page_for(staff)
    page.goto(reverse("issues:issue_create"))
    page.fill("#id_text", "东门路灯不亮")
    token = page.input_value("input[name=entry_token]")
    page.reload()
    assert page.input_value("input[name=entry_token]") == token


def test_every_choice_of_the_quick_entry_reads_whole_on_a_pc(page_for, staff, community):
    """On a PC (1366 px) the chosen 紧急程度 and 对接人 read in full: "重点（3-5个工作日）" was cut
    to "重点（3-5个工", and a contact of a long-named partner to the partner's name alone."""
    partner = PartnerFactory(community=community, name="福海佳园物业管理委员会")
    PartnerContactFactory(partner=partner, name="周文华", title="主任")
    page = page_for(staff, viewport={"width": 1366, "height": 900})
    page.goto(reverse("issues:issue_create"))
    short = page.evaluate(
        """() => ['#id_urgency', '#id_partner_contact', '#id_owner', '#id_handling_method'].flatMap(id => {
               const select = document.querySelector(id), style = getComputedStyle(select);
               const context = document.createElement('canvas').getContext('2d');
               context.font = style.font;
               const free = select.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
               return [...select.options].map(option => [option.text, free - context.measureText(option.text).width])
                                         .filter(([text, room]) => room < 0); })"""
    )
    assert short == []
    contact = page.locator("#id_partner_contact option", has_text="周文华").text_content()
    assert contact.startswith("周文华（主任）")


def test_tab_goes_from_the_content_to_the_place_when_a_similar_item_is_suggested(page_for, staff, community):
    """The "same problem?" links sat between 内容 and 地点: Tab landed on them, and the place typed
    next went nowhere (tester: two items saved with no place)."""
    IssueFactory(community=community, text="5号楼东侧消防通道被一辆白色轿车堵了")
    page = page_for(staff, viewport={"width": 1366, "height": 900})
    page.goto(reverse("issues:issue_create"))
    page.fill("#id_text", "5号楼东侧消防通道又被一辆白色轿车堵了一晚上")
    page.locator("#suggestions button[name=same_as]").wait_for()
    page.focus("#id_text")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "id_place"
