"""Reads for the morning board and reports."""

from datetime import date, timedelta

from activities.selectors import commendations_per_month, todays_activities
from tests.factories import ActivityFactory, CommendationFactory


def test_it_lists_todays_activities_only(community, activity, now):
    ActivityFactory(community=community, starts_at=now + timedelta(days=1), ends_at=now + timedelta(days=1, hours=2))
    ActivityFactory(community=community, starts_at=now - timedelta(days=1), ends_at=now - timedelta(days=1, hours=-2))
    assert list(todays_activities(community, now=now)) == [activity]


def test_it_keeps_other_communities_out_of_todays_activities(other_community, activity, now):
    assert list(todays_activities(other_community, now=now)) == []


def test_it_counts_commendations_per_month_with_empty_months(community, other_community, now):
    CommendationFactory(community=community, received_on=date(2026, 12, 1))
    CommendationFactory(community=community, received_on=date(2026, 12, 3))
    CommendationFactory(community=community, received_on=date(2026, 10, 9))
    CommendationFactory(community=other_community, received_on=date(2026, 12, 2))
    CommendationFactory(community=community, received_on=date(2025, 12, 31))
    counts = commendations_per_month(community, now=now, months=3)
    assert counts == [(date(2026, 10, 1), 1), (date(2026, 11, 1), 0), (date(2026, 12, 1), 2)]
