"""EXPLAIN of the queries a read makes, for the plan tests (PostgreSQL)."""

from django.db import connection
from django.test.utils import CaptureQueriesContext


def plans(read) -> list[str]:
    """The plan PostgreSQL makes for each query that ``read()`` runs."""
    with CaptureQueriesContext(connection) as queries:
        read()
    found = []
    for query in queries.captured_queries:
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN " + query["sql"])
            found.append("\n".join(row[0] for row in cursor.fetchall()))
    return found
