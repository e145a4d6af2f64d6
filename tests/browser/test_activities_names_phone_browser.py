"""In Chromium on a 390 px phone: names on the sign-in desk, the activity page and the hours page
stay on one line (they wrapped one character a line beside the buttons and badges)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from activities import services
from tests.factories import ActivityFactory, ResidentFactory

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


def _lines(page, within: str, name: str) -> int:
    """How many lines the name takes inside ``within``: the distinct tops of its text's boxes."""
    return page.locator(within).first.evaluate(
        """(root, name) => {
            const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
            while (walker.nextNode()) {
                const node = walker.currentNode, at = node.data.indexOf(name);
                if (at < 0) continue;
                const range = document.createRange();
                range.setStart(node, at);
                range.setEnd(node, at + name.length);
                return new Set([...range.getClientRects()].map((r) => Math.round(r.top))).size;
            }
            return 0;
        }""",
        name,
    )


def test_it_keeps_names_on_one_line_on_a_phone(page_for, staff, community, room):
    starts = timezone.now().replace(second=0, microsecond=0) + timedelta(minutes=30)
    activity = ActivityFactory(community=community, starts_at=starts, ends_at=starts + timedelta(hours=2))
    resident = ResidentFactory(community=community, name="欧阳秀英", room=room)
    services.sign_up(activity, resident=resident, by=None, now=timezone.now())
    services.record_volunteer(
        activity, name="司马长风", volunteer_role="签到、摄影、讲解和场地布置", hours=None, by=None, now=timezone.now()
    )
    page = page_for(staff, viewport=PHONE)
    page.goto(f"/activities/{activity.pk}/checkin/")
    assert _lines(page, f"#attendee-{resident.pk}", "欧阳秀英") == 1
    page.goto(f"/activities/{activity.pk}/")
    assert _lines(page, "#volunteers tbody", "司马长风") == 1
    assert _lines(page, "#present-list", "司马长风") == 1
    page.goto("/activities/volunteers/")
    assert _lines(page, "#volunteer-table tbody", "司马长风") == 1
