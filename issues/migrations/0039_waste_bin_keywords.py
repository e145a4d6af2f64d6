"""垃圾桶满 leaves the default keywords of 垃圾分类 and 厨余垃圾 joins them: "垃圾桶满了", "垃圾满了没人收"
is a matter of 环境卫生 (a tester's finding: a full bin was suggested as waste sorting), while "厨余垃圾桶满了"
is still one of the sorting station's. Communities whose 垃圾分类 still has the old defaults get the new
ones; one whose secretary changed the words keeps hers (ensure_default_categories never changes a
community's own keywords)."""

from django.db import migrations

OLD = "垃圾分类,分类,厨余,可回收,有害垃圾,桶站,垃圾桶满,大件垃圾"
NEW = "垃圾分类,分类,厨余,厨余垃圾,可回收,有害垃圾,桶站,大件垃圾"


def change_words(apps, schema_editor):
    apps.get_model("issues", "IssueCategory").objects.filter(name="垃圾分类", keywords=OLD).update(keywords=NEW)


def change_back(apps, schema_editor):
    apps.get_model("issues", "IssueCategory").objects.filter(name="垃圾分类", keywords=NEW).update(keywords=OLD)


class Migration(migrations.Migration):
    dependencies = [("issues", "0038_facility_keywords")]

    operations = [migrations.RunPython(change_words, change_back)]
