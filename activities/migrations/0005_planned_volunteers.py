"""Volunteers recorded for an activity that has not started, before its sign-in opened, were
stored as signed in at the moment they were recorded, so they counted as 到场 with their hours
before the day. They are planned: the sign-in is cleared. Past activities are left alone: a
volunteer planned in advance for them most likely served, and their hours stay."""

from datetime import timedelta

from django.db import migrations
from django.db.models import F
from django.utils import timezone

#: activities.models.CHECK_IN_OPENS_BEFORE when this was written (a migration keeps its own copy).
CHECK_IN_OPENS_BEFORE = timedelta(hours=2)


def clear_planned_sign_ins(apps, schema_editor):
    Participation = apps.get_model("activities", "Participation")
    Participation.objects.filter(
        role="volunteer",
        activity__starts_at__gt=timezone.now(),
        checked_in_at__lt=F("activity__starts_at") - CHECK_IN_OPENS_BEFORE,
    ).update(checked_in_at=None)


class Migration(migrations.Migration):
    dependencies = [("activities", "0004_verbose_names")]

    operations = [migrations.RunPython(clear_planned_sign_ins, migrations.RunPython.noop)]
