"""Celery tasks of the registry sync. They take ids, call services, and can run twice without harm."""

from __future__ import annotations

import logging
from typing import Any

from celery import Task, shared_task

from catalog_sync.client import RegistryClient, RegistryUnavailable
from catalog_sync.images import fetch_registry_image
from marketplace.catalogue.media_services import product_media_sync_registry_images
from marketplace.catalogue.models import Product

logger = logging.getLogger(__name__)

IMAGE_FETCH_MAX_RETRIES = 5
IMAGE_FETCH_RETRY_SECONDS = 60  # doubled on each retry: 1, 2, 4, 8, 16 minutes


@shared_task(bind=True, max_retries=IMAGE_FETCH_MAX_RETRIES)
def fetch_product_images_task(self: Task, product_id: int) -> None:
    """Fetch, check and store the product's pending registry images, one by one, in their order.

    It first brings the product's registry ProductMedia in line with `registry_image_ids` (the sync
    may already have done so; doing it again changes nothing), so queueing this task is enough.
    Images already ready or failed are skipped, so a retry carries on where the last run stopped.
    If the registry is unavailable the rest stay pending and the task retries later; after the
    last retry they are still pending (never failed for the registry's sake).
    """
    product = Product.objects.filter(pk=product_id).first()
    if product is None:
        return
    pending = product_media_sync_registry_images(product=product)
    if not pending:
        return
    with RegistryClient() as client:
        for media_pk in pending:
            try:
                fetch_registry_image(media_id_pk=media_pk, client=client)
            except RegistryUnavailable as exc:
                raise self.retry(exc=exc, countdown=IMAGE_FETCH_RETRY_SECONDS * 2**self.request.retries) from exc


@shared_task
def sync_registry_task() -> dict[str, Any]:
    """Celery beat's sync, every OCOP_SYNC_INTERVAL_MINUTES. Skips quietly if a sync is already running."""
    from catalog_sync.models import SYNC_COUNTERS
    from catalog_sync.sync import SyncAlreadyRunning, run_sync

    try:
        run = run_sync(trigger="beat")
    except SyncAlreadyRunning:
        logger.info("registry sync skipped: another one is running")
        return {"status": "skipped"}
    return {"status": run.status, "sync_run": run.pk, **{name: getattr(run, name) for name in SYNC_COUNTERS}}


@shared_task
def requeue_pending_images_task(*, older_than_minutes: int = 30) -> int:
    """Hourly: queue again the products whose registry images are still pending (e.g. after an outage)."""
    from datetime import timedelta

    from django.utils import timezone

    from marketplace.catalogue.models import ProductMedia

    cutoff = timezone.now() - timedelta(minutes=older_than_minutes)
    product_ids = (
        ProductMedia.objects.filter(
            source=ProductMedia.Source.REGISTRY, status=ProductMedia.Status.PENDING, updated_at__lt=cutoff
        )
        .values_list("product_id", flat=True)
        .distinct()
    )
    from marketplace.outbox.services import enqueue_many

    ids = list(product_ids)
    enqueue_many(fetch_product_images_task, [[pk] for pk in ids], outbox_keys=[f"product-images:{pk}" for pk in ids])
    return len(ids)
