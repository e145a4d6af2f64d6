"""Open items that may be the same problem as a text: in SQL, one statement, for one text (the
item page, quick entry, a patrol find); for a batch of texts (a WeChat paste) the newest open
items are read in one query and the rule applied in Python (IN_PYTHON_FROM says why).

The rule (SimilarityIndex below keeps it in Python): an open item of the community matches when
it has the place (room, building, or a place as written such as 北区车棚) and the category in
common, or when the distinct character pairs two texts share are at least SIMILARITY_THRESHOLD of
the shorter text's pairs (spaces and punctuation left out); same place and category rank first,
then the share, then the newer item. Never when both buildings are known and differ
(Where.apart_from): a leak at 3-2-501 is not one at 7-1-502. Rooms of one building can be one
problem (the flat above, the building's water or lift).

PostgreSQL takes the newest CANDIDATES open items of the community (an index on received_at),
computes their pairs once (issues_open_keys, as the open items' pair index of migration 0013
holds them, keyed "<community>:<pair>") and counts, per (text, item), the pairs in common by a
join on those keys: the work is bounded by CANDIDATES whatever the community holds. Reading the
pair index instead, per distinct pair of the texts, touched every open item sharing a pair as
common as 号楼 (thousands in a district's busiest community, then cut to the newest) or, planned
the other way, computed issues_open_keys() once per (pair, item): 2–9 s for a 500-message WeChat
paste. SQLite (`make run`) applies the rule in Python."""

from __future__ import annotations

import itertools
from collections import Counter, defaultdict
from dataclasses import dataclass

from django.db import connection

from issues.models.choices import OPEN_STATES
from issues.models.issue import Issue
from residents.models.community import Community

#: The newest open items a text is compared with (in SQL and in Python alike).
CANDIDATES = 500

#: A batch of texts (a WeChat paste): the newest open items are read in one query (five columns)
#: and the rule applied in Python. Counting the pairs each (text, item) shares is a hash
#: aggregation of hundreds of thousands of rows in PostgreSQL when the texts share pairs as common
#: as 号楼, and a Counter per text in Python: in make bench's busiest community, on the loaded
#: 2-core machine, 500 messages 1.84 s in SQL and 0.39 s in Python, 100 0.38 s and 0.10 s, 5
#: 0.10 s and 0.03 s. One text (an item's page, quick entry, a patrol find): the SQL statement.
IN_PYTHON_FROM = 2

#: Above this share of shared character pairs, two texts are taken to describe one problem.
SIMILARITY_THRESHOLD = 0.35


@dataclass(frozen=True)
class Probe:
    """A text to match, with its place, category and the item itself (never its own match)."""

    text: str
    room_id: int | None = None
    building_id: int | None = None
    category_id: int | None = None
    exclude_id: int | None = None
    place_text: str = ""

    @property
    def where(self) -> Where:
        return Where(self.room_id, self.building_id, self.place_text)


@dataclass(frozen=True)
class Where:
    """Where an item or a message is, as far as it is known: its room, its building, and the
    place as written (北区车棚), which counts only where no building is known."""

    room_id: int | None = None
    building_id: int | None = None
    text: str = ""

    def place_keys(self) -> set:
        """The place keys that make "the same place" for SimilarityIndex."""
        keys = {key for key in (("room", self.room_id), ("building", self.building_id)) if key[1] is not None}
        if self.building_id is None and self.text:
            keys.add(("text", self.text))
        return keys

    def apart_from(self, other: Where) -> bool:
        """Known places where one problem cannot be: two buildings. Two rooms of one building can
        be (water comes from the flat above; a building's water, heating or lift; 停水 reported from
        two units)."""
        return self.building_id is not None and other.building_id is not None and self.building_id != other.building_id


@dataclass(frozen=True)
class Match:
    """An open item found for a probe: the share of pairs in common (0–1) and whether place and
    category agree (which ranks it first)."""

    issue_id: int
    score: float
    same_place: bool


OPEN = ", ".join(f"'{state}'" for state in sorted(OPEN_STATES))

