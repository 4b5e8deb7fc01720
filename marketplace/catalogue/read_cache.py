"""Cached reads of the listed catalogue (counts, search results), keyed by a version and today.

A product list's total or a search's facets over 100,000 products take 100–400 ms to compute and
change only when the catalogue (or the search index) does. They are kept in Django's cache (Redis)
under a key that holds what was asked (a fingerprint), a version and today's date:

- `CATALOGUE`, the version of counts, is bumped (`catalogue_version_bump`) on `products_changed`
  (the sync, the listing gate and the daily check send it on commit), on saves and deletions of
  products, certificates, producers, categories and collections, on saves of memberships and on
  collection rebuilds, so a delisted product leaves every cached count at once;
- `SEARCH_INDEX`, the version of search results, is bumped whenever the search index is written
  (`search.indexing`): search totals and facets are the index's and follow it;
- `SHOWN`, the version of the rest of what a shopper is shown (variants, prices, stock, photos, outlets,
  channels, menus and pages), is bumped on their saves and deletions and when orders take or release
  stock (`stock_changed`): whole answers (`answer_key`) are kept under all three versions;
- today's date makes a certificate that expires at midnight leave the counts the next day even
  before the daily check has run;
- `READ_TIMEOUT` bounds what a write that bypasses every signal (a raw SQL fix) can leave behind.
"""

from __future__ import annotations

import datetime
import hashlib
import time
from collections.abc import Callable
from typing import Any, TypeVar

from django.core.cache import cache, caches
from django.core.exceptions import EmptyResultSet
from django.db import connection, transaction
from django.db.models import QuerySet

from marketplace.core.cache import DegradingRedisCache
from marketplace.core.dates import local_today

CATALOGUE = "catalogue"
SEARCH_INDEX = "search-index"
SHOWN = "shown"
SCOPES = (CATALOGUE, SEARCH_INDEX, SHOWN)
READ_TIMEOUT = 600  # seconds
T = TypeVar("T")


def _prefix() -> str:
    """Keys name the database: two databases (tests, a benchmark) may share one Redis."""
    return f"catalogue:{connection.settings_dict['NAME']}"


def version_key(scope: str = CATALOGUE) -> str:
    return f"{_prefix()}:{scope}:read-version"


def catalogue_version(*, scope: str = CATALOGUE) -> int:
    """The current version; a fresh one (the clock in ns, never an old number) if the cache lost it."""
    key = version_key(scope)
    version = cache.get(key)
    if version is None:
        cache.add(key, time.time_ns(), timeout=None)
        version = cache.get(key)
    if version is None:  # the cache is away (marketplace.core.cache): a version nothing was stored under
        return time.time_ns()
    return int(version)


def _bump(scope: str) -> None:
    key = version_key(scope)
    try:
        cache.incr(key)
    except ValueError:  # missing: start from the clock so no older version number comes back
        cache.add(key, time.time_ns(), timeout=None)


def catalogue_version_reset() -> None:
    """Start versions no cached read was ever stored under (tests start each with them)."""
    for scope in SCOPES:
        cache.set(version_key(scope), time.time_ns(), timeout=None)


def catalogue_version_bump(*, scope: str = CATALOGUE) -> None:
    """Make every cached read of `scope` stale: now, and again when the transaction commits.

    The second bump drops what a reader may have cached from the data before the commit.
    """
    _bump(scope)
    if connection.in_atomic_block:
        transaction.on_commit(lambda: _bump(scope))


def catalogue_cached(
    *,
    kind: str,
    fingerprint: Any,
    compute: Callable[[], T],
    scope: str = CATALOGUE,
    today: datetime.date | None = None,
) -> T:
    """`compute()`, or its value cached for this `fingerprint` (anything with a stable repr) today."""
    key = _read_key(kind, [catalogue_version(scope=scope)], repr(fingerprint).encode(), today)
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, timeout=READ_TIMEOUT)
    return value


def answer_key(*, kind: str, fingerprint: bytes, today: datetime.date | None = None) -> str:
    """The cache key of a whole answer shown to anonymous shoppers (a page, an API query's JSON) asked by
    `fingerprint` (what was asked, as bytes), today, as the catalogue, the search index and the rest of what
    is shown stand: any write that bumps one of the three versions gives every such answer a new key.

    The three versions are read in one round trip; one the cache lost is started as `catalogue_version` does.
    """
    keys = [version_key(scope) for scope in SCOPES]
    found = cache.get_many(keys)
    versions = [found.get(key) or catalogue_version(scope=scope) for key, scope in zip(keys, SCOPES, strict=True)]
    return _read_key(kind, versions, fingerprint, today)


def look_up_answer(*, kind: str, fingerprint: bytes, today: datetime.date | None = None) -> tuple[str, Any]:
    """The key of the answer asked by `fingerprint` (`answer_key`) and what is kept under it (None if nothing),
    read with the versions in one round trip where the cache can (`DegradingRedisCache.get_under_versions`)."""
    backend = caches["default"]
    if not isinstance(backend, DegradingRedisCache):
        key = answer_key(kind=kind, fingerprint=fingerprint, today=today)
        return key, cache.get(key)
    head, tail = _read_key_parts(kind, fingerprint, today)
    versions, kept = backend.get_under_versions([version_key(scope) for scope in SCOPES], head, tail)
    if None in versions:  # a version the cache lost (nothing is kept under the one it starts), or no cache
        return answer_key(kind=kind, fingerprint=fingerprint, today=today), None
    return _joined(head, versions, tail), kept


def keep_answer(key: str, answer: Any) -> None:
    cache.set(key, answer, timeout=READ_TIMEOUT)


def _read_key(kind: str, versions: list[int], fingerprint: bytes, today: datetime.date | None) -> str:
    head, tail = _read_key_parts(kind, fingerprint, today)
    return _joined(head, versions, tail)


def _joined(head: str, versions: list[Any], tail: str) -> str:
    return head + ".".join(map(str, versions)) + tail


def _read_key_parts(kind: str, fingerprint: bytes, today: datetime.date | None) -> tuple[str, str]:
    """A read's key is `head` + its versions joined by "." + `tail`."""
    digest = hashlib.sha256(fingerprint).hexdigest()
    day = (today or local_today()).isoformat()
    return f"{_prefix()}:{kind}:", f":{day}:{digest}"


def cached_count(queryset: QuerySet, *, today: datetime.date | None = None) -> int:
    """`queryset.count()`, cached per SQL statement (so per filter, search and gate day).

    A queryset Django knows to match nothing (`pk__in=[]`: a search without hits) has no SQL to key on,
    and nothing to count: 0, without a query.
    """
    unordered = queryset.order_by()
    try:
        sql, params = unordered.query.sql_with_params()
    except EmptyResultSet:
        return 0
    return catalogue_cached(kind="count", fingerprint=(sql, params), compute=unordered.count, today=today)
