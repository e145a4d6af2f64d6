from django.db import migrations, models


class Migration(migrations.Migration):
    """The 12345 list's cases of a month (HotlineCaseQuerySet.listed_in) read from their index
    alone: with the id the page is cut by beside the month's range, not a table row fetched for
    each (a busy month's 240 cases: 240 pages of the table read for 4 of the index)."""

    dependencies = [("issues", "0036_search_text_plain_width")]

    operations = [
        migrations.RemoveIndex(model_name="hotlinecase", name="hotline_comm_dispatched"),
        migrations.AddIndex(
            model_name="hotlinecase",
            index=models.Index(fields=["community", "-dispatched_at"], include=("id",), name="hotline_comm_dispatched"),
        ),
    ]
