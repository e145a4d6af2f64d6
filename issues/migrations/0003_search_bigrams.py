from django.db import migrations

BIGRAMS = """
CREATE OR REPLACE FUNCTION issues_bigrams(t text) RETURNS text[]
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
  SELECT coalesce(array_agg(DISTINCT substr(upper(t), i, 2)), '{}')
  FROM generate_series(1, char_length(t) - 1) AS i
$$;
CREATE INDEX issue_search_bigram ON issues_issue USING gin (issues_bigrams(search_text));
CREATE INDEX issue_search_trgm ON issues_issue USING gin (upper(search_text) gin_trgm_ops);
"""


def forwards(apps, schema_editor):
    # Trigrams cannot serve 2-character queries (拴绳, 漏水 — most Chinese words); an index on
    # the set of character pairs can, with LIKE as the exact recheck. PostgreSQL only:
    # `make run` on SQLite searches with a plain LIKE.
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BIGRAMS)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS issue_search_trgm; DROP INDEX IF EXISTS issue_search_bigram; "
            "DROP FUNCTION IF EXISTS issues_bigrams(text);")


class Migration(migrations.Migration):
    dependencies = [("issues", "0002_issue_log"), ("residents", "0002_pg_trgm")]

    operations = [migrations.RunPython(forwards, backwards)]
