"""A patrol's 已解决 counts only the taps that closed their item (issues/patrol/models.py
``Patrol.end``). A 已解决 tapped on a 12345 item awaiting its case's reply closes nothing (the tap
is a note for the reply), and the record now shows such taps apart (现场已解决待工单答复): walks
ended before counted them in ``solved_count`` too, and their record would count them twice."""

from django.db import migrations
from django.db.models import Count, Q

SOLVED = "solved"
RESOLVED = "resolved"


def recount(apps, schema_editor):
    Patrol = apps.get_model("issues", "Patrol")
    ended = Patrol.objects.filter(ended_at__isnull=False, solved_count__gt=0).annotate(
        closed=Count("checks", filter=Q(checks__outcome=SOLVED, checks__followup__to_status=RESOLVED))
    )
    for patrol in ended.iterator(chunk_size=1000):
        if patrol.closed != patrol.solved_count:
            Patrol.objects.filter(pk=patrol.pk).update(solved_count=patrol.closed)


class Migration(migrations.Migration):
    dependencies = [("issues", "0040_projects")]

    operations = [migrations.RunPython(recount, migrations.RunPython.noop)]
