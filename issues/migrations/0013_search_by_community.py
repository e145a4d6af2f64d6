from django.contrib.postgres.operations import BtreeGinExtension
from django.db import migrations

# The search indexes lead with the community (btree_gin puts an integer key in a GIN index), so
# one community's search reads that community's posting lists, not the district's: a query is
# `community_id = … AND <pairs or trigrams>` and both are index conditions of one index scan.
SEARCH = """
DROP INDEX IF EXISTS issue_search_bigram;
DROP INDEX IF EXISTS issue_search_trgm;
CREATE INDEX issue_search_pairs ON issues_issue USING gin (community_id, issues_bigrams(search_text));
CREATE INDEX issue_search_trgm ON issues_issue USING gin (community_id, upper(search_text) gin_trgm_ops);
"""

# find_similar's rule in SQL (issues.similar): the character pairs of an open item's text, without
# spaces and punctuation as issues.similar.text_pairs takes them, indexed as "<community>:<pair>"
# so that each posting list holds one community's open items; and the number of pairs.
STRIPPED = """regexp_replace(t, '[[:space:]，。！？、,.!?：:；;（）()“”"'']', '', 'g')"""
SIMILAR = f"""
CREATE OR REPLACE FUNCTION issues_open_keys(community bigint, t text) RETURNS text[]
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
  SELECT coalesce(array_agg(DISTINCT community || ':' || substr(s, i, 2)), '{{}}')
  FROM (SELECT {STRIPPED} AS s) AS kept, generate_series(1, char_length(s) - 1) AS i
$$;
CREATE OR REPLACE FUNCTION issues_pair_count(t text) RETURNS integer
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$ SELECT greatest(char_length({STRIPPED}) - 1, 0) $$;
CREATE INDEX issue_open_pairs ON issues_issue USING gin (issues_open_keys(community_id, text))
  WHERE status IN ('pending', 'in_progress', 'waiting');
"""

BACK = """
DROP INDEX IF EXISTS issue_open_pairs;
DROP FUNCTION IF EXISTS issues_open_keys(bigint, text);
DROP FUNCTION IF EXISTS issues_pair_count(text);
DROP INDEX IF EXISTS issue_search_pairs;
DROP INDEX IF EXISTS issue_search_trgm;
CREATE INDEX issue_search_bigram ON issues_issue USING gin (issues_bigrams(search_text));
CREATE INDEX issue_search_trgm ON issues_issue USING gin (upper(search_text) gin_trgm_ops);
"""


def forwards(apps, schema_editor):
    # PostgreSQL only, as in 0003: `make run` on SQLite searches with a plain LIKE and finds
    # similar items by the same rule over the open items it reads.
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(SEARCH + SIMILAR)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACK)


class Migration(migrations.Migration):
    dependencies = [("issues", "0012_task_visits")]

    operations = [BtreeGinExtension(), migrations.RunPython(forwards, backwards)]
