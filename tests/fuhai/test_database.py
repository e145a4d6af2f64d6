"""The database can index Chinese: its LC_CTYPE is UTF-8 so pg_trgm extracts trigrams."""

from django.db import connection


def test_it_runs_on_a_utf8_ctype(db):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT datctype, pg_encoding_to_char(encoding) FROM pg_database WHERE datname = current_database()"
        )
        ctype, encoding = cursor.fetchone()
    assert encoding == "UTF8"
    assert ctype.lower().replace("-", "").endswith("utf8")


def test_it_extracts_trigrams_from_chinese(db):
    with connection.cursor() as cursor:
        cursor.execute("SELECT show_trgm(%s)", ["遛狗不拴绳"])
        trigrams = cursor.fetchone()[0]
    assert len(trigrams) >= 3
