import importlib

from django.db import migrations, models

# The report's 已解决 counts an item in the month the office first solved it
# (Issue.first_resolved_at), not the month of its current resolved_at, which a 不满意 callback,
# a 12345 重办 or a reopening clears: such an item left the 已解决 of the month it was solved
# (its 不满意 is counted apart, in 回访满意率). The column is filled from the item's solved time
# and its timeline (the earliest entry that solved it and was not taken back by 撤销), and the
# monthly roll-up's triggers (0024, 0025) count solved, on time and the days to solve from it.
V0024 = importlib.import_module("issues.migrations.0024_report_month_triggers")
V0025 = importlib.import_module("issues.migrations.0025_report_month_change")

COLUMNS = (*V0024.COLUMNS, "first_resolved_at")
COUNTERS = V0024.COUNTERS
KEY = V0025.KEY
_SOLVED_ROW = """  (issues_local_month(r.resolved_at),
   0, 0, 0, 1, (r.due_at IS NULL OR r.resolved_at <= r.due_at)::int,
   extract(epoch FROM r.resolved_at - r.received_at), 0, 0, 0, 0, 0, 0, 0),
"""
assert _SOLVED_ROW in V0024.MONTHS
MONTHS = V0024.MONTHS.replace(_SOLVED_ROW, _SOLVED_ROW.replace("r.resolved_at", "r.first_resolved_at"))
assert V0024.MONTHS in V0024.UPSERT and V0024.MONTHS in V0025.APPEND
UPSERT = V0024.UPSERT.replace(V0024.MONTHS, MONTHS)
APPEND = V0025.APPEND.replace(V0024.MONTHS, MONTHS)


def columns(prefix: str, names: tuple[str, ...] = COLUMNS) -> str:
    return ", ".join(f"{prefix}.{name}" for name in names)


def functions(template: str, names: tuple[str, ...]) -> str:
    """0025's trigger functions, over the columns ``names``, writing with ``template``."""
    upsert = V0024.upsert
    return f"""
CREATE OR REPLACE FUNCTION issues_reportmonth_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
{upsert(f"SELECT 1 AS sign, {columns('n', names)} FROM new_rows n", template)};
RETURN NULL;
END $$;
CREATE OR REPLACE FUNCTION issues_reportmonth_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
{upsert(f"SELECT -1 AS sign, {columns('o', names)} FROM old_rows o", template)};
RETURN NULL;
END $$;
CREATE OR REPLACE FUNCTION issues_reportmonth_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
{upsert(f"SELECT -1 AS sign, {columns('OLD', names)} UNION ALL SELECT 1, {columns('NEW', names)}", template)};
RETURN NULL;
END $$;
DROP TRIGGER issues_reportmonth_update ON issues_issue;
CREATE TRIGGER issues_reportmonth_update AFTER UPDATE ON issues_issue FOR EACH ROW
  WHEN (({columns("OLD", names)}) IS DISTINCT FROM ({columns("NEW", names)}))
  EXECUTE FUNCTION issues_reportmonth_update();
"""


FOLD = V0025.FOLD
FOLD_LOCK = V0025.FOLD_LOCK
#: Every item counted again from nothing (rebuild_report_months).
REBUILD = "DELETE FROM issues_reportmonthchange;\nDELETE FROM issues_reportmonth;\n" + V0024.upsert(
    f"SELECT 1 AS sign, {columns('i')} FROM issues_issue i", UPSERT
)

#: The earliest solving of each item that 撤销 did not take back (an undone solving is followed,
#: within steps.UNDO_SECONDS, by a state entry from 已办结 back to 办理中), or its solved time.
FILL = """
UPDATE issues_issue i SET first_resolved_at = LEAST(i.resolved_at, (
    SELECT min(f.created_at) FROM issues_followup f
    WHERE f.issue_id = i.id AND f.to_status = 'resolved'
      AND NOT EXISTS (
        SELECT 1 FROM issues_followup u
        WHERE u.issue_id = f.issue_id AND u.id > f.id AND u.kind = 'state'
          AND u.from_status = 'resolved' AND u.to_status = 'in_progress'
          AND u.created_at <= f.created_at + interval '10 seconds')))
WHERE i.resolved_at IS NOT NULL OR EXISTS (
    SELECT 1 FROM issues_followup f WHERE f.issue_id = i.id AND f.to_status = 'resolved')
"""


def fill(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FILL, params=None)
        return
    # SQLite (`make run`): a small database, the same rule in Python
    Issue = apps.get_model("issues", "Issue")
    FollowUp = apps.get_model("issues", "FollowUp")
    entries: dict[int, list] = {}
    for entry in FollowUp.objects.order_by("issue_id", "id").values(
        "id", "issue_id", "kind", "from_status", "to_status", "created_at"
    ):
        entries.setdefault(entry["issue_id"], []).append(entry)
    for issue in Issue.objects.only("id", "resolved_at"):
        times = [issue.resolved_at] if issue.resolved_at else []
        timeline = entries.get(issue.pk, [])
        for n, entry in enumerate(timeline):
            undone = any(
                later["kind"] == "state"
                and later["from_status"] == "resolved"
                and later["to_status"] == "in_progress"
                and (later["created_at"] - entry["created_at"]).total_seconds() <= 10
                for later in timeline[n + 1 :]
            )
            if entry["to_status"] == "resolved" and not undone:
                times.append(entry["created_at"])
        if times:
            Issue.objects.filter(pk=issue.pk).update(first_resolved_at=min(times))


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        # writes wait: a change appended meanwhile would be lost by the rebuild
        schema_editor.execute("LOCK TABLE issues_issue IN SHARE MODE", params=None)
        schema_editor.execute(functions(APPEND, COLUMNS), params=None)
        schema_editor.execute(REBUILD, params=None)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("LOCK TABLE issues_issue IN SHARE MODE", params=None)
        schema_editor.execute(functions(V0025.APPEND, V0024.COLUMNS), params=None)
        schema_editor.execute(V0025.REBUILD, params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("issues", "0032_issue_comm_callback"),
    ]

    operations = [
        migrations.AddField(
            model_name="issue",
            name="first_resolved_at",
            field=models.DateTimeField(blank=True, editable=False, null=True, verbose_name="first resolved at"),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name="issue",
            index=models.Index(fields=["community", "first_resolved_at"], name="issue_comm_first_resolved"),
        ),
        migrations.RunPython(forwards, backwards),
    ]
