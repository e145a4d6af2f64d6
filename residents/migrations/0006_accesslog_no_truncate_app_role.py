"""The access log cannot be emptied from the app.

A statement-level trigger refuses TRUNCATE (row triggers never see it), even for the owner; only
the owner, with `SET fuhai.allow_truncate = on` in its own session, may empty it (the test
database sets it so that flush works between tests; production never does). And the role the app
connects as (settings.DATABASE_APP_ROLE, created by the DBA before migrating: see the README) may
only read and add rows: it has no UPDATE, DELETE or TRUNCATE on the log, and, not being its owner,
cannot ALTER, DROP or disable its triggers. Without that role (SQLite, or a one-role demo) only the
triggers guard the log.
"""

from django.conf import settings
from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION residents_accesslog_no_truncate() RETURNS trigger AS $$
BEGIN
    IF current_setting('fuhai.allow_truncate', true) = 'on'
       AND current_user = (SELECT tableowner FROM pg_tables WHERE tablename = 'residents_accesslog') THEN
        RETURN NULL;
    END IF;
    RAISE EXCEPTION 'residents_accesslog is append-only: TRUNCATE is refused';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER residents_accesslog_no_truncate
    BEFORE TRUNCATE ON residents_accesslog
    FOR EACH STATEMENT EXECUTE FUNCTION residents_accesslog_no_truncate();
"""
DROP = """
DROP TRIGGER IF EXISTS residents_accesslog_no_truncate ON residents_accesslog;
DROP FUNCTION IF EXISTS residents_accesslog_no_truncate();
"""


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(CREATE)
    role = settings.DATABASE_APP_ROLE
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [role])
        exists = cursor.fetchone() is not None
    if exists:
        name = schema_editor.quote_name(role)
        schema_editor.execute(f"REVOKE ALL ON residents_accesslog FROM {name}")
        schema_editor.execute(f"GRANT SELECT, INSERT ON residents_accesslog TO {name}")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("residents", "0005_accesslog_subject_people")]

    operations = [migrations.RunPython(create, drop)]
