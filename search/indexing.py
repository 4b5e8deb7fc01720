"""Writes to the search index: marking products that need reindexing, working the marks off, rebuilding."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django.db import connection
from django.db.models import Q
from django.utils import timezone

from marketplace.catalogue.read_cache import SEARCH_INDEX, catalogue_version_bump
from marketplace.catalogue.selectors import listed_products
from search.backends import get_backend
from search.backends.base import ProgressCallback, SearchBackend
from search.documents import build_documents
from search.models import SearchIndexMark
from search.selectors import listed_kinds_refresh

logger = logging.getLogger(__name__)

INDEX_BATCH_SIZE = 500
INDEXING_LOCK_KEY = 0x5EA2C4  # pg advisory lock of the indexing run (the registry sync uses its own key)


class IndexingAlreadyRunning(Exception):
    pass


@contextmanager
def indexing_lock() -> Iterator[None]:
    """One indexing run at a time (a session-level advisory lock, released on exit or by PostgreSQL)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s)", [INDEXING_LOCK_KEY])
        (acquired,) = cursor.fetchone()
    if not acquired:
        raise IndexingAlreadyRunning("Another search indexing run is working off the marks.")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [INDEXING_LOCK_KEY])


@dataclass
class IndexingCounts:
    indexed: int = 0
    removed: int = 0


def search_mark_products(*, product_ids: Iterable[int]) -> None:
    """Mark these products as needing reindexing (again, if they already were: the newer time wins)."""
    now = timezone.now()
    marks = [SearchIndexMark(product_id=product_id, marked_at=now) for product_id in sorted(set(product_ids))]
    if marks:
        SearchIndexMark.objects.bulk_create(
            marks, update_conflicts=True, unique_fields=["product_id"], update_fields=["marked_at"]
        )


def search_index_products(*, product_ids: Iterable[int], backend: SearchBackend | None = None) -> IndexingCounts:
    """Bring these products' documents up to date: listed ones indexed, the others removed."""
    backend = backend or get_backend()
    ids = set(product_ids)
    documents = build_documents(ids)
    listed = {document.product_id for document in documents}
    backend.index(documents)
    backend.remove(sorted(ids - listed))
    catalogue_version_bump(scope=SEARCH_INDEX)  # cached search results follow the index
    listed_kinds_refresh(backend=backend)  # and the search box's suggestions
    return IndexingCounts(indexed=len(listed), removed=len(ids - listed))


def search_index_marked_products(
    *, batch_size: int = INDEX_BATCH_SIZE, max_batches: int | None = None, backend: SearchBackend | None = None
) -> IndexingCounts:
    """Work off the "needs reindex" marks, oldest first, a batch at a time.

    A mark is cleared only if it is unchanged since the batch read it, so a product marked again
    while its batch was being indexed stays marked for the next run; running this twice is harmless.
    """
    backend = backend or get_backend()
    total = IndexingCounts()
    batches = 0
    while max_batches is None or batches < max_batches:
        marks = list(SearchIndexMark.objects.order_by("marked_at", "product_id")[:batch_size])
        if not marks:
            break
        counts = search_index_products(product_ids=[mark.product_id for mark in marks], backend=backend)
        handled = Q()
        for mark in marks:
            handled |= Q(product_id=mark.product_id, marked_at=mark.marked_at)
        SearchIndexMark.objects.filter(handled).delete()
        total.indexed += counts.indexed
        total.removed += counts.removed
        batches += 1
        if len(marks) < batch_size:
            break
    return total


def search_rebuild_index(
    *,
    batch_size: int = INDEX_BATCH_SIZE,
    backend: SearchBackend | None = None,
    on_progress: ProgressCallback | None = None,
) -> int:
    """Empty the index and index every listed product again; returns how many were indexed.

    Marks older than the rebuild are cleared with it (a rebuild covers them); newer ones stay.
    """
    backend = backend or get_backend()
    started = timezone.now()
    backend.reset()
    ids = list(listed_products().order_by("pk").values_list("pk", flat=True))
    report: Callable[[int, int], None] = on_progress or (lambda done, total: None)
    done = 0
    for start in range(0, len(ids), batch_size):
        documents = build_documents(ids[start : start + batch_size])
        backend.index(documents)
        done += len(documents)
        report(min(start + batch_size, len(ids)), len(ids))
    SearchIndexMark.objects.filter(marked_at__lt=started).delete()
    catalogue_version_bump(scope=SEARCH_INDEX)
    listed_kinds_refresh(backend=backend)
    logger.info("Search index rebuilt: %d products", done)
    return done
