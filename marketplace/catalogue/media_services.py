"""Writes for product images (ProductMedia): following the registry's image list, storing checked images.

A registry image goes pending → ready (files stored, renditions listed) or pending → failed (with a
reason for the admin). The download and the checks happen elsewhere (`catalog_sync.images` and
`marketplace.catalogue.images`); these services only record the outcome, and only for media that are
still pending, so running any step twice changes nothing. A failed image never touches the product's
listing: the product is sold with the images that are ready, or with none.

Files go through Django's default storage, named by primary keys (registry media ids are the
registry's strings and are never used in a path):
    products/<product pk>/<media pk>.webp          the normalised original
    products/<product pk>/<media pk>-<size>.webp   one per rendition size
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import CharField
from django.utils import timezone

from marketplace.catalogue.images import ProcessedImage
from marketplace.catalogue.models import Product, ProductMedia

logger = logging.getLogger(__name__)


def _max_length(field_name: str) -> int:
    """How many characters the column `field_name` of ProductMedia holds."""
    field = ProductMedia._meta.get_field(field_name)
    if not isinstance(field, CharField) or field.max_length is None:
        raise TypeError(f"ProductMedia.{field_name} is not a text column of bounded length")
    return field.max_length


REGISTRY_MEDIA_ID_MAX_LENGTH = _max_length("registry_media_id")
FAILURE_REASON_MAX_LENGTH = _max_length("failure_reason")


def product_media_sync_registry_images(*, product: Product) -> list[int]:
    """Make the product's registry images match `product.registry_image_ids`; return the pks still pending.

    New ids get a pending row, in the registry's order; rows whose id the registry dropped are
    deleted (their files once the transaction commits); kept rows take their new place in the
    order but keep their status, so a ready image is not fetched again and a rejected one is not
    retried on every sync. The producer's own images are not touched.

    Called with the product saved: by the sync engine (which then queues
    `fetch_product_images_task` through the outbox when the list is not
    empty) and again by that task itself, so that queueing the task alone is enough.
    """
    wanted = _clean_media_ids(product.registry_image_ids)
    now = timezone.now()
    with transaction.atomic():
        # One reconciliation per product at a time: two would both insert the new ids.
        list(Product.objects.select_for_update().filter(pk=product.pk).values_list("pk", flat=True))
        existing = {
            media.registry_media_id: media
            for media in ProductMedia.objects.select_for_update().filter(
                product=product, source=ProductMedia.Source.REGISTRY
            )
        }
        gone = [media for media_id, media in existing.items() if media_id not in wanted]
        if gone:
            paths = [path for media in gone for path in _stored_paths(media)]
            ProductMedia.objects.filter(pk__in=[media.pk for media in gone]).delete()
            transaction.on_commit(lambda: _delete_files(paths))

        to_create, to_reorder = [], []
        for position, media_id in enumerate(wanted):
            media = existing.get(media_id)
            if media is None:
                to_create.append(
                    ProductMedia(
                        product=product,
                        source=ProductMedia.Source.REGISTRY,
                        registry_media_id=media_id,
                        status=ProductMedia.Status.PENDING,
                        sort_order=position,
                    )
                )
            elif media.sort_order != position:
                media.sort_order = position
                media.updated_at = now  # bulk_update does not apply auto_now
                to_reorder.append(media)
        ProductMedia.objects.bulk_create(to_create)
        ProductMedia.objects.bulk_update(to_reorder, ["sort_order", "updated_at"])

        return list(
            ProductMedia.objects.filter(
                product=product, source=ProductMedia.Source.REGISTRY, status=ProductMedia.Status.PENDING
            )
            .order_by("sort_order", "pk")
            .values_list("pk", flat=True)
        )


def product_media_store_processed(*, media: ProductMedia, processed: ProcessedImage) -> bool:
    """Store a checked image and its renditions and mark the media ready; False if it was no longer pending.

    Names are fixed, and a file already there (left by an attempt that did not commit) is
    replaced, so a second run produces the same files rather than copies with random suffixes.
    """
    with transaction.atomic():
        locked = _lock_if_pending(media)
        if locked is None:
            return False
        base = f"products/{locked.product_id}/{locked.pk}"
        original_path = _save_file(f"{base}.{processed.extension}", processed.content)
        renditions = {
            str(size): _save_file(f"{base}-{size}.{processed.extension}", rendition.content)
            for size, rendition in sorted(processed.renditions.items())
        }
        locked.image.name = original_path
        locked.width = processed.width
        locked.height = processed.height
        locked.renditions = renditions
        locked.status = ProductMedia.Status.READY
        locked.failure_reason = ""
        locked.save(update_fields=["image", "width", "height", "renditions", "status", "failure_reason", "updated_at"])
    _copy_state(locked, into=media)
    return True


def product_media_mark_failed(*, media: ProductMedia, reason: str) -> bool:
    """Record why an image was rejected; False if it was no longer pending. The product's listing is untouched."""
    reason = reason.strip() or "rejected"
    with transaction.atomic():
        locked = _lock_if_pending(media)
        if locked is None:
            return False
        locked.status = ProductMedia.Status.FAILED
        locked.failure_reason = _truncate(reason, FAILURE_REASON_MAX_LENGTH)
        locked.save(update_fields=["status", "failure_reason", "updated_at"])
    _copy_state(locked, into=media)
    logger.info("product %s: image %s rejected: %s", locked.product_id, locked.registry_media_id, reason)
    return True


