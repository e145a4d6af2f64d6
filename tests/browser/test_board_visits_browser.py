"""In Chromium, on the demo: a task given out at the meeting is linked to a due visit from the
menu, shows it masked on the board and the screen link, and the visit is recorded from the task."""

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import timezone

from issues import services
from issues.models.task import BoardToken, Task
from residents.models.care import SpecialStatus, Visit
from residents.models.community import Community
from tests.conftest import ARTIFACTS

pytestmark = pytest.mark.browser


@pytest.fixture
def demo(db):
    call_command("seed_demo", force=True, verbosity=0, stdout=StringIO())
    community = Community.objects.get(name="福海佳园")
    return {"community": community, "users": {u.username: u for u in get_user_model().objects.all()}}


def shot(page, name):
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / name))


def first_due(community) -> SpecialStatus:
    today = timezone.localdate()
    return (
        SpecialStatus.objects.filter(community=community, next_due_on__lte=today)
        .select_related("resident__room__unit__building")
        .order_by("next_due_on", "id")
        .first()
    )


def test_it_links_a_due_visit_to_a_new_task_from_the_menu(page_for, demo):
    due = first_due(demo["community"])
    page = page_for(demo["users"]["secretary"], viewport={"width": 1920, "height": 1080})
    page.goto("/board/")
    page.locator("#task-text").fill("@李晓红 入户走访，带灭火毯")
    page.locator(".board-visit-pick summary").click()
    page.locator(f".board-visit-pick input[value='{due.pk}']").check()
    shot(page, "board-visit-menu-1920x1080.png")
    page.locator(".board-add button[type=submit]").click()
    card = page.locator(".task", has_text="入户走访，带灭火毯")
    card.locator(".tag-visit").wait_for()
    assert card.locator(".tag-visit").inner_text().strip() == due.masked_label
    assert due.resident.name not in page.content()
    # The menu is cleared for the next task.
    assert page.locator(".board-visit-pick input:checked").count() == 0
    task = Task.objects.get(title="入户走访，带灭火毯")
    assert (task.assignee.username, list(task.visits.all())) == ("staff1", [due])
    shot(page, "board-visit-linked-1920x1080.png")


def test_it_links_a_visit_to_an_existing_task_and_records_it_from_the_task(page_for, demo):
    community, users = demo["community"], demo["users"]
    due = first_due(community)
    now = timezone.now()
    services.add_task(
        community=community,
        by=users["secretary"],
        now=now,
        title="南区独居老人走访",
        day=timezone.localdate(now),
        assignee=users["staff1"],
    )
    page = page_for(users["secretary"], viewport={"width": 1280, "height": 800})
    page.goto("/board/")
    card = page.locator(".task", has_text="南区独居老人走访")
    card.locator(".task-visits-edit summary").click()
    card.locator(f".task-visits-form input[value='{due.pk}']").check()
    shot(page, "board-task-visits-edit-1280x800.png")
    card.locator(".task-visits-form button[type=submit]").click()
    page.locator(".task", has_text="南区独居老人走访").locator(".tag-visit").wait_for()
    # From the task to the visit form (on a phone in real life), and back to the board.
    page.set_viewport_size({"width": 390, "height": 844})
    page.locator(".task", has_text="南区独居老人走访").locator(".tag-visit").click()
    page.locator("#visit-form").wait_for()
    shot(page, "visit-from-task-390x844.png")
    page.locator("#save-visit").click()
    page.locator(".task", has_text="南区独居老人走访").locator(".visit-done").wait_for()
    assert Visit.objects.filter(residents=due.resident).exists()


def test_the_screen_link_shows_the_linked_visit_by_its_building_only(page_for, demo):
    community, users = demo["community"], demo["users"]
    due = first_due(community)
    now = timezone.now()
    services.add_task(
        community=community, by=users["secretary"], now=now, title="入户走访", day=timezone.localdate(now), visits=[due]
    )
    _row, token = BoardToken.create_link(community=community, label="会议室电视", by=users["secretary"], now=now)
    page = page_for(None, viewport={"width": 1920, "height": 1080})
    page.goto(f"/board/tv/{token}/")
    page.locator(".tag-visit").first.wait_for()
    shot(page, "board-tv-visit-1920x1080.png")
    assert page.locator(".tag-visit").first.inner_text().strip() == str(due.resident.room.unit.building)
    body = page.content()
    assert due.masked_label not in body and due.resident.room.label not in body
    assert due.resident.name not in body and page.locator("a.tag-visit").count() == 0
