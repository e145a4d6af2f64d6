"""The activity list pages the activities alone and counts sign-ups only for the page's 20: years
of past activities and their participations are never grouped to show one page."""

from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from activities.models import Participation
from tests.factories import ActivityFactory, ParticipationFactory

LIST = reverse("activities:activity_list")


def test_it_groups_the_sign_ups_of_the_pages_activities_only(staff_client, community, now):
    past = [ActivityFactory(community=community, starts_at=now - timedelta(days=n + 1)) for n in range(25)]
    for activity in past:
        ParticipationFactory(activity=activity, signed_up_at=activity.starts_at - timedelta(days=1))
    newest = past[0]
    ParticipationFactory(activity=newest, role="volunteer", checked_in_at=newest.starts_at)
    with CaptureQueriesContext(connection) as queries:
        response = staff_client.get(LIST, {"when": "past"})
    shown = response.context["object_list"]
    assert [a.pk for a in shown] == [a.pk for a in past[:20]]
    assert (shown[0].signed_up_count, shown[0].present_count, shown[0].volunteer_count) == (1, 1, 1)
    assert (shown[1].signed_up_count, shown[1].present_count, shown[1].volunteer_count) == (1, 0, 0)
    assert response.context["paginator"].count == 25
    grouped = [q["sql"] for q in queries.captured_queries if "activities_participation" in q["sql"]]
    # One query reads participations, for the page's activities by id; the count reads none.
    assert len(grouped) == 1 and '"activities_activity"."id" IN (' in grouped[0], grouped
    assert Participation.objects.count() == 26
