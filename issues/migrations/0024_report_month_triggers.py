from django.db import migrations

# The monthly roll-up of the 民情日记 figures (issues.models.rollup.ReportMonth), kept by
# triggers on issues_issue in the same transaction as every write to an item.
#
# Each item adds to up to six months (its rows below, each counter 0 or 1, times the sign):
# the month it was received, resolved, closed with a callback answer, and the months from which
# it no longer counts as open ("settled", the earlier of resolved and closed), is due, and is
# due and settled. Inserts and deletes are counted per statement from their transition tables
# (a bulk insert of 100,000 items is one aggregated upsert); an update per row, and only when a
# column the figures read changed (the reminder sweep's updates of clocks fire nothing). The
# upsert skips keys whose shares cancel out; its row locks are held to the end of the
# transaction (see issues.models.rollup on what that means for writes at the same time).
# TRUNCATE of the items empties the roll-up too.
#
# Months are local months of Asia/Shanghai (issues.models.rollup.MONTH_ZONE, written here as it
# was): a Fuhai run with another TIME_ZONE counts its reports from the items.
COLUMNS = (
    "community_id",
    "category_id",
    "channel",
    "status",
    "received_at",
    "resolved_at",
    "closed_at",
    "due_at",
    "report_count",
    "escalated",
    "satisfaction",
)
COUNTERS = (
    "received",
    "repeats",
    "escalated",
    "solved",
    "solved_on_time",
    "solving_seconds",
    "callbacks",
    "satisfied",
    "basic",
    "unsatisfied",
    "open_out",
    "due_in",
    "due_out",
)
MONTH_FUNCTION = """
CREATE OR REPLACE FUNCTION issues_local_month(moment timestamptz) RETURNS date
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
AS $$ SELECT date_trunc('month', moment AT TIME ZONE 'Asia/Shanghai')::date $$
"""
# {rows}: a relation of (sign, COLUMNS...). nd: not a duplicate; settled: the earlier of
# resolved and closed (LEAST and GREATEST skip NULLs). Each key's sum of the rows' shares, in
# the order of the key.
MONTHS = """
SELECT r.community_id, c.month, coalesce(r.category_id, 0), r.channel, {sums}
FROM ({rows}) AS r
CROSS JOIN LATERAL (SELECT (r.status <> 'duplicate')::int AS nd, LEAST(r.resolved_at, r.closed_at) AS settled) AS x
CROSS JOIN LATERAL (VALUES
  (issues_local_month(r.received_at),
   x.nd, x.nd * (r.report_count >= 2)::int, x.nd * r.escalated::int, 0, 0, 0::numeric, 0, 0, 0, 0, 0, 0, 0),
  (issues_local_month(r.resolved_at),
   0, 0, 0, 1, (r.due_at IS NULL OR r.resolved_at <= r.due_at)::int,
   extract(epoch FROM r.resolved_at - r.received_at), 0, 0, 0, 0, 0, 0, 0),
  (CASE WHEN r.satisfaction <> '' THEN issues_local_month(r.closed_at) END,
   0, 0, 0, 0, 0, 0::numeric, 1, (r.satisfaction = 'satisfied')::int, (r.satisfaction = 'basic')::int,
   (r.satisfaction = 'unsatisfied')::int, 0, 0, 0),
  (CASE WHEN x.nd = 1 AND x.settled IS NOT NULL THEN issues_local_month(GREATEST(r.received_at, x.settled)) END,
   0, 0, 0, 0, 0, 0::numeric, 0, 0, 0, 0, 1, 0, 0),
  (CASE WHEN x.nd = 1 AND r.due_at IS NOT NULL THEN issues_local_month(GREATEST(r.received_at, r.due_at)) END,
   0, 0, 0, 0, 0, 0::numeric, 0, 0, 0, 0, 0, 1, 0),
  (CASE WHEN x.nd = 1 AND r.due_at IS NOT NULL AND x.settled IS NOT NULL
        THEN issues_local_month(GREATEST(r.received_at, r.due_at, x.settled)) END,
   0, 0, 0, 0, 0, 0::numeric, 0, 0, 0, 0, 0, 0, 1)
) AS c(month, {counters})
WHERE c.month IS NOT NULL
GROUP BY r.community_id, c.month, coalesce(r.category_id, 0), r.channel
HAVING {nonzero}
ORDER BY r.community_id, c.month, coalesce(r.category_id, 0), r.channel
"""
UPSERT = """
INSERT INTO issues_reportmonth AS t (community_id, month, category_id, channel, {counters})""" + MONTHS + """\
ON CONFLICT (community_id, month, category_id, channel) DO UPDATE SET {adds}
"""


