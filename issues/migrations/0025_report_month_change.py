import importlib

from django.db import migrations, models

# The monthly roll-up's triggers append changes instead of updating the roll-up's rows
# (issues.models.rollup.ReportMonthChange): every write to the items adds rows to
# issues_reportmonthchange, which no two writers share, so they lock nothing in common (0024's
# upserts held a month's row to the end of the writer's transaction: two people saving items of
# the same month took turns, and two saving several in opposite orders could deadlock). FOLD,
# run every minute by one worker at a time (issues.report_months.fold_changes), moves the
# changes into issues_reportmonth; the view issues_reportmonth_all reads both.
V0024 = importlib.import_module("issues.migrations.0024_report_month_triggers")
COUNTERS = V0024.COUNTERS
KEY = "community_id, month, category_id, channel"

APPEND = (
    "INSERT INTO issues_reportmonthchange (community_id, month, category_id, channel, {counters})"
    + V0024.MONTHS
)


def functions(template: str, truncate: str) -> str:
    """The trigger functions of 0024 (the same triggers call them), writing with ``template``."""
    columns = V0024.columns
    upsert = V0024.upsert
    return f"""
CREATE OR REPLACE FUNCTION issues_reportmonth_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
{upsert(f"SELECT 1 AS sign, {columns('n')} FROM new_rows n", template)};
RETURN NULL;
END $$;
CREATE OR REPLACE FUNCTION issues_reportmonth_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
{upsert(f"SELECT -1 AS sign, {columns('o')} FROM old_rows o", template)};
RETURN NULL;
END $$;
CREATE OR REPLACE FUNCTION issues_reportmonth_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
{upsert(f"SELECT -1 AS sign, {columns('OLD')} UNION ALL SELECT 1, {columns('NEW')}", template)};
RETURN NULL;
END $$;
CREATE OR REPLACE FUNCTION issues_reportmonth_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
{truncate}
RETURN NULL;
END $$;
"""


VIEW = f"""
CREATE VIEW issues_reportmonth_all AS
SELECT {KEY}, {", ".join(COUNTERS)} FROM issues_reportmonth
UNION ALL
SELECT {KEY}, {", ".join(COUNTERS)} FROM issues_reportmonthchange
"""
#: The changes appended so far, summed per key into the roll-up in the order of the key (rows
#: appended meanwhile are not in this statement's snapshot: the next fold takes them).
FOLD = f"""
WITH moved AS (DELETE FROM issues_reportmonthchange RETURNING {KEY}, {", ".join(COUNTERS)})
INSERT INTO issues_reportmonth AS t ({KEY}, {", ".join(COUNTERS)})
SELECT {KEY}, {", ".join(f"sum({name})" for name in COUNTERS)} FROM moved
GROUP BY {KEY}
HAVING {" OR ".join(f"sum({name}) <> 0" for name in COUNTERS)}
ORDER BY {KEY}
ON CONFLICT ({KEY}) DO UPDATE SET {", ".join(f"{name} = t.{name} + EXCLUDED.{name}" for name in COUNTERS)}
"""
#: One folder at a time (a second finds the lock taken and leaves the changes to the first).
FOLD_LOCK = "SELECT pg_try_advisory_xact_lock(hashtext('issues_reportmonth_fold'))"
#: Every item counted again from nothing (rebuild_report_months).
REBUILD = "DELETE FROM issues_reportmonthchange;\n" + V0024.REBUILD


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            functions(APPEND, "DELETE FROM issues_reportmonthchange; DELETE FROM issues_reportmonth;"), params=None
        )
        schema_editor.execute(VIEW, params=None)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        # writes wait: a change appended after the fold would be dropped with its table
        schema_editor.execute("LOCK TABLE issues_issue IN SHARE MODE", params=None)
        schema_editor.execute(FOLD, params=None)
        schema_editor.execute("DROP VIEW issues_reportmonth_all", params=None)
        schema_editor.execute(functions(V0024.UPSERT, "DELETE FROM issues_reportmonth;"), params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("issues", "0024_report_month_triggers"),
    ]

    operations = [
        migrations.CreateModel(
            name="ReportMonthChange",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("community_id", models.BigIntegerField()),
                ("month", models.DateField()),
                ("category_id", models.BigIntegerField(default=0)),
                ("channel", models.CharField(max_length=20)),
                ("received", models.IntegerField(default=0)),
                ("repeats", models.IntegerField(default=0)),
                ("escalated", models.IntegerField(default=0)),
                ("solved", models.IntegerField(default=0)),
                ("solved_on_time", models.IntegerField(default=0)),
                ("solving_seconds", models.DecimalField(decimal_places=6, default=0, max_digits=24)),
                ("callbacks", models.IntegerField(default=0)),
                ("satisfied", models.IntegerField(default=0)),
                ("basic", models.IntegerField(default=0)),
                ("unsatisfied", models.IntegerField(default=0)),
                ("open_out", models.IntegerField(default=0)),
                ("due_in", models.IntegerField(default=0)),
                ("due_out", models.IntegerField(default=0)),
            ],
            options={
                "indexes": [models.Index(fields=["community_id", "month"], name="report_month_change_month")],
            },
        ),
        migrations.RunPython(forwards, backwards),
    ]
