"""Reads of the search index for the storefront: the backend's ranking, with the listing gate on top."""

from __future__ import annotations

from dataclasses import replace

from django.core.cache import cache

from marketplace.catalogue.read_cache import SEARCH_INDEX, catalogue_cached
from marketplace.catalogue.selectors import listed_in_order
from search.backends import get_backend
from search.backends.base import SearchBackend, SearchQuery, SearchResult, folded_words
from search.vocabulary import KINDS

MAX_RANKED_IDS = 1000  # how many matches `products(search:)` ranks before its own filters and paging
LISTED_KINDS_KEY = "search:listed-kinds"  # the kinds the index holds, as the indexing last found them
SUGGESTED_KINDS = 3  # how many the search box suggests


def product_search(*, query: SearchQuery, backend: SearchBackend | None = None) -> SearchResult:
    """One page of matches, without any product delisted since it was indexed.

    This is what hides a delisting at once, whatever the index says; the total and the facet
    counts come from the index and follow at the next indexing cycle (the delisting marks it).

    Results are cached (`catalogue_cached`: until the index is written, or the day changes) per
    backend and query. Without text, the total and facets — counted over the whole
    catalogue, ~350 ms at 100,000 products — are cached per filters alone, so that every page and
    sort of a browse shares them and only the page itself is read.
    """
    backend = backend or get_backend()
    result = catalogue_cached(
        kind="search",
        fingerprint=(type(backend).__name__, query),
        compute=lambda: _search(backend, query),
        scope=SEARCH_INDEX,
    )
    listed = listed_in_order(product_ids=result.product_ids)  # the gate, one compiled statement
    if len(listed) == len(result.product_ids):
        return result
    return replace(result, product_ids=listed)


def _search(backend: SearchBackend, query: SearchQuery) -> SearchResult:
    if query.text.strip():
        return backend.search(query)
    counted = catalogue_cached(  # the total, and the facets when they are shown
        kind="search-counts",
        fingerprint=(type(backend).__name__, query.filters, query.facets),
        compute=lambda: backend.search(SearchQuery(filters=query.filters, offset=0, limit=0, facets=query.facets)),
        scope=SEARCH_INDEX,
    )
    page = backend.search(replace(query, counts=False))
    return replace(counted, product_ids=page.product_ids)


def ranked_product_ids(*, text: str, backend: SearchBackend | None = None) -> list[int]:
    """The ids of the best `MAX_RANKED_IDS` matches of `text`, best first (the caller applies the gate)."""
    backend = backend or get_backend()
    query = SearchQuery(text=text, offset=0, limit=MAX_RANKED_IDS, counts=False, facets=False)  # ids only
    return catalogue_cached(
        kind="ranked",
        fingerprint=(type(backend).__name__, query),
        compute=lambda: backend.search(query).product_ids,
        scope=SEARCH_INDEX,
    )


def listed_kinds_refresh(*, backend: SearchBackend | None = None) -> list[tuple[str, str]]:
    """Find which of the vocabulary's kinds of product the index holds (one backend call) and keep them, as
    (Vietnamese, English) names in the vocabulary's order, for the search box (`listed_kinds`). The indexing
    calls this after every write, so the suggestions follow what is listed."""
    backend = backend or get_backend()
    suggestible = [kind for kind in KINDS if kind.suggest]
    present = backend.terms_in_names([kind.vi[0] for kind in suggestible])
    found = [(kind.vi[0], kind.en[0]) for kind in suggestible if " ".join(folded_words(kind.vi[0])) in present]
    cache.set(LISTED_KINDS_KEY, found, timeout=None)
    return found


def listed_kinds(*, limit: int = SUGGESTED_KINDS) -> list[tuple[str, str]]:
    """The first `limit` kinds of product the index held when it was last written, as (Vietnamese, English) names;
    none when the cache has lost them (until the next indexing). No database or search call: every page shows
    them."""
    found = cache.get(LISTED_KINDS_KEY)
    return list(found[:limit]) if found else []
