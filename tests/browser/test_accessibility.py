"""axe-core (static/vendor/axe-core, loaded by these tests only) on every main page, office PC and phone."""

import pytest
from django.urls import reverse
from django.utils import timezone

from issues import services
from issues.hotline.models import HotlineCase, HotlineSettings
from tests.factories import ActivityFactory, CommendationFactory, NoticeFactory, PartnerFactory, ResidentFactory

pytestmark = pytest.mark.browser

AXE = "/static/vendor/axe-core/axe.min.js"
VIEWPORTS = {"office": {"width": 1280, "height": 800}, "phone": {"width": 390, "height": 844}}
RUN_AXE = """async () => {
  const result = await axe.run(document, {resultTypes: ["violations"]});
  return result.violations
    .filter(v => v.impact === "serious" || v.impact === "critical")
    .map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.map(n => n.target.join(" "))}));
}"""


@pytest.fixture
def main_pages(community, secretary, staff, room):
    now = timezone.now()
    issue = services.log_issue(community=community, by=secretary, now=now, text="3号楼楼道灯不亮", owner=staff)
    response, resolution = HotlineSettings.for_community(community.pk).deadlines(now, "normal")
    case = HotlineCase.objects.create(
        issue=services.log_issue(community=community, by=secretary, now=now, text="12345来电：油烟扰民"),
        community=community,
        case_no="2026120100001",
        request_type="complaint",
        urgency="normal",
        dispatched_at=now,
        response_deadline=response,
        resolution_deadline=resolution,
    )
    activity = ActivityFactory(community=community)
    ResidentFactory(community=community, room=room, name="王秀英")
    PartnerFactory(community=community)
    CommendationFactory(community=community)
    NoticeFactory(community=community)
    return {
        "home": reverse("home"),
        "diary list": reverse("issues:issue_list"),
        "quick entry": reverse("issues:issue_create"),
        "item": reverse("issues:issue_detail", args=[issue.pk]),
        "diary": reverse("issues:issue_diary"),
        "partners": reverse("issues:partner_list"),
        "12345 list": reverse("issues:hotline_list"),
        "12345 case": reverse("issues:hotline_detail", args=[case.pk]),
        "board": reverse("board"),
        "residents": reverse("residents:resident_list"),
        "roster": reverse("residents:specialstatus_list"),
        "visit form": reverse("residents:visit_create"),
        "calendar": reverse("activities:activity_calendar"),
        "activity": reverse("activities:activity_detail", args=[activity.pk]),
        "wall of honour": reverse("activities:commendation_list"),
        "notices": reverse("activities:notice_list"),
        "patrol start": reverse("issues:patrol_start"),
        "monthly report": reverse("reports:report"),
        "new resident": reverse("residents:resident_create"),
        "household": reverse("residents:household_edit", args=[room.pk]),
    }


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_it_finds_no_serious_or_critical_axe_violation_on_the_main_pages(page_for, secretary, main_pages, viewport):
    page = page_for(secretary, viewport=VIEWPORTS[viewport])
    found = {}
    for name, url in main_pages.items():
        response = page.goto(url)
        assert response.status == 200, name
        page.add_script_tag(url=AXE)
        found[name] = page.evaluate(RUN_AXE)
    print(f"\naxe serious+critical violations at {viewport}:")
    for name, violations in found.items():
        print(f"  {name}: {sum(len(v['nodes']) for v in violations)}")
    assert {name: v for name, v in found.items() if v} == {}
