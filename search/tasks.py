"""Celery tasks of the search index. Safe to run twice; beat runs the indexing every minute."""

from __future__ import annotations

import logging

from celery import shared_task

from search.indexing import IndexingAlreadyRunning, indexing_lock, search_index_marked_products

logger = logging.getLogger(__name__)


@shared_task
def index_marked_products_task() -> dict[str, int]:
    """Index (or remove) every product marked as needing it, in batches; skipped while another run works."""
    try:
        with indexing_lock():
            counts = search_index_marked_products()
    except IndexingAlreadyRunning:
        logger.info("Search indexing skipped: another run is working off the marks.")
        return {"indexed": 0, "removed": 0, "skipped": 1}
    return {"indexed": counts.indexed, "removed": counts.removed}
