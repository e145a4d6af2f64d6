"""In Chromium: the red 未保存：请检查下面的表单 over an item's refused step. 办结 with 办理情况 over
the limit comes back with the field's message and the banner; shortened to fit, the field's
message and its red went (fuhai.js), but the banner stayed and said there was still something to
check. Now it goes once nothing in the form shows an error, and stays while something does."""

import pytest
from django.utils import timezone

from issues import services
from issues.models.choices import IssueStatus
from tests.conftest import ARTIFACTS

pytestmark = pytest.mark.browser

BANNER = "未保存：请检查下面的表单。"
NOTE = "已联系物业更换楼道灯泡，三楼和四楼的声控开关也一并检修好了。"  # 30 characters


@pytest.fixture
def refused(page_for, community, staff):
    """The item's page with 办结 refused: 办理情况 2,010 characters long."""
    issue = services.log_issue(community=community, by=staff, now=timezone.now(), text="5号楼楼道灯坏了")
    page = page_for(staff)
    page.goto(f"/issues/{issue.pk}/")
    page.locator("#actions").get_by_role("link", name="办结", exact=True).click()
    note = page.get_by_label("办理情况")
    note.fill(NOTE * 67)
    with page.expect_navigation():
        page.locator("#panel-resolve").get_by_role("button", name="办结").click()
    assert page.get_by_text("请控制在 2000 字以内，现在有 2010 字。").is_visible()
    assert page.get_by_role("alert").filter(has_text=BANNER).is_visible()
    return page, issue


def test_the_banner_goes_once_the_refused_text_fits(refused):
    page, issue = refused
    banner = page.get_by_role("alert").filter(has_text=BANNER)
    note = page.get_by_label("办理情况")
    # Edited but still too long: the live hint speaks, the field is still red, the banner stays.
    note.press("End")
    note.press("Backspace")
    assert page.locator("#resolve_form_note-length").is_visible()
    assert banner.is_visible()
    page.screenshot(path=str(ARTIFACTS / "step-banner-still-too-long.png"), full_page=True)
    note.fill(NOTE * 60)
    assert page.locator("#resolve_form_note-length").count() == 0
    assert "is-invalid" not in note.get_attribute("class")
    assert banner.count() == 0
    page.wait_for_timeout(300)  # the field's red focus ring fades to blue
    page.screenshot(path=str(ARTIFACTS / "step-banner-fits.png"), full_page=True)
    with page.expect_navigation():
        page.locator("#panel-resolve").get_by_role("button", name="办结").click()
    issue.refresh_from_db()
    assert issue.status == IssueStatus.RESOLVED and issue.result_note == NOTE * 60


def test_the_banner_stays_while_another_field_of_the_form_shows_its_error(refused):
    page, _issue = refused
    page.evaluate(
        """() => { const result = document.querySelector('#panel-resolve select');
                   result.classList.add('is-invalid');
                   result.insertAdjacentHTML('afterend', '<div class="invalid-feedback">请选择办理结果。</div>'); }"""
    )
    page.get_by_label("办理情况").fill(NOTE)
    assert page.get_by_role("alert").filter(has_text=BANNER).is_visible()
