from django.db import migrations, models


class Migration(migrations.Migration):
    """The 12345 list's cases still open from an earlier month (HotlineCaseQuerySet.listed_in):
    the community's open 12345 items in a small partial index, and each one's case by its item
    with what the list filters, counts and sorts on, instead of joining every earlier case to
    its item. The list finds a case by its item's channel: log_case has always logged the item
    in channel 12345, and any item with a case that is not (made by other means) is set so."""

    dependencies = [("issues", "0019_reminder_fewer_indexes")]

    operations = [
        migrations.RunSQL(
            "UPDATE issues_issue SET channel = 'hotline' WHERE channel <> 'hotline'"
            " AND id IN (SELECT issue_id FROM issues_hotlinecase)",
            migrations.RunSQL.noop,
        ),
        migrations.AddIndex(
            model_name="issue",
            index=models.Index(
                condition=models.Q(("channel", "hotline"), ("status__in", ["pending", "in_progress", "waiting"])),
                fields=["community", "id"],
                name="issue_hotline_open",
            ),
        ),
        migrations.AddIndex(
            model_name="hotlinecase",
            index=models.Index(
                fields=["issue"], include=["community", "dispatched_at", "id"], name="hotline_issue_dispatched"
            ),
        ),
    ]
