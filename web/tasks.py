"""The pages' scheduled work: the product feeds and the open data written again (web/feeds.py)."""

import logging

from celery import shared_task

from web.feeds import refresh_feeds

logger = logging.getLogger(__name__)


@shared_task
def refresh_feeds_task() -> dict[str, int]:
    """Every OCOP_FEEDS_REFRESH_MINUTES: the Google and Meta feeds and the open data, from what is for sale now."""
    sizes = refresh_feeds()
    logger.info("feeds refreshed: %s", ", ".join(f"{name} {size:,} bytes" for name, size in sizes.items()))
    return sizes
