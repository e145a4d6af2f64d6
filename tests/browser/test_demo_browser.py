"""In Chromium on the demo data: the pages a newcomer sees first render and read well."""

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from tests.conftest import ARTIFACTS

pytestmark = pytest.mark.browser


@pytest.fixture
def demo(transactional_db, settings):
    settings.DEBUG = True
    call_command("seed_demo", stdout=StringIO())
    return get_user_model().objects.get(username="secretary")


@pytest.mark.parametrize(
    ("path", "name", "marker"),
    [
        ("/", "home", "#my-items"),
        ("/issues/?open=on", "issues-list-demo", "#issue-table"),
        ("/issues/hotline/", "hotline-list", "#hotline-table"),
        ("/issues/partners/", "partners", "#partner-table"),
        ("/issues/diary/", "diary", "#diary-counts"),
    ],
)
def test_it_renders_the_demo_pages(page_for, demo, path, name, marker):
    page = page_for(demo, viewport={"width": 1366, "height": 900})
    response = page.goto(path)
    assert response.status == 200
    page.locator(marker).wait_for()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"demo-{name}.png"), full_page=True)


def test_it_shows_last_months_three_rates(page_for, demo):
    from django.utils import timezone

    today = timezone.localdate()
    last = (today.replace(day=1) - timezone.timedelta(days=1)).strftime("%Y-%m")
    page = page_for(demo)
    page.goto(f"/issues/hotline/rates/?month={last}")
    assert page.locator("#rates .display-6").first.inner_text().endswith("%")
    page.screenshot(path=str(ARTIFACTS / "demo-hotline-rates.png"), full_page=True)
