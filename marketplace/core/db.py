"""Database functions the domain shares."""

from collections.abc import Iterable

from django.contrib.postgres.fields import ArrayField
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
