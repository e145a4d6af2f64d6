import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    """Three indexes fewer for the reminder sweep to fill on every reminder and notification:
    each duplicated the first column of a unique or composite index (reminder_once_per_item_kind_due,
    notification_once, notification_unread), which answers the same lookups and cascades."""

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("issues", "0018_search_page"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterField(
            model_name="notification",
            name="recipient",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="notifications",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AlterField(
            model_name="notification",
            name="reminder",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="notifications",
                to="issues.reminder",
            ),
        ),
        migrations.AlterField(
            model_name="reminder",
            name="content_type",
            field=models.ForeignKey(
                db_index=False, on_delete=django.db.models.deletion.CASCADE, to="contenttypes.contenttype"
            ),
        ),
    ]
