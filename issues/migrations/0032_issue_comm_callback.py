from django.db import migrations, models


class Migration(migrations.Migration):
    """The morning board's 待回访 lane: the settled items waiting for their callback, read and
    counted without the community's closed history."""

    dependencies = [
        ("issues", "0031_followup_sent_back"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="issue",
            index=models.Index(
                condition=models.Q(("status", "resolved")),
                fields=["community", "resolved_at", "id"],
                name="issue_comm_callback",
            ),
        ),
    ]
