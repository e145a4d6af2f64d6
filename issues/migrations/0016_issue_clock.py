import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    """The item's reminder clock moves to a narrow row beside it (IssueClock): the sweep moves
    that row on instead of rewriting the wide item and its two dozen indexes."""

    dependencies = [
        ("issues", "0015_figure_date_indexes"),
    ]

    operations = [
        migrations.RemoveIndex(model_name="issue", name="issue_next_reminder"),
        migrations.CreateModel(
            name="IssueClock",
            fields=[
                (
                    "issue",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="clock",
                        serialize=False,
                        to="issues.issue",
                    ),
                ),
                ("next_reminder_at", models.DateTimeField(blank=True, editable=False, null=True)),
                ("reminded_until", models.DateTimeField(blank=True, editable=False, null=True)),
            ],
            options={
                "indexes": [
                    models.Index(
                        condition=models.Q(("next_reminder_at__isnull", False)),
                        fields=["next_reminder_at"],
                        name="issue_next_reminder",
                    )
                ],
            },
        ),
        migrations.RunSQL(
            "INSERT INTO issues_issueclock (issue_id, next_reminder_at, reminded_until) "
            "SELECT id, next_reminder_at, reminded_until FROM issues_issue",
            "UPDATE issues_issue SET next_reminder_at = c.next_reminder_at, reminded_until = c.reminded_until "
            "FROM issues_issueclock AS c WHERE c.issue_id = issues_issue.id",
        ),
        migrations.RemoveField(model_name="issue", name="next_reminder_at"),
        migrations.RemoveField(model_name="issue", name="reminded_until"),
    ]
