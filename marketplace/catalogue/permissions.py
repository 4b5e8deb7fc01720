"""The back office's rules for the catalogue: products, their variants, prices, photos and listing history.

What the registry owns (names, groups, the listing the gate decides, its photos, the listing history) is
read-only for everyone. A producer's staff edit their own products' descriptions, variants, prices and
photos; trade staff see their province's; operators set slugs and run categories and collections.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from marketplace.accounts.models import Role
from marketplace.accounts.permissions import (
    ALL,
    VIEW,
    VIEW_CHANGE,
    Resource,
    register_model,
    scope_operator_only,
    within_scope,
)
from marketplace.catalogue.models import (
    PRODUCT_LISTING_FIELDS,
    PRODUCT_REGISTRY_FIELDS,
    Category,
    Collection,
    CollectionProduct,
    ListingEvent,
    Product,
    ProductMedia,
    ProductVariant,
    ProductVariantChannelListing,
)
from marketplace.producers.permissions import scope_through_producer

CATEGORY = Resource(
    "catalogue.category",
    grants={Role.OPERATOR: VIEW_CHANGE},
    registry_fields=frozenset({"kind", "parent", "scheme", "code", "name"}),
)
COLLECTION = Resource("catalogue.collection", grants={Role.OPERATOR: ALL})
PRODUCT = Resource(
    "catalogue.product",
    grants={Role.OPERATOR: VIEW_CHANGE, Role.TRADE_STAFF: VIEW, Role.PRODUCER_STAFF: VIEW_CHANGE},
    registry_fields=frozenset({"registry_id", *PRODUCT_REGISTRY_FIELDS, *PRODUCT_LISTING_FIELDS}),
    editable_by={
        Role.OPERATOR: frozenset({"slug", "slug_en", "seller_description", "seller_description_en"}),
        Role.PRODUCER_STAFF: frozenset({"seller_description", "seller_description_en"}),
    },
)
VARIANT = Resource("catalogue.variant", grants={Role.OPERATOR: ALL, Role.PRODUCER_STAFF: ALL})
VARIANT_PRICE = Resource("catalogue.variant_price", grants={Role.OPERATOR: ALL, Role.PRODUCER_STAFF: ALL})
# A product's photos are two resources: the registry's, as the sync fetched them, and the producer's own.
REGISTRY_MEDIA = Resource(
    "catalogue.registry_media",
    grants={Role.OPERATOR: VIEW, Role.TRADE_STAFF: VIEW, Role.PRODUCER_STAFF: VIEW},
    registry_owned=True,
)
PRODUCER_MEDIA = Resource(
    "catalogue.producer_media",
    grants={Role.OPERATOR: ALL, Role.TRADE_STAFF: VIEW, Role.PRODUCER_STAFF: ALL},
)
LISTING_EVENT = Resource(
    "catalogue.listing_event",
    grants={Role.OPERATOR: VIEW, Role.TRADE_STAFF: VIEW, Role.PRODUCER_STAFF: VIEW},
    registry_owned=True,
)


def scope_products(user: Any, qs: QuerySet[Product]) -> QuerySet[Product]:
    return scope_through_producer(user, qs, "producer__")


def scope_variants(user: Any, qs: QuerySet[ProductVariant]) -> QuerySet[ProductVariant]:
    return scope_through_producer(user, qs, "product__producer__")


def scope_variant_prices(
    user: Any, qs: QuerySet[ProductVariantChannelListing]
) -> QuerySet[ProductVariantChannelListing]:
    return scope_through_producer(user, qs, "variant__product__producer__")


def scope_product_media(user: Any, qs: QuerySet[ProductMedia]) -> QuerySet[ProductMedia]:
    return scope_through_producer(user, qs, "product__producer__")


def scope_listing_events(user: Any, qs: QuerySet[ListingEvent]) -> QuerySet[ListingEvent]:
    return scope_through_producer(user, qs, "product__producer__")


register_model(Category, scope=scope_operator_only)
register_model(Collection, scope=scope_operator_only)
register_model(CollectionProduct, scope=scope_operator_only)
# A form's product or variant (a stock row, a collection's member) is picked among the user's own.
register_model(Product, scope=scope_products, choices=within_scope)
register_model(ProductVariant, scope=scope_variants, choices=within_scope)
register_model(ProductVariantChannelListing, scope=scope_variant_prices)
register_model(ProductMedia, scope=scope_product_media)
register_model(ListingEvent, scope=scope_listing_events)
