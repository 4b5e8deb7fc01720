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


_BIGINT_MIN, _BIGINT_MAX = -(2**63), 2**63 - 1


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
        within = [pk for pk in ids if _BIGINT_MIN <= pk <= _BIGINT_MAX]  # no row has another id, as with __in
        super().__init__(column, Value(within, output_field=ArrayField(BigIntegerField())))