SIMILAR_SQL = f"""
WITH probe AS (
    SELECT * FROM unnest(%(sizes)s::int[], %(categories)s::bigint[], %(rooms)s::bigint[],
                         %(buildings)s::bigint[], %(excluded)s::bigint[], %(place_texts)s::text[])
        WITH ORDINALITY AS p(size, category_id, room_id, building_id, exclude_id, place_text, n)
),
recent AS MATERIALIZED (
    SELECT id, received_at, category_id, room_id, building_id, place_text, text FROM issues_issue
    WHERE community_id = %(community)s AND status IN ({OPEN})
    ORDER BY received_at DESC, id DESC LIMIT %(candidates)s
),
item AS MATERIALIZED (
    SELECT id, received_at, category_id, room_id, building_id,
           CASE WHEN building_id IS NULL THEN nullif(place_text, '') END AS place_text,
           issues_pair_count(text) AS size, issues_open_keys(%(community)s, text) AS keys
    FROM recent
),
item_key AS (
    SELECT item.id, key FROM item CROSS JOIN LATERAL unnest(item.keys) AS key
),
probe_key AS (
    SELECT * FROM unnest(%(pair_probes)s::int[], %(keys)s::text[]) AS pp(n, key)
),
shared AS (
    SELECT probe_key.n, item_key.id, count(*) AS k FROM probe_key JOIN item_key ON item_key.key = probe_key.key
    GROUP BY probe_key.n, item_key.id
),
same AS (
    SELECT probe.n, item.id FROM probe JOIN item ON item.category_id = probe.category_id
       AND (item.room_id = probe.room_id OR item.building_id = probe.building_id
            OR item.place_text = probe.place_text)
),
by_pairs AS MATERIALIZED (
    SELECT shared.n, shared.id, shared.k::float8 / greatest(least(probe.size, item.size), 1) AS score
    FROM shared JOIN probe ON probe.n = shared.n JOIN item ON item.id = shared.id
),
scored AS (  -- each (text, item) once: by its pairs, or at the same place (with its share, maybe 0)
    SELECT n, id, score, false AS same_place FROM by_pairs
    WHERE score >= %(threshold)s AND NOT EXISTS (SELECT FROM same WHERE same.n = by_pairs.n AND same.id = by_pairs.id)
    UNION ALL
    SELECT same.n, same.id, coalesce(by_pairs.score, 0), true FROM same
    LEFT JOIN by_pairs ON by_pairs.n = same.n AND by_pairs.id = same.id
),
ranked AS (
    SELECT scored.n, scored.id, score, same_place,
           row_number() OVER (PARTITION BY scored.n
                              ORDER BY same_place DESC, score DESC, item.received_at DESC, item.id DESC) AS rank
    FROM scored JOIN probe ON probe.n = scored.n JOIN item ON item.id = scored.id
    WHERE item.id IS DISTINCT FROM probe.exclude_id
      AND NOT coalesce(item.building_id <> probe.building_id, false)
)
SELECT n, id, score, same_place FROM ranked WHERE rank <= %(limit)s ORDER BY n, rank
"""


def similar_open_items(community: Community, probes: list[Probe], *, limit: int) -> list[list[Match]]:
    """For each probe, up to ``limit`` open items of ``community`` that may be the same problem,
    best first. One query whatever the number of probes."""
    if not probes:
        return []
    if connection.vendor != "postgresql" or len(probes) >= IN_PYTHON_FROM:
        return _similar_in_python(community, probes, limit=limit)
    return _similar_in_sql(community, probes, limit=limit)