def _clean_media_ids(raw: object) -> list[str]:
    """The registry's image ids as strings, in order, without blanks, repeats or ids too long to keep."""
    if not isinstance(raw, list):
        return []
    seen: dict[str, None] = {}
    for value in raw:
        if not isinstance(value, str):
            continue
        media_id = value.strip()
        if not media_id:
            continue
        if len(media_id) > REGISTRY_MEDIA_ID_MAX_LENGTH:
            logger.warning("ignoring a registry media id longer than %s characters", REGISTRY_MEDIA_ID_MAX_LENGTH)
            continue
        seen.setdefault(media_id, None)
    return list(seen)


def _lock_if_pending(media: ProductMedia) -> ProductMedia | None:
    locked = ProductMedia.objects.select_for_update().filter(pk=media.pk).first()
    if locked is None or locked.status != ProductMedia.Status.PENDING:
        return None
    return locked


def _save_file(name: str, content: bytes) -> str:
    if default_storage.exists(name):
        default_storage.delete(name)
    return default_storage.save(name, ContentFile(content))


def product_media_delete(*, media: ProductMedia) -> bool:
    """Deletes the image row and, once that is committed, its stored files. False if it was already gone."""
    with transaction.atomic():
        paths = _stored_paths(media)
        deleted, _ = ProductMedia.objects.filter(pk=media.pk).delete()
        if deleted:
            transaction.on_commit(lambda: _delete_files(paths))
    return bool(deleted)


def _stored_paths(media: ProductMedia) -> list[str]:
    paths = [media.image.name] if media.image and media.image.name else []
    paths.extend(path for path in (media.renditions or {}).values() if isinstance(path, str) and path)
    return paths


def _delete_files(paths: Iterable[str]) -> None:
    for path in paths:
        try:
            default_storage.delete(path)
        except OSError:
            logger.warning("could not delete %s", path, exc_info=True)


def _copy_state(source: ProductMedia, *, into: ProductMedia) -> None:
    """Let the caller's instance see what was saved."""
    into.image = source.image.name
    for name in ("width", "height", "renditions", "status", "failure_reason", "updated_at"):
        setattr(into, name, getattr(source, name))


def _truncate(text: str, length: int) -> str:
    return text if len(text) <= length else text[: length - 1] + "…"
