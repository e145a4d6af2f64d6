from django.db import migrations, models


class Migration(migrations.Migration):
    """Date ranges per community for the week's and the month's figures."""

    dependencies = [
        ("issues", "0014_open_lanes"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="issue",
            index=models.Index(fields=["community", "resolved_at"], name="issue_comm_resolved"),
        ),
        migrations.AddIndex(
            model_name="issue",
            index=models.Index(fields=["community", "closed_at"], name="issue_comm_closed"),
        ),
        migrations.AddIndex(
            model_name="issue",
            index=models.Index(fields=["community", "due_at"], name="issue_comm_due"),
        ),
    ]
