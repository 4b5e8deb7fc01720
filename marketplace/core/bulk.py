"""Bulk updates as one `UPDATE … FROM (VALUES …)` statement.

Django's `bulk_update` builds a CASE WHEN per field and row; for the sync's pages of a few
hundred rows that cost more Python time than the database took to apply them.
"""

from collections.abc import Sequence

from django.db import connection
from django.db.models import Model
from django.utils import timezone


def bulk_update_rows(objects: Sequence[Model], fields: Sequence[str], *, touch: bool = True) -> int:
    """Write `fields` of `objects` (instances of one model, saved before) in one statement."""
    if not objects:
        return 0
    model = type(objects[0])
    meta = model._meta
    model_fields = [meta.get_field(name) for name in fields]
    if touch and any(f.name == "updated_at" for f in meta.concrete_fields) and "updated_at" not in fields:
        now = timezone.now()
        for obj in objects:
            obj.updated_at = now
        model_fields.append(meta.get_field("updated_at"))
    pk = meta.pk
    columns = [pk, *model_fields]
    quote = connection.ops.quote_name
    row = "(" + ", ".join("%s" for _ in columns) + ")"
    params: list = []
    for obj in objects:
        params.append(pk.get_db_prep_value(obj.pk, connection))
        params.extend(field.get_db_prep_save(getattr(obj, field.attname), connection) for field in model_fields)
    assignments = ", ".join(
        f"{quote(field.column)} = v.{quote(field.column)}::{field.db_type(connection)}" for field in model_fields
    )
    names = ", ".join(quote(field.column) for field in columns)
    sql = (
        f"UPDATE {quote(meta.db_table)} AS t SET {assignments} "
        f"FROM (VALUES {', '.join([row] * len(objects))}) AS v({names}) "
        f"WHERE t.{quote(pk.column)} = v.{quote(pk.column)}::{pk.db_type(connection)}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount
