from django.db import migrations

#: (community, status) counted together: a district's communities differ (one new with thousands
#: of 待核实 items, most with years of 已办结 history), and taken apart the two columns told the
#: planner that 'pending' was as common in every community as in the district. In make bench's
#: busy community (617 pending of 100,000) it expected 40,684 and read the board's 待核实 count off
#: the community index, filtering 99,383 rows (41 ms), where the (community, status) index reads
#: the 617 (0.3 ms); with these statistics it expects 617. The default statistics target (the
#: hundred commonest pairs, a large backlog among them): 1,000 also kept every small community's
#: pairs, but every ANALYZE of the items then sampled ten times the rows (make bench's 199,000
#: items: 15 s against 2.6 s), autovacuum's included.
FORWARDS = """
CREATE STATISTICS IF NOT EXISTS issue_comm_status_stats (mcv) ON community_id, status FROM issues_issue;
ANALYZE issues_issue;
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":  # `make run` on SQLite has no planner statistics to fix
        schema_editor.execute(FORWARDS)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP STATISTICS IF EXISTS issue_comm_status_stats")


class Migration(migrations.Migration):
    dependencies = [("issues", "0033_issue_first_resolved")]

    operations = [migrations.RunPython(forwards, backwards)]
