"""Batch loaders of what a page of products shows (see storefront_api.core.dataloaders)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping

from marketplace.catalogue.models import Category, ProductMedia, ProductVariant
from marketplace.catalogue.selectors import categories, ready_media_of_products, variant_prices, variants_of_products
from marketplace.certification.models import Certification
from marketplace.certification.selectors import certifications_of_products
from marketplace.channel.models import Channel
from marketplace.inventory.selectors import quantities_available
from storefront_api.core.dataloaders import BatchLoader, announce_keys

PRODUCT_KEYS = "product"
VARIANT_KEYS = "variant"
CATEGORY_KEYS = "category"


class MediaByProductIdLoader(BatchLoader[int, list[ProductMedia]]):
    key_kind = PRODUCT_KEYS

    def batch_load(self, keys: list[int]) -> dict[int, list[ProductMedia]]:
        found: dict[int, list[ProductMedia]] = defaultdict(list)
        for media in ready_media_of_products(product_ids=keys):
            found[media.product_id].append(media)
        return found

    def missing(self) -> list[ProductMedia]:
        return []


class VariantsByProductIdLoader(BatchLoader[int, list[ProductVariant]]):
    """The variants of products; announces their ids to the price and stock loaders."""

    key_kind = PRODUCT_KEYS

    def batch_load(self, keys: list[int]) -> dict[int, list[ProductVariant]]:
        found: dict[int, list[ProductVariant]] = defaultdict(list)
        for variant in variants_of_products(product_ids=keys):
            found[variant.product_id].append(variant)
        announce_keys(self.context, VARIANT_KEYS, (v.pk for variants in found.values() for v in variants))
        return found

    def missing(self) -> list[ProductVariant]:
        return []


class PriceByVariantIdLoader(BatchLoader[int, int | None]):
    """A variant's price in whole đồng in the loader's channel, or None when it has none there."""

    key_kind = VARIANT_KEYS

    def batch_load(self, keys: list[int]) -> dict[int, int | None]:
        (channel,) = self.args
        assert isinstance(channel, Channel)
        return dict(variant_prices(variant_ids=keys, channel=channel))

    def missing(self) -> None:
        return None


class QuantityAvailableByVariantIdLoader(BatchLoader[int, int]):
    key_kind = VARIANT_KEYS

    def batch_load(self, keys: list[int]) -> dict[int, int]:
        return quantities_available(variant_ids=keys)

    def missing(self) -> int:
        return 0


class CertificationsByProductIdLoader(BatchLoader[int, list[Certification]]):
    key_kind = PRODUCT_KEYS

    def batch_load(self, keys: list[int]) -> dict[int, list[Certification]]:
        found: dict[int, list[Certification]] = defaultdict(list)
        for certification in certifications_of_products(product_ids=keys):
            found[certification.product_id].append(certification)
        return found

    def missing(self) -> list[Certification]:
        return []


class CategoryByIdLoader(BatchLoader[int, Category | None]):
    key_kind = CATEGORY_KEYS

    def batch_load(self, keys: list[int]) -> Mapping[int, Category | None]:
        return categories().in_bulk(keys)

    def missing(self) -> None:
        return None
