from django.db import migrations, models


class Migration(migrations.Migration):
    """The monthly report's "open at the month's end" reads the items never settled through their
    own index (received before the end), beside the resolved/closed date indexes, instead of
    every item the community received in its history."""

    dependencies = [
        ("issues", "0016_issue_clock"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="issue",
            index=models.Index(
                condition=models.Q(("closed_at__isnull", True), ("resolved_at__isnull", True)),
                fields=["community", "received_at"],
                name="issue_comm_unsettled",
            ),
        ),
    ]
