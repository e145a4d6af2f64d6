"""No select of the activities pages offers Django's "---------"."""

import re

import pytest
from django.urls import reverse

from tests.factories import CommendationFactory, NoticeFactory

DASHES = re.compile(r'<option value=""[^>]*>---------')


@pytest.mark.parametrize("persona", ["secretary", "viewer"])
def test_no_select_offers_dashes_as_its_empty_choice(request, login, community, activity, persona):
    commendation = CommendationFactory(community=community)
    notice = NoticeFactory(community=community)
    client = login(request.getfixturevalue(persona))
    urls = [
        reverse("activities:activity_list"),
        reverse("activities:activity_create"),
        reverse("activities:activity_edit", args=[activity.pk]),
        reverse("activities:activity_detail", args=[activity.pk]),
        reverse("activities:activity_summary", args=[activity.pk]),
        reverse("activities:participation_checkin", args=[activity.pk]),
        reverse("activities:volunteer_hours"),
        reverse("activities:activitysettings_edit"),
        reverse("activities:commendation_list"),
        reverse("activities:commendation_create"),
        reverse("activities:commendation_edit", args=[commendation.pk]),
        reverse("activities:notice_list"),
        reverse("activities:notice_create"),
        reverse("activities:notice_edit", args=[notice.pk]),
    ]
    for url in urls:
        response = client.get(url)
        if response.status_code == 200:
            assert not DASHES.search(response.content.decode()), url
