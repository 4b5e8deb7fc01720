"""Saleor's countable connections: `edges`, `pageInfo`, `totalCount`, paged by first/after or last/before."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import graphene
from django.db.models import QuerySet
from graphql_relay import cursor_to_offset, offset_to_cursor

from storefront_api.core.errors import StorefrontError, StorefrontErrorCode

MAX_PAGE_SIZE = 100


class CountableConnection(graphene.relay.Connection):
    """A connection whose total is counted only when a client asks for `totalCount`."""

    class Meta:
        abstract = True

    total_count = graphene.Int(description="A total count of items in the collection.")

    @staticmethod
    def resolve_total_count(root: CountableConnection, info: graphene.ResolveInfo) -> int:
        return root.count()

    def count(self) -> int:
        if self._total is None:
            self._total = self._counter(self._queryset)
        return self._total


def connection_page_args() -> dict[str, Any]:
    """The four paging arguments, for a field's `**kwargs`."""
    return {
        "before": graphene.String(),
        "after": graphene.String(),
        "first": graphene.Int(),
        "last": graphene.Int(),
    }


def _check_page_size(name: str, field: str, value: int | None) -> None:
    if value is None:
        return
    if value < 0:
        raise StorefrontError(
            f"Argument `{field}` on the `{name}` connection cannot be less than zero.",
            code=StorefrontErrorCode.INVALID,
            field=field,
        )
    if value > MAX_PAGE_SIZE:
        raise StorefrontError(
            f"Requesting {value} records on the `{name}` connection exceeds the `{field}` limit of "
            f"{MAX_PAGE_SIZE} records.",
            code=StorefrontErrorCode.INVALID,
            field=field,
        )


def _offset(cursor: str | None, field: str) -> int | None:
    if cursor is None:
        return None
    offset = cursor_to_offset(cursor)
    if offset is None or offset < 0:
        raise StorefrontError("Received cursor is invalid.", code=StorefrontErrorCode.INVALID, field=field)
    return offset


def _count(rows: QuerySet) -> int:
    return rows.count()


def paginate(
    queryset: QuerySet,
    connection_type: type[CountableConnection],
    *,
    name: str,
    first: int | None = None,
    after: str | None = None,
    last: int | None = None,
    before: str | None = None,
    counter: Callable[[QuerySet], int] = _count,
) -> CountableConnection:
    """One page of an ordered `queryset` as `connection_type`, with Relay's offset cursors.

    Like Saleor, a page size is required (`first` or `last`, not both) and at most 100. The total
    (for `totalCount`, or a page by `last` alone) is `counter(queryset)`, counted at most once.
    """
    if first is None and last is None:
        raise StorefrontError(
            f"You must provide a `first` or `last` value to properly paginate the `{name}` connection.",
            code=StorefrontErrorCode.REQUIRED,
            field="first",
        )
    if first is not None and last is not None:
        raise StorefrontError(
            f"Argument `last` cannot be combined with `first` on the `{name}` connection.",
            code=StorefrontErrorCode.INVALID,
            field="last",
        )
    _check_page_size(name, "first", first)
    _check_page_size(name, "last", last)
    after_offset = _offset(after, "after")
    before_offset = _offset(before, "before")
    lower = after_offset + 1 if after_offset is not None else 0
    total: int | None = None
    if first is not None:
        upper = lower + first + 1
        if before_offset is not None:
            upper = min(upper, before_offset)
        rows = list(queryset[lower:upper]) if upper > lower else []
        has_next = len(rows) > first
        rows = rows[:first]
        has_previous = lower > 0
        start = lower
    else:
        assert last is not None
        if before_offset is None:
            total = counter(queryset)
            upper = total
        else:
            upper = before_offset
        start = max(lower, upper - last)
        rows = list(queryset[start:upper]) if upper > start else []
        has_previous = start > 0
        has_next = before_offset is not None
    edge_type = connection_type.Edge
    edges = [edge_type(node=row, cursor=offset_to_cursor(start + i)) for i, row in enumerate(rows)]
    page_info = graphene.relay.PageInfo(
        start_cursor=edges[0].cursor if edges else None,
        end_cursor=edges[-1].cursor if edges else None,
        has_previous_page=has_previous,
        has_next_page=has_next,
    )
    connection = connection_type(edges=edges, page_info=page_info)
    connection._queryset = queryset
    connection._counter = counter
    connection._total = total
    return connection
