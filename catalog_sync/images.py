"""Fetching one registry image: download it with the registry client, check it, record the outcome.

A bad image (not an image, wrong format, too big, corrupt, unknown to the registry) is marked failed
on its ProductMedia with the reason; nothing else about the product changes. A registry that is
down (`RegistryUnavailable`) or refuses our token (`RegistryAuthError`) says nothing about the
image: the media stays pending and the error goes up to the task, which retries or fails loudly.
"""

from __future__ import annotations

import logging
import re

from django.conf import settings

from catalog_sync.client import RegistryClient, RegistryRequestError
from marketplace.catalogue.images import ImageRejected, process_image
from marketplace.catalogue.media_services import product_media_mark_failed, product_media_store_processed
from marketplace.catalogue.models import ProductMedia

logger = logging.getLogger(__name__)

# A media id goes into the URL path as it is: refuse ids that would change the path or the query.
_UNSAFE_IN_PATH = re.compile(r"[/\\?#%\s]|^\.{1,2}$")


def fetch_registry_image(*, media_id_pk: int, client: RegistryClient) -> ProductMedia | None:
    """Download, check and store the registry image of ProductMedia `media_id_pk`, or mark it failed.

    Does nothing (and returns None) if that media no longer exists, is not a registry image or is
    not pending any more, so it can run twice. Returns the media in its new state otherwise.
    Raises `RegistryUnavailable` / `RegistryAuthError` with the media left pending.
    """
    media = ProductMedia.objects.filter(
        pk=media_id_pk, source=ProductMedia.Source.REGISTRY, status=ProductMedia.Status.PENDING
    ).first()
    if media is None:
        return None

    max_bytes = settings.OCOP_IMAGE_MAX_BYTES
    if _UNSAFE_IN_PATH.search(media.registry_media_id):
        product_media_mark_failed(media=media, reason=f"registry media id {media.registry_media_id!r} is not usable")
        return media
    try:
        downloaded = client.media(media.registry_media_id, max_bytes=max_bytes)
    except RegistryRequestError as exc:
        product_media_mark_failed(media=media, reason=_download_refused_reason(exc, max_bytes=max_bytes))
        return media

    try:
        processed = process_image(
            downloaded.content,
            max_pixels=settings.OCOP_IMAGE_MAX_PIXELS,
            max_bytes=max_bytes,
            sizes=settings.OCOP_IMAGE_RENDITION_SIZES,
        )
    except ImageRejected as exc:
        product_media_mark_failed(media=media, reason=exc.reason)
        return media

    product_media_store_processed(media=media, processed=processed)
    return media


def _download_refused_reason(exc: RegistryRequestError, *, max_bytes: int) -> str:
    if exc.code == "too_large":
        return f"over {max_bytes:,} bytes"
    if exc.status == 404:
        return "registry has no such image (404)"
    detail = f"{exc.status} {exc.code}".strip()
    return f"registry refused the download ({detail})"