def _similar_in_sql(community: Community, probes: list[Probe], *, limit: int) -> list[list[Match]]:
    pair_probes, keys, sizes = [], [], []
    for n, probe in enumerate(probes, start=1):
        probe_pairs, size = text_pairs(probe.text)
        pair_probes += [n] * len(probe_pairs)
        keys += sorted(f"{community.pk}:{pair}" for pair in probe_pairs)  # as issues_open_keys() writes them
        sizes.append(size)
    params = {
        "sizes": sizes,
        "categories": [probe.category_id for probe in probes],
        "rooms": [probe.room_id for probe in probes],
        "buildings": [probe.building_id for probe in probes],
        "excluded": [probe.exclude_id for probe in probes],
        # As item.place_text: a place as written counts only where no building is known.
        "place_texts": [probe.place_text or None if probe.building_id is None else None for probe in probes],
        "pair_probes": pair_probes,
        "keys": keys,
        "community": community.pk,
        "threshold": SIMILARITY_THRESHOLD,
        "limit": limit,
        "candidates": CANDIDATES,
    }
    found: list[list[Match]] = [[] for _ in probes]
    with connection.cursor() as cursor:
        cursor.execute(SIMILAR_SQL, params)
        for n, issue_id, score, same_place in cursor.fetchall():
            found[n - 1].append(Match(issue_id, score, same_place))
    return found


def _similar_in_python(community: Community, probes: list[Probe], *, limit: int) -> list[list[Match]]:
    index = SimilarityIndex()
    newest = (
        Issue.objects.in_community(community)
        .open()
        .order_by("-received_at", "-id")
        .values_list("pk", "text", "room_id", "building_id", "place_text", "category_id")[:CANDIDATES]
    )
    for pk, text, room_id, building_id, place_text, category_id in newest:
        pairs, size = text_pairs(text)
        index.add(pk, pairs, size, where=Where(room_id, building_id, place_text), category_id=category_id)
    found = []
    for probe in probes:
        pairs, size = text_pairs(probe.text)
        matches = [
            Match(index.keys[position], score, same)
            for score, position, same in index.find(pairs, size, where=probe.where, category_id=probe.category_id)
            if index.keys[position] != probe.exclude_id
        ]
        found.append(matches[:limit])
    return found


#: Left out of a text before taking its pairs (issues_open_keys and issues_pair_count in SQL).
NOT_WORDS = "，。！？、,.!?：:；;（）()“”\"'"


def text_pairs(text: str) -> tuple[set[str], int]:
    """The distinct character pairs of a text without spaces and punctuation, and the number of
    pairs (repeats counted): the shorter text's number is what shared pairs are a share of."""
    chars = [c for c in (text or "") if not c.isspace() and c not in NOT_WORDS]
    return {a + b for a, b in itertools.pairwise(chars)}, max(len(chars) - 1, 0)


class SimilarityIndex:
    """The rule in Python, over texts that are not in the database (a WeChat batch's earlier
    messages) or over the open items SQLite reads: an entry is looked up by the pairs it shares
    and by (place, category) instead of being scored against every other."""

    def __init__(self) -> None:
        self.keys: list = []
        self._sizes: list[int] = []
        self._wheres: list[Where] = []
        self._by_pair: dict[str, list[int]] = defaultdict(list)
        self._by_place: dict[tuple, list[int]] = defaultdict(list)

    def add(self, key, pairs: set[str], size: int, *, where: Where = Where(), category_id=None) -> None:
        position = len(self.keys)
        self.keys.append(key)
        self._sizes.append(size)
        self._wheres.append(where)
        for pair in pairs:
            self._by_pair[pair].append(position)
        if category_id is not None:
            for place in where.place_keys():
                self._by_place[(place, category_id)].append(position)

    def find(
        self, pairs: set[str], size: int, *, where: Where = Where(), category_id=None
    ) -> list[tuple[float, int, bool]]:
        """(share, position, same place and category) of every matching entry, best first, earlier
        entries first on a tie."""
        shared: Counter[int] = Counter()
        for pair in pairs:
            shared.update(self._by_pair.get(pair, ()))
        same = set()
        if category_id is not None:
            for place in where.place_keys():
                same.update(self._by_place.get((place, category_id), ()))
        found = []
        for position in same | set(shared):
            shorter = min(size, self._sizes[position])
            score = shared[position] / shorter if shorter else 0.0
            if (position in same or score >= SIMILARITY_THRESHOLD) and not where.apart_from(self._wheres[position]):
                found.append((score, position, position in same))
        found.sort(key=lambda hit: (not hit[2], -hit[0], hit[1]))
        return found
