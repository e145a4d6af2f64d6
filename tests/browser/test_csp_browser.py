"""In Chromium, under the Content-Security-Policy: htmx and the page scripts still work, and the
browser reports no violation (an inline script, onclick, hx-on or htmx eval would be refused)."""

import pytest

from tests.conftest import ARTIFACTS

pytestmark = pytest.mark.browser


@pytest.fixture
def watched_page(page_for, secretary):
    page = page_for(secretary, viewport={"width": 1920, "height": 1080})
    messages = []
    page.on("console", lambda message: messages.append(message.text))
    return page, messages


def violations(messages):
    return [text for text in messages if "Content Security Policy" in text or "htmx:evalDisallowed" in text]


def test_it_adds_a_board_task_through_htmx_with_no_csp_violation(watched_page):
    page, messages = watched_page
    response = page.goto("/board/")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    page.locator("#task-text").fill("@secretary 检查灭火器")
    page.keyboard.press("Enter")
    page.locator(".task", has_text="检查灭火器").wait_for()
    assert page.locator("#task-text").input_value() == ""
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "csp-board-task-added.png"))
    assert violations(messages) == []


def test_it_reports_an_inline_script_as_a_violation(watched_page):
    page, messages = watched_page
    page.goto("/board/")
    page.evaluate(
        "() => { const s = document.createElement('script'); s.textContent = 'window.ran = 1'; "
        "document.body.appendChild(s); }"
    )
    page.wait_for_timeout(200)
    assert page.evaluate("() => window.ran") is None
    assert len(violations(messages)) == 1
