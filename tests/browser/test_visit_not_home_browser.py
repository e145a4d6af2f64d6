"""In Chromium, on a phone, on the demo: the grid worker taps 未遇（家中无人） on the visit form of
a resident due; the attempt is recorded and she stays due on the plan and on his home page."""

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import timezone

from residents.models.care import SpecialStatus, Visit, VisitOutcome
from residents.models.community import Community
from tests.conftest import ARTIFACTS

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
NOTE = "家中无人，敲门未应，灭火毯未送出"


@pytest.fixture
def demo(db):
    call_command("seed_demo", force=True, verbosity=0, stdout=StringIO())
    return Community.objects.get(name="福海佳园"), get_user_model().objects.get(username="grid1")


def test_nobody_at_home_is_one_tap_and_keeps_the_resident_due(page_for, demo):
    community, grid1 = demo
    due = (
        SpecialStatus.objects.filter(community=community, responsible=grid1, next_due_on__lte=timezone.localdate())
        .order_by("next_due_on", "id")
        .first()
    )
    before = due.next_due_on
    page = page_for(grid1, viewport=PHONE)
    page.goto(f"/residents/visits/new/?resident={due.resident_id}&from=home")
    page.locator("#id_notes").fill(NOTE)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "visit-not-home-390x844.png"), full_page=True)
    page.locator("#save-not-home").click()
    page.wait_for_url("**/")
    visit = Visit.objects.get(notes=NOTE)
    due.refresh_from_db()
    assert visit.outcome == VisitOutcome.NOT_HOME and due.next_due_on == before
    # Still his to visit: on his home page and on the plan, marked 未遇 for the day.
    assert page.locator(f"#my-visits a[href*='resident={due.resident_id}']").count() == 1
    page.goto("/residents/visits/plan/")
    row = page.locator("#plan li", has_text=due.resident.name)
    assert row.locator(".not-home").count() == 1
