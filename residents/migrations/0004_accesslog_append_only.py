"""On PostgreSQL the access log refuses UPDATE and DELETE in the database itself, so no
queryset.update(), raw SQL or admin action can rewrite the evidence (the model refuses too)."""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION residents_accesslog_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'residents_accesslog is append-only';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER residents_accesslog_append_only
    BEFORE UPDATE OR DELETE ON residents_accesslog
    FOR EACH ROW EXECUTE FUNCTION residents_accesslog_append_only();
"""
DROP = """
DROP TRIGGER IF EXISTS residents_accesslog_append_only ON residents_accesslog;
DROP FUNCTION IF EXISTS residents_accesslog_append_only();
"""


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("residents", "0003_visits_supplies_id_numbers")]

    operations = [migrations.RunPython(create, drop)]
