"""Saleor's countable connections: `edges`, `pageInfo`, `totalCount`, paged by first/after or last/before."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, NamedTuple, Protocol, TypedDict, TypeVar

import graphene
from graphql_relay import cursor_to_offset, offset_to_cursor

from storefront_api.core.errors import StorefrontError, StorefrontErrorCode

MAX_PAGE_SIZE = 100


class CountableConnection(graphene.relay.Connection):
    """A connection whose total is counted only when a client asks for `totalCount`."""

    class Meta:
        abstract = True

    total_count = graphene.Int(description="A total count of items in the collection.")

    _total: int | None = None
    _count_total: Callable[[], int] | None = None

    @staticmethod
    def resolve_total_count(root: CountableConnection, info: graphene.ResolveInfo) -> int:
        return root.count()

    def set_total(self, *, total: int | None = None, counter: Callable[[], int] | None = None) -> None:
        """The total when it is known already, else how to count it (at most once, when asked)."""
        self._total = total
        self._count_total = counter

    def count(self) -> int:
        if self._total is None:
            assert self._count_total is not None, "set_total() gives the total or a counter"
            self._total = self._count_total()
        return self._total


class PageArgs(TypedDict, total=False):
    """The paging arguments (`connection_page_args`) as a resolver receives them, for its `**page`."""

    first: int | None
    after: str | None
    last: int | None
    before: str | None


class Pageable(Protocol):
    """What `paginate` pages: a queryset, or a list that counts itself (`attribute.types.Rows`)."""

    def __getitem__(self, index: slice, /) -> Iterable[Any]: ...

    def count(self) -> int: ...


R = TypeVar("R", bound=Pageable)


class PagedRead:
    """Rows that `paginate` pages by asking `read(offset=…, limit=…)` for each page (a compiled statement)."""

    def __init__(self, read: Callable[..., list[Any]]) -> None:
        self.read = read

    def __getitem__(self, window: slice, /) -> list[Any]:
        start, stop = window.start or 0, window.stop
        assert stop is not None and window.step is None, "paginate asks for a bounded page"
        return self.read(offset=start, limit=max(stop - start, 0))

    def count(self) -> int:
        raise NotImplementedError("count a PagedRead with the counter given to paginate")


def _count(rows: Pageable) -> int:
    return rows.count()


C = TypeVar("C", bound=CountableConnection)


def connection_page_args() -> dict[str, Any]:
    """The four paging arguments, for a field's `**kwargs`."""
    return {
        "before": graphene.String(),
        "after": graphene.String(),
        "first": graphene.Int(),
        "last": graphene.Int(),
    }


def _requested_size(name: str, *, first: int | None, last: int | None) -> tuple[int, bool]:
    """The page size asked for, and whether it counts from the start (`first`) or the end (`last`)."""
    if first is not None and last is not None:
        raise StorefrontError(
            f"Argument `last` cannot be combined with `first` on the `{name}` connection.",
            code=StorefrontErrorCode.INVALID,
            field="last",
        )
    if first is not None:
        return checked_page_size(name, "first", first), True
    if last is not None:
        return checked_page_size(name, "last", last), False
    raise StorefrontError(
        f"You must provide a `first` or `last` value to properly paginate the `{name}` connection.",
        code=StorefrontErrorCode.REQUIRED,
        field="first",
    )


def checked_page_size(name: str, field: str, value: int) -> int:
    """`value`, a page size of the `name` connection, when it is from 0 to `MAX_PAGE_SIZE`."""
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
    return value


def _offset(cursor: str | None, field: str) -> int | None:
    if cursor is None:
        return None
    offset = cursor_to_offset(cursor)
    if offset is None or offset < 0:
        raise StorefrontError("Received cursor is invalid.", code=StorefrontErrorCode.INVALID, field=field)
    return offset


def offset_after(cursor: str | None) -> int:
    """The offset of the first row after the cursor `after` (0 without one)."""
    offset = _offset(cursor, "after")
    return offset + 1 if offset is not None else 0


class _Page(NamedTuple):
    rows: list[Any]
    start: int  # the offset of the first row
    has_previous: bool
    has_next: bool
    total: int | None  # when counting it was needed to find the page


def _page_from_start(rows: Pageable, *, size: int, lower: int, before: int | None) -> _Page:
    """`size` rows from offset `lower`, reading one more to know whether a next page exists."""
    upper = lower + size + 1
    if before is not None:
        upper = min(upper, before)
    found = list(rows[lower:upper]) if upper > lower else []
    return _Page(found[:size], lower, has_previous=lower > 0, has_next=len(found) > size, total=None)


def _page_from_end(rows: R, *, size: int, lower: int, before: int | None, counter: Callable[[R], int]) -> _Page:
    """The last `size` rows from offset `lower` up to `before` (or up to the end: then the rows are counted)."""
    if before is None:
        upper = counter(rows)
        total: int | None = upper
    else:
        upper, total = before, None
    start = max(lower, upper - size)
    found = list(rows[start:upper]) if upper > start else []
    return _Page(found, start, has_previous=start > 0, has_next=before is not None, total=total)


def _connection(connection_type: type[C], page: _Page, *, counter: Callable[[], int]) -> C:
    edge_type = connection_type.Edge
    edges = [edge_type(node=row, cursor=offset_to_cursor(page.start + i)) for i, row in enumerate(page.rows)]
    page_info = graphene.relay.PageInfo(
        start_cursor=edges[0].cursor if edges else None,
        end_cursor=edges[-1].cursor if edges else None,
        has_previous_page=page.has_previous,
        has_next_page=page.has_next,
    )
    connection = connection_type(edges=edges, page_info=page_info)
    connection.set_total(total=page.total, counter=counter)
    return connection


def paginate(
    queryset: R,
    connection_type: type[C],
    *,
    name: str,
    first: int | None = None,
    after: str | None = None,
    last: int | None = None,
    before: str | None = None,
    counter: Callable[[R], int] = _count,
) -> C:
    """One page of an ordered `queryset` as `connection_type`, with Relay's offset cursors.

    Like Saleor, a page size is required (`first` or `last`, not both) and at most 100. The total
    (for `totalCount`, or a page by `last` alone) is `counter(queryset)`, counted at most once.
    """
    size, from_start = _requested_size(name, first=first, last=last)
    lower = offset_after(after)
    before_offset = _offset(before, "before")
    if from_start:
        page = _page_from_start(queryset, size=size, lower=lower, before=before_offset)
    else:
        page = _page_from_end(queryset, size=size, lower=lower, before=before_offset, counter=counter)
    return _connection(connection_type, page, counter=lambda: counter(queryset))
