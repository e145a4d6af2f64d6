from django.db import migrations

# One page of a community's search, newest first, and how many items match, counted up to a cap.
#
# The matches are read through a search index (migration 0013) as a bitmap, at most `cap + 1` of
# them: fewer means the count is exact and the page is sorted from those rows; as many means a
# common word, whose newest items are then found by walking the (community, received) index and
# keeping the rows that contain it (the newest 30 of a word in 3 % of the items are found in
# ~1,000 rows, where the bitmap would visit and sort every one of thousands of matches); past
# the first pages, walking would read more rows than the bitmap, which is then sorted.
#
# The planner takes `upper(search_text) LIKE …` to cost next to nothing (it is ~3 µs a row on
# Chinese text), and walks the community's 100,000 rows to count 5,000 matches (300 ms instead of
# 40): the function's SET clauses leave it bitmaps only, for these statements alone (PostgreSQL
# restores them when the function returns).
#
# The community column of the index narrows the matches to the community's when it is a small
# part of the table (a district); when it is most of it (one big community, or the only one),
# intersecting with its posting list of 100,000 rows costs more (~5 ms) than skipping the few
# other rows, so the community is then compared as `community_id + 0`, which no index serves.
# Two characters are one character pair, found exactly in the pair index (issues_bigrams upper-
# cases as LIKE does): no LIKE to recheck. Three or more are a LIKE, which the trigram index
# finds candidates for and which is rechecked on each.
HITS = """
SELECT array_agg(h.id ORDER BY h.received_at DESC, h.id DESC), count(*)::integer FROM (
  SELECT i.id, i.received_at FROM issues_issue i WHERE %s AND %s LIMIT $4
) AS h"""
IN_INDEX = "i.community_id = $1"
FILTERED = "i.community_id + 0 = $1"
PAIRS = "issues_bigrams(i.search_text) @> issues_bigrams($2)"
LIKE = "upper(i.search_text) LIKE $3"
NEWEST = """
SELECT coalesce(array_agg(n.id), '{}') FROM (
  SELECT i.id FROM issues_issue i WHERE %s AND %s
  ORDER BY i.received_at DESC, i.id DESC
  OFFSET $5 LIMIT $6
) AS n"""
WALKED = "i.community_id = $1"

FUNCTION = f"""
CREATE OR REPLACE FUNCTION issues_search_page(
  community bigint, words text, page_offset integer, page_size integer, cap integer,
  OUT page_ids bigint[], OUT hits integer
)
LANGUAGE plpgsql STABLE
SET enable_seqscan = off SET enable_indexscan = off SET enable_indexonlyscan = off
AS $function$
DECLARE
  -- As Django's icontains: the words literally (\\ % _ escaped), anywhere, upper-cased.
  pattern text := '%' || upper(replace(replace(replace(words, '\\', '\\\\'), '%', '\\%'), '_', '\\_')) || '%';
  share real;
  community_is text;
  words_are text;
  sorted bigint[];
BEGIN
  -- The community's share of the items, as ANALYZE last saw it (none: a small community).
  SELECT m.freq INTO share
  FROM pg_stats s, unnest(s.most_common_vals::text::bigint[], s.most_common_freqs) AS m(val, freq)
  WHERE s.schemaname = current_schema() AND s.tablename = 'issues_issue' AND s.attname = 'community_id'
    AND m.val = community;
  community_is := CASE WHEN coalesce(share, 0) < 0.3 THEN $q${IN_INDEX}$q$ ELSE $q${FILTERED}$q$ END;
  words_are := CASE WHEN char_length(words) = 2 THEN $q${PAIRS}$q$ ELSE $q${LIKE}$q$ END;
  EXECUTE format($q${HITS}$q$, community_is, words_are)
    INTO sorted, hits USING community, words, pattern, cap + 1;
  IF hits <= cap THEN
    page_ids := coalesce(sorted[page_offset + 1 : page_offset + page_size], '{{}}');
  ELSIF page_offset + page_size <= cap / 10 THEN
    -- The first pages of a common word: along the received index, LIKE on each row.
    PERFORM set_config('enable_indexscan', 'on', true);
    EXECUTE format($q${NEWEST}$q$, $q${WALKED}$q$, $q${LIKE}$q$)
      INTO page_ids USING community, words, pattern, cap, page_offset, page_size;
  ELSE
    -- Further on, walking would read more rows than the bitmap of all the matches, sorted.
    EXECUTE format($q${NEWEST}$q$, community_is, words_are)
      INTO page_ids USING community, words, pattern, cap, page_offset, page_size;
  END IF;
END
$function$;
"""


def forwards(apps, schema_editor):
    # PostgreSQL only, as 0003 and 0013: SQLite (`make run`) searches with LIKE.
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FUNCTION, params=None)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP FUNCTION IF EXISTS issues_search_page(bigint, text, integer, integer, integer)")


class Migration(migrations.Migration):
    dependencies = [("issues", "0017_report_unsettled_index")]

    operations = [migrations.RunPython(forwards, backwards)]
