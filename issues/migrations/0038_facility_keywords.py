"""外墙, 瓷砖, 墙皮 and 脱落 join the default keywords of 设施损坏 (a tile fallen off an outer wall was
read as 证件办理 for a 身份证 mentioned in passing). Communities whose 设施损坏 still has the old
defaults get them; one whose secretary changed the words keeps hers (ensure_default_categories
never changes a community's own keywords)."""

from django.db import migrations

OLD = "坏了,损坏,路灯,井盖,破损,不亮,松动,灯,扶手,台阶,健身器材,座椅"
NEW = f"{OLD},外墙,瓷砖,墙皮,脱落"


def add_words(apps, schema_editor):
    apps.get_model("issues", "IssueCategory").objects.filter(name="设施损坏", keywords=OLD).update(keywords=NEW)


def remove_words(apps, schema_editor):
    apps.get_model("issues", "IssueCategory").objects.filter(name="设施损坏", keywords=NEW).update(keywords=OLD)


class Migration(migrations.Migration):
    dependencies = [("issues", "0037_hotline_comm_dispatched_id")]

    operations = [migrations.RunPython(add_words, remove_words)]
