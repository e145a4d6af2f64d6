"""Volunteers stored as signed in when they were planned, before this was fixed, are planned again."""

from datetime import timedelta
from importlib import import_module

from django.apps import apps
from django.utils import timezone

from activities.models import ParticipantRole, Participation
from tests.factories import ActivityFactory, ParticipationFactory

migration = import_module("activities.migrations.0005_planned_volunteers")


def test_it_clears_the_sign_in_of_volunteers_planned_for_an_activity_to_come(community):
    now = timezone.now()
    coming = ActivityFactory(community=community, starts_at=now + timedelta(days=6))
    past = ActivityFactory(community=community, starts_at=now - timedelta(days=8))
    planned = ParticipationFactory(activity=coming, role=ParticipantRole.VOLUNTEER, checked_in_at=now)
    served = ParticipationFactory(activity=past, role=ParticipantRole.VOLUNTEER, checked_in_at=now - timedelta(days=14))
    signed_up = ParticipationFactory(activity=coming, checked_in_at=now)  # a sign-up, not a volunteer
    migration.clear_planned_sign_ins(apps, None)
    got = dict(Participation.objects.values_list("pk", "checked_in_at"))
    assert got == {planned.pk: None, served.pk: now - timedelta(days=14), signed_up.pk: now}
