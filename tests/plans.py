"""EXPLAIN of the queries a read makes, for the plan tests (PostgreSQL)."""

from django.db import connection
from django.test.utils import CaptureQueriesContext


def plans(read, *, scans: bool = True) -> list[str]:
    """The plan PostgreSQL makes for each query that ``read()`` runs.

    ``scans=False`` prices sequential scans out (``enable_seqscan = off``) while the plans are
    made. At the few thousand rows of a test, reading a table whole can cost what an index costs,
    and which wins turns on the dead rows that earlier tests left behind (autovacuum is off on
    this kind of machine): a CI run after 1,500 tests planned a scan where a run of one file
    planned the index. Priced out, what is left is what the test means: whether the query's form
    lets an index serve it at all."""
    with CaptureQueriesContext(connection) as queries:
        read()
    found = []
    with connection.cursor() as cursor:
        if not scans:
            cursor.execute("SET enable_seqscan = off")
        try:
            for query in queries.captured_queries:
                cursor.execute("EXPLAIN " + query["sql"])
                found.append("\n".join(row[0] for row in cursor.fetchall()))
        finally:
            if not scans:
                cursor.execute("RESET enable_seqscan")
    return found
