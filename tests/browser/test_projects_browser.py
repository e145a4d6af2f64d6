"""In Chromium at 1366 px and on a 390 px phone: a new project with the design company, a
milestone added in place (HTMX, no reload) and marked completed; axe-core finds nothing serious
on the project's page. Screenshots land in test-artifacts/."""

import pytest
from django.urls import reverse
from django.utils import timezone

from issues.projects.models import Milestone, Project
from tests.browser.test_accessibility import AXE, RUN_AXE
from tests.conftest import ARTIFACTS
from tests.factories import PartnerFactory

pytestmark = pytest.mark.browser

VIEWPORTS = {"office": {"width": 1366, "height": 900}, "phone": {"width": 390, "height": 844}}


def axe_violations(page):
    page.add_script_tag(url=AXE)
    return page.evaluate(RUN_AXE)


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_it_creates_a_project_adds_a_milestone_and_marks_it_done(page_for, secretary, community, viewport):
    PartnerFactory(community=community, kind="design", name="京华文化墙设计工作室")
    today = timezone.localdate()
    page = page_for(secretary, viewport=VIEWPORTS[viewport])
    page.goto(reverse("issues:project_list"))
    page.click(f"main a[href='{reverse('issues:project_create')}']")
    page.fill("#id_title", "北门文化墙")
    page.select_option("#id_partner", label="京华文化墙设计工作室")
    page.fill("#id_description", "挂装牢固、安全第一")
    page.click("form.card button[type=submit]")
    page.wait_for_selector("#milestone-add")
    project = Project.objects.get()
    assert (project.title, str(project.partner)) == ("北门文化墙", "京华文化墙设计工作室")

    page.evaluate("window.notReloaded = true")
    page.fill("#id_title", "挂装结构安全检查")
    page.fill("#id_promised_on", today.isoformat())
    page.click("#milestone-add button[type=submit]")
    page.wait_for_selector(".milestone:has-text('挂装结构安全检查')")
    milestone = Milestone.objects.get()
    page.click(f"#milestone-{milestone.pk} summary")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"project-milestone-{viewport}.png"), full_page=True)
    page.fill(f"#id_done{milestone.pk}-done_on", today.isoformat())
    page.click(f"#milestone-{milestone.pk} .milestone-done button")
    page.wait_for_selector(f"#milestone-{milestone.pk} .badge.text-bg-success")
    assert page.evaluate("window.notReloaded") is True  # both steps swapped in place
    milestone.refresh_from_db()
    assert milestone.done_on == today and milestone.next_reminder_at is None
    page.screenshot(path=str(ARTIFACTS / f"project-done-{viewport}.png"), full_page=True)
    assert axe_violations(page) == []
    page.goto(reverse("issues:project_list"))
    assert axe_violations(page) == []
