"""Reads of the search index for the storefront: the backend's ranking, with the listing gate on top."""

from __future__ import annotations

from dataclasses import replace

from marketplace.catalogue.selectors import listed_products
from search.backends import get_backend
from search.backends.base import SearchBackend, SearchQuery, SearchResult

MAX_RANKED_IDS = 1000  # how many matches `products(search:)` ranks before its own filters and paging


def product_search(*, query: SearchQuery, backend: SearchBackend | None = None) -> SearchResult:
    """One page of matches, without any product delisted since it was indexed.

    This is what hides a delisting at once, whatever the index says; the total and the facet
    counts come from the index and follow at the next indexing cycle (the delisting marks it).
    """
    result = (backend or get_backend()).search(query)
    listed = set(listed_products().filter(pk__in=result.product_ids).values_list("pk", flat=True))
    if len(listed) == len(result.product_ids):
        return result
    return replace(result, product_ids=[pk for pk in result.product_ids if pk in listed])


def ranked_product_ids(*, text: str, backend: SearchBackend | None = None) -> list[int]:
    """The ids of the best `MAX_RANKED_IDS` matches of `text`, best first (the caller applies the gate)."""
    result = (backend or get_backend()).search(SearchQuery(text=text, offset=0, limit=MAX_RANKED_IDS))
    return result.product_ids
