"""Database functions the domain shares."""

from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from django.contrib.postgres.fields import ArrayField
from django.db import connection
from django.db.models import BigIntegerField, BooleanField, F, Func, TextField, Value
from django.db.models.functions import Lower


class Unaccented(Func):
    """`ocop_unaccent(text)`: PostgreSQL's unaccent (đ/Đ included) through the immutable wrapper that
    `search`'s first migration creates."""

    function = "ocop_unaccent"
    output_field = TextField()


def folded(expression) -> Lower:
    """The column folded in the database as `marketplace.core.text.fold` folds a query."""
    return Lower(Unaccented(expression))


def ids_in_bigint_range(ids: Iterable[int]) -> list[int]:
    """The ids a bigint column can hold: the others match no row, as `__in` leaves them out."""
    return [pk for pk in ids if -(2**63) <= pk < 2**63]


class AnyOf(Func):
    """`column = ANY(ids)`, true for the rows whose `column` is one of `ids`, as `column__in=ids`.

    The ids are bound as one bigint[] parameter, where `__in` binds one parameter each: the statement's
    text is the same for 1 id and for 1,000, so a connection that binds on the server prepares it once
    and reuses its plan (config/settings/base.py, DATABASE_SERVER_SIDE_BINDING).
    """

    arg_joiner = " = ANY("
    template = "%(expressions)s::bigint[])"
    output_field = BooleanField()

    def __init__(self, column: str | F, ids: Iterable[int]) -> None:
        column = F(column) if isinstance(column, str) else column
        super().__init__(column, Value(ids_in_bigint_range(ids), output_field=ArrayField(BigIntegerField())))


@contextmanager
def planned_per_call() -> Iterator[None]:
    """Statements run inside are planned for their own arguments each time, never prepared.

    A prepared statement is planned once for any arguments after a few calls (PostgreSQL's generic plan). That
    suits the checkout's lookups by id, not a search, whose best plan depends on how many entries its words
    match: the search engine's statement for "banh trang" took 77 ms on its generic plan and 23 ms planned for
    its words (100,000 products, issue 12). Without server-side binding (config/settings/base.py) nothing is
    prepared and this changes nothing.
    """
    connection.ensure_connection()
    driver = connection.connection
    threshold = driver.prepare_threshold
    driver.prepare_threshold = None  # psycopg prepares nothing while it is None
    try:
        yield
    finally:
        driver.prepare_threshold = threshold
