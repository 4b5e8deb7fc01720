"""Database functions the domain shares."""

from django.db.models import Func, TextField
from django.db.models.functions import Lower


class Unaccented(Func):
    """`ocop_unaccent(text)`: PostgreSQL's unaccent (đ/Đ included) through the immutable wrapper that
    `search`'s first migration creates."""

    function = "ocop_unaccent"
    output_field = TextField()


def folded(expression) -> Lower:
    """The column folded in the database as `marketplace.core.text.fold` folds a query."""
    return Lower(Unaccented(expression))
