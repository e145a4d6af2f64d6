"""Items saved before their search text read 全角 digits and letters as plain ones
(issues.search.plain_width): an item written ３号楼 was not found by 3号楼, nor one written 3号楼
by ３号楼. Only rows holding such a character are rewritten; on PostgreSQL one UPDATE with
translate(), which folds character for character as plain_width does."""

from django.db import migrations

#: Frozen copies of what plain_width folds, so a later change to it does not change this migration.
FULL = "０１２３４５６７８９ＡＢＣＤＥＦＧＨＩＪＫＬＭＮＯＰＱＲＳＴＵＶＷＸＹＺａｂｃｄｅｆｇｈｉｊｋｌｍｎｏｐｑｒｓｔｕｖｗｘｙｚ－"
PLAIN = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-"
HAS_FULL = "[０-９Ａ-Ｚａ-ｚ－]"


def plain_width(apps, schema_editor):
    Issue = apps.get_model("issues", "Issue")
    if schema_editor.connection.vendor == "postgresql":
        with schema_editor.connection.cursor() as cursor:
            cursor.execute(
                "UPDATE issues_issue SET search_text = translate(search_text, %s, %s) WHERE search_text ~ %s",
                [FULL, PLAIN, HAS_FULL],
            )
        return
    table = str.maketrans(FULL, PLAIN)
    rows = list(Issue.objects.filter(search_text__regex=HAS_FULL).only("pk", "search_text"))
    for row in rows:
        row.search_text = row.search_text.translate(table)
    Issue.objects.bulk_update(rows, ["search_text"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [("issues", "0035_hotline_caller_phone_plain")]

    operations = [migrations.RunPython(plain_width, migrations.RunPython.noop, elidable=True)]
