"""Recompute every resident's pinyin initials with the surname readings (单 s, 曾 z, 解 x, 仇 q,
区 o, 查 z, 覃 q …): rows saved before those readings keep the common one, so `stf` did not find
单田芳. Batches of 2,000 by primary key, each committed on its own, so a large roster is not held
in one long transaction and a re-run after an interruption simply finishes the job."""

from django.db import migrations, transaction

from residents.models.resident import name_initials

BATCH = 2000


def recompute(apps, schema_editor):
    Resident = apps.get_model("residents", "Resident")
    last = 0
    while True:
        rows = list(Resident.objects.filter(pk__gt=last).order_by("pk").only("pk", "name", "name_initials")[:BATCH])
        if not rows:
            return
        changed = []
        for row in rows:
            initials = name_initials(row.name)
            if row.name_initials != initials:
                row.name_initials = initials
                changed.append(row)
        with transaction.atomic(using=schema_editor.connection.alias):
            Resident.objects.bulk_update(changed, ["name_initials"])
        last = rows[-1].pk


class Migration(migrations.Migration):
    atomic = False

    dependencies = [("residents", "0007_importjob")]

    operations = [migrations.RunPython(recompute, migrations.RunPython.noop, elidable=True)]
