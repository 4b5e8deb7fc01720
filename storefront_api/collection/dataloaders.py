from __future__ import annotations

from collections import defaultdict

from marketplace.catalogue.models import Collection
from marketplace.catalogue.selectors import collections_of_products
from storefront_api.core.dataloaders import BatchLoader
from storefront_api.product.dataloaders import PRODUCT_KEYS


class CollectionsByProductIdLoader(BatchLoader[int, list[Collection]]):
    """The published collections each product is in."""

    key_kind = PRODUCT_KEYS

    def batch_load(self, keys: list[int]) -> dict[int, list[Collection]]:
        found: dict[int, list[Collection]] = defaultdict(list)
        for membership in collections_of_products(product_ids=keys):
            found[membership.product_id].append(membership.collection)
        return found

    def missing(self) -> list[Collection]:
        return []
