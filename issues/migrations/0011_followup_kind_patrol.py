from django.db import migrations, models


class Migration(migrations.Migration):
    """A patrol check is written on the timeline as 巡查检查, no longer as 走访."""

    dependencies = [
        ("issues", "0010_photo_thumbnails"),
    ]

    operations = [
        migrations.AlterField(
            model_name="followup",
            name="kind",
            field=models.CharField(
                choices=[
                    ("note", "Note"),
                    ("call", "Phone call"),
                    ("visit", "Visit"),
                    ("joint_visit", "Joint visit with partner"),
                    ("promise", "Partner promise"),
                    ("state", "State change"),
                    ("report", "Repeat report"),
                    ("callback", "Callback"),
                    ("photo", "Photo"),
                    ("patrol", "Patrol check"),
                ],
                default="note",
                max_length=20,
                verbose_name="kind",
            ),
        ),
    ]
