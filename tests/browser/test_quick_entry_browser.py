"""In Chromium: the quick entry keeps what was typed until it is saved."""

import pytest
from django.urls import reverse

from issues.models.issue import Issue

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
