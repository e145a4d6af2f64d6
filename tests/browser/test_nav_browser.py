"""In Chromium at 1280×800 (the office PC): the top bar is one line in Chinese and in English,
with the search box and 报表; the English labels are longer and used to wrap."""

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from tests.conftest import ARTIFACTS

pytestmark = pytest.mark.browser

ONE_LINE = """() => {
  const items = [...document.querySelectorAll('#mainnav .nav-link, #top-search-input')];
  const boxes = items.map(el => el.getBoundingClientRect());
  const lineHeight = parseFloat(getComputedStyle(items[0]).lineHeight);
  return {
    navbar: document.querySelector('nav.navbar').getBoundingClientRect().height,
    tallest: Math.max(...boxes.map(b => b.height)),
    lineHeight: lineHeight,
    spread: Math.max(...boxes.map(b => b.top + b.height / 2)) - Math.min(...boxes.map(b => b.top + b.height / 2)),
  };
}"""


@pytest.fixture
def secretary(db):
    call_command("seed_demo", force=True, verbosity=0, stdout=StringIO())
    return get_user_model().objects.get(username="secretary")


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_the_top_bar_is_one_line_at_1280(page_for, live_server, secretary, language):
    page = page_for(secretary, viewport={"width": 1280, "height": 800})
    page.context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])
    page.goto("/issues/")
    assert page.locator("html").get_attribute("lang").lower().startswith(language[:2])
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"nav-{language}-1280x800.png"))
    bar = page.evaluate(ONE_LINE)
    # Every link, the search box and the user menu sit on one line, none wraps inside.
    assert bar["tallest"] < 2 * bar["lineHeight"], bar
    assert bar["spread"] < 8, bar
    assert bar["navbar"] < 70, bar
