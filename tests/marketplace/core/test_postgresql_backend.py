"""The database backend reads `timestamptz` with `datetime.fromisoformat`, and answers what Django's loader does."""

import datetime

import pytest
from django.db import connection
from django.db.backends.postgresql.psycopg_any import BaseTzLoader
from psycopg.pq import Format

from marketplace.core.postgresql.base import TIMESTAMPTZ_OID, iso_timestamptz_loader


class UtcLoader(BaseTzLoader):
    timezone = datetime.UTC


TEXTS = [
    b"2026-12-06 03:00:00.123456+00",
    b"2026-12-06 03:00:00+00",
    b"2026-12-06 03:00:00.1+00",
    b"1999-12-31 23:59:59.999999+00",
    b"0001-01-01 00:00:00+00",
    b"2026-12-06 10:00:00+07",  # another session time zone: Django's loader reads it
    b"2026-12-06 10:00:00+05:30",
]


@pytest.mark.parametrize("text", TEXTS)
def test_each_text_is_read_as_djangos_loader_reads_it(db, text):
    with connection.cursor() as cursor:
        psycopg_cursor = cursor.cursor
        django_value = UtcLoader(TIMESTAMPTZ_OID, psycopg_cursor).load(text)
        ours = iso_timestamptz_loader(UtcLoader)(TIMESTAMPTZ_OID, psycopg_cursor).load(memoryview(text))

    assert ours == django_value
    assert ours.tzinfo is django_value.tzinfo is datetime.UTC


def test_the_connections_read_timestamps_with_it_and_get_them_back_unchanged(db):
    moment = datetime.datetime(2026, 12, 6, 3, 4, 5, 678901, tzinfo=datetime.UTC)
    with connection.cursor() as cursor:
        loader = cursor.cursor.adapters.get_loader(TIMESTAMPTZ_OID, Format.TEXT)
        cursor.execute("SELECT %s::timestamptz, '2026-12-06 10:00+07'::timestamptz", [moment])
        back, from_vietnam = cursor.fetchone()

    assert loader.__name__ == "IsoTimestamptzLoader"
    assert back == moment and back.tzinfo is datetime.UTC
    assert from_vietnam == datetime.datetime(2026, 12, 6, 3, 0, tzinfo=datetime.UTC)
