from django.db import migrations

# A WeChat paste asks which of its messages were already added as repeat reports: the reports
# whose note is one of the messages (issues.wechat.drafts.build_drafts). Without an index that
# read every follow-up of the district (150 ms at 160k, growing with every community's year).
# A hash index: a note is free text of any length, too long for a btree entry at times.
# PostgreSQL only, as in 0013: SQLite (`make run`) reads its few rows.
FORWARDS = """
CREATE INDEX IF NOT EXISTS followup_report_note ON issues_followup USING hash (note)
  WHERE kind = 'report' AND to_status = '';
"""
BACKWARDS = "DROP INDEX IF EXISTS followup_report_note;"


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARDS)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARDS)


class Migration(migrations.Migration):
    dependencies = [("issues", "0020_hotline_open_items")]

    operations = [migrations.RunPython(forwards, backwards)]
