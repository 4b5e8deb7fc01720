import logging

from celery import shared_task

from marketplace.catalogue.collection_services import collections_refresh_automatic
from marketplace.catalogue.services import catalogue_apply_daily_check

logger = logging.getLogger(__name__)


@shared_task
def delist_expired_task() -> dict:
    """Daily, just after midnight in Asia/Ho_Chi_Minh: the gate re-applied to today's date."""
    changes = catalogue_apply_daily_check()
    logger.info("daily certificate check: %s listed, %s delisted", changes.listed, changes.delisted)
    return {"listed": changes.listed, "delisted": changes.delisted, "recertified": changes.recertified}


@shared_task
def refresh_automatic_collections_task() -> dict[str, int]:
    """Hourly: the automatic collections (5-star, new this season) rebuilt from the listed catalogue."""
    return collections_refresh_automatic()