def upsert(rows: str, template: str = UPSERT) -> str:
    """The statement of ``template`` (UPSERT, or migration 0025's append of changes) over ``rows``."""
    return template.format(
        rows=rows,
        counters=", ".join(COUNTERS),
        sums=", ".join(f"sum(r.sign * c.{name})" for name in COUNTERS),
        nonzero=" OR ".join(f"sum(r.sign * c.{name}) <> 0" for name in COUNTERS),
        adds=", ".join(f"{name} = t.{name} + EXCLUDED.{name}" for name in COUNTERS),
    )


def columns(prefix: str) -> str:
    return ", ".join(f"{prefix}.{name}" for name in COLUMNS)


TRIGGERS = f"""
CREATE FUNCTION issues_reportmonth_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
{upsert(f"SELECT 1 AS sign, {columns('n')} FROM new_rows n")};
RETURN NULL;
END $$;
CREATE FUNCTION issues_reportmonth_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
{upsert(f"SELECT -1 AS sign, {columns('o')} FROM old_rows o")};
RETURN NULL;
END $$;
CREATE FUNCTION issues_reportmonth_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
{upsert(f"SELECT -1 AS sign, {columns('OLD')} UNION ALL SELECT 1, {columns('NEW')}")};
RETURN NULL;
END $$;
CREATE FUNCTION issues_reportmonth_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
DELETE FROM issues_reportmonth;
RETURN NULL;
END $$;
CREATE TRIGGER issues_reportmonth_truncate AFTER TRUNCATE ON issues_issue
  FOR EACH STATEMENT EXECUTE FUNCTION issues_reportmonth_truncate();
CREATE TRIGGER issues_reportmonth_insert AFTER INSERT ON issues_issue
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION issues_reportmonth_insert();
CREATE TRIGGER issues_reportmonth_delete AFTER DELETE ON issues_issue
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION issues_reportmonth_delete();
CREATE TRIGGER issues_reportmonth_update AFTER UPDATE ON issues_issue FOR EACH ROW
  WHEN (({columns('OLD')}) IS DISTINCT FROM ({columns('NEW')}))
  EXECUTE FUNCTION issues_reportmonth_update();
"""
#: Every item counted again from nothing (the migration, and rebuild_report_months).
REBUILD = "DELETE FROM issues_reportmonth;\n" + upsert(f"SELECT 1 AS sign, {columns('i')} FROM issues_issue i")


def forwards(apps, schema_editor):
    # PostgreSQL only: SQLite (`make run`) counts the report from the items.
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(MONTH_FUNCTION, params=None)
        schema_editor.execute(TRIGGERS, params=None)
        schema_editor.execute(REBUILD, params=None)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for what in ("insert", "delete", "update", "truncate"):
            schema_editor.execute(f"DROP TRIGGER IF EXISTS issues_reportmonth_{what} ON issues_issue")
            schema_editor.execute(f"DROP FUNCTION IF EXISTS issues_reportmonth_{what}()")
        schema_editor.execute("DROP FUNCTION IF EXISTS issues_local_month(timestamptz)")


class Migration(migrations.Migration):
    # A migration of its own: the table's unique key, which the upserts name, is made at the end
    # of the migration that creates the table.
    dependencies = [("issues", "0023_report_month")]

    operations = [migrations.RunPython(forwards, backwards)]
