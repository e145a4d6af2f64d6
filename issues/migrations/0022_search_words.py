from importlib import import_module

from django.db import migrations

# The search reads words (migration 0018 took the whole query as one substring): "消防通道 堆放"
# finds the items that contain every word, and a word that is a room, "3-2-501", finds the
# room's items, whose place is stored as its label, 3号楼2单元501. issues.search holds the same
# rules in Python, for the filter beside the other filters.
#
# issues_search_words(words, indexed) is the condition on the items `i` that the words make,
# each word one clause, so that each is an index condition of its own (GIN keeps a list of
# clauses; `LIKE ALL (array)` it cannot serve):
#   - two characters: their character pair, all such words in one array of the pair index;
#   - three or more: LIKE, from the trigram index;
#   - a room: a regular expression for its label or 3-2-501 not inside a longer number (13号楼…,
#     …5012), from the trigram index as well;
#   - one character: strpos, which no index serves, so it never turns the trigram index into a
#     scan of the whole index; at least one word has two characters (issues.search.served_by_index).
# Not `indexed` (a walk along the received index, which checks each row): LIKE for two characters
# too, ~3 µs a row where issues_bigrams() costs ~0.1 ms.
WORDS = r"""
CREATE OR REPLACE FUNCTION issues_search_words(words text, indexed boolean) RETURNS text
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $function$
DECLARE
  word text;
  room text[];
  pairs text[] := '{}';
  checks text[] := '{}';
  clauses text[] := '{}';
BEGIN
  FOR word IN SELECT DISTINCT w FROM regexp_split_to_table(words, '[ \t\n\r\f\v\u3000]+') AS w WHERE w <> '' LOOP
    room := regexp_match(upper(word),
      '^([0-9A-Z]+)(?:号楼|号|栋|幢|-|－|—)([0-9A-Z]+)(?:单元|门|-|－|—)([0-9A-Z]+)(?:室|号)?$');
    IF room IS NOT NULL THEN
      clauses := clauses || format('upper(i.search_text) ~ %L',
        format('(^|[^0-9A-Z])(%1$s号楼%2$s单元%3$s|%1$s-%2$s-%3$s)($|[^0-9A-Z])', room[1], room[2], room[3]));
    ELSIF char_length(word) = 1 THEN
      clauses := clauses || format('strpos(upper(i.search_text), %L) > 0', upper(word));
    ELSIF char_length(word) = 2 AND indexed THEN
      pairs := pairs || issues_bigrams(word);
      checks := checks || format('strpos(upper(i.search_text), %L) > 0', upper(word));
    ELSE
      -- As Django's icontains: the word literally (\ % _ escaped), anywhere, upper-cased.
      clauses := clauses || format('upper(i.search_text) LIKE %L',
        '%' || upper(replace(replace(replace(word, '\', '\\'), '%', '\%'), '_', '\_')) || '%');
    END IF;
  END LOOP;
  IF pairs <> '{}' AND clauses <> '{}' THEN
    -- Beside another word the planner may take the other word's index alone and check the pairs
    -- on its rows: strpos first (cheaper, so PostgreSQL checks it first) leaves issues_bigrams()
    -- to the rows that contain the word.
    clauses := format('issues_bigrams(i.search_text) @> %L::text[]', pairs) || checks || clauses;
  ELSIF pairs <> '{}' THEN
    clauses := ARRAY[format('issues_bigrams(i.search_text) @> %L::text[]', pairs)];
  END IF;
  RETURN coalesce(nullif(array_to_string(clauses, ' AND '), ''), 'false');
END
$function$;
"""

# As in 0018, with the words' condition from issues_search_words; the statements take the community
# as $1, then the cap ($2), or the page's offset and size ($2, $3).
HITS = """
SELECT array_agg(h.id ORDER BY h.received_at DESC, h.id DESC), count(*)::integer FROM (
  SELECT i.id, i.received_at FROM issues_issue i WHERE %s AND %s LIMIT $2
) AS h"""
IN_INDEX = "i.community_id = $1"
FILTERED = "i.community_id + 0 = $1"
NEWEST = """
SELECT coalesce(array_agg(n.id), '{}') FROM (
  SELECT i.id FROM issues_issue i WHERE %s AND %s
  ORDER BY i.received_at DESC, i.id DESC
  OFFSET $2 LIMIT $3
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
  share real;
  community_is text;
  sorted bigint[];
BEGIN
  -- The community's share of the items, as ANALYZE last saw it (none: a small community).
  SELECT m.freq INTO share
  FROM pg_stats s, unnest(s.most_common_vals::text::bigint[], s.most_common_freqs) AS m(val, freq)
  WHERE s.schemaname = current_schema() AND s.tablename = 'issues_issue' AND s.attname = 'community_id'
    AND m.val = community;
  community_is := CASE WHEN coalesce(share, 0) < 0.3 THEN $q${IN_INDEX}$q$ ELSE $q${FILTERED}$q$ END;
  EXECUTE format($q${HITS}$q$, community_is, issues_search_words(words, true))
    INTO sorted, hits USING community, cap + 1;
  IF hits <= cap THEN
    page_ids := coalesce(sorted[page_offset + 1 : page_offset + page_size], '{{}}');
  ELSIF page_offset + page_size <= cap / 10 THEN
    -- The first pages of a common word: along the received index, the words checked on each row.
    PERFORM set_config('enable_indexscan', 'on', true);
    EXECUTE format($q${NEWEST}$q$, $q${WALKED}$q$, issues_search_words(words, false))
      INTO page_ids USING community, page_offset, page_size;
  ELSE
    -- Further on, walking would read more rows than the bitmap of all the matches, sorted.
    EXECUTE format($q${NEWEST}$q$, community_is, issues_search_words(words, true))
      INTO page_ids USING community, page_offset, page_size;
  END IF;
END
$function$;
"""


def forwards(apps, schema_editor):
    # PostgreSQL only, as 0003, 0013 and 0018: SQLite (`make run`) searches with LIKE.
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(WORDS + FUNCTION, params=None)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        previous = import_module("issues.migrations.0018_search_page")
        schema_editor.execute(previous.FUNCTION, params=None)
        schema_editor.execute("DROP FUNCTION IF EXISTS issues_search_words(text, boolean)")


class Migration(migrations.Migration):
    dependencies = [("issues", "0021_followup_report_note")]

    operations = [migrations.RunPython(forwards, backwards)]
