from django.db import migrations, models


class Migration(migrations.Migration):
    """The open items' partial index that the home page's counts and the board's lanes read."""

    dependencies = [
        ("issues", "0013_search_by_community"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="issue",
            index=models.Index(
                condition=models.Q(("status__in", ["pending", "in_progress", "waiting"])),
                fields=["community", "due_at", "received_at", "status", "escalated", "on_meeting_since"],
                name="issue_comm_open_due",
            ),
        ),
    ]
