from importlib import import_module

from django.db import migrations

# The first page of a common word (more matches than the cap) is read along the received index
# (migration 0022), but the function only allowed that walk: PostgreSQL still chose between it and
# reading every item of the community (a bitmap, or the community_id index) and sorting the
# matches, by its estimate of how many rows the words match. When ANALYZE has not seen the word
# (a word that became common since, or a sample that missed it), it expects the walk to read the
# whole community before it finds a row, and reads the whole community instead: make bench
# measured 128 ms for 漏水 in the 100,000-item community where the walk takes 3 ms. The count has
# just found more matches than the cap, so the walk is what is meant, and it is the one plan that
# needs no sort of the matches (the index gives received_at's order; an incremental sort, which
# enable_sort leaves alone, breaks its ties by id): that branch turns sorting off (the function's
# SET clause restores it on exit, as it does the index scans the branch turns on).
# tests/issues/test_search_plans.py reads which indexes the function scanned.
words = import_module("issues.migrations.0022_search_words")

FUNCTION = f"""
CREATE OR REPLACE FUNCTION issues_search_page(
  community bigint, words text, page_offset integer, page_size integer, cap integer,
  OUT page_ids bigint[], OUT hits integer
)
LANGUAGE plpgsql STABLE
SET enable_seqscan = off SET enable_indexscan = off SET enable_indexonlyscan = off
SET enable_sort = on
AS $function$
DECLARE
  share real;
  community_is text;
  sorted bigint[];
BEGIN
  -- The community's share of the items, as ANALYZE last saw it (none: a small community).
  SELECT m.freq INTO share
  FROM pg_stats s, unnest(s.most_common_vals::text::bigint[], s.most_common_freqs) AS m(val, freq)
  WHERE s.schemaname = current_schema() AND s.tablename = 'issues_issue' AND s.attname = 'community_id'
    AND m.val = community;
  community_is := CASE WHEN coalesce(share, 0) < 0.3 THEN $q${words.IN_INDEX}$q$ ELSE $q${words.FILTERED}$q$ END;
  EXECUTE format($q${words.HITS}$q$, community_is, issues_search_words(words, true))
    INTO sorted, hits USING community, cap + 1;
  IF hits <= cap THEN
    page_ids := coalesce(sorted[page_offset + 1 : page_offset + page_size], '{{}}');
  ELSIF page_offset + page_size <= cap / 10 THEN
    -- The first pages of a common word: along the received index, the words checked on each row,
    -- whatever the statistics say of the words (they may not have seen them).
    PERFORM set_config('enable_indexscan', 'on', true);
    PERFORM set_config('enable_sort', 'off', true);
    EXECUTE format($q${words.NEWEST}$q$, $q${words.WALKED}$q$, issues_search_words(words, false))
      INTO page_ids USING community, page_offset, page_size;
  ELSE
    -- Further on, walking would read more rows than the bitmap of all the matches, sorted.
    EXECUTE format($q${words.NEWEST}$q$, community_is, issues_search_words(words, true))
      INTO page_ids USING community, page_offset, page_size;
  END IF;
END
$function$;
"""


def forwards(apps, schema_editor):
    # PostgreSQL only, as 0018 and 0022: SQLite (`make run`) searches with LIKE.
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FUNCTION, params=None)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(words.FUNCTION, params=None)


class Migration(migrations.Migration):
    dependencies = [("issues", "0025_report_month_change")]

    operations = [migrations.RunPython(forwards, backwards)]
