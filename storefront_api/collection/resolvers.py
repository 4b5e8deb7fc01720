"""The products of a collection: listed ones only, in the collection's order unless sorted or searched."""

from __future__ import annotations

from typing import Unpack

import graphene

from marketplace.catalogue.models import Collection
from marketplace.catalogue.read_cache import cached_count
from storefront_api.core.connection import CountableConnection, PageArgs, paginate
from storefront_api.core.context import ChannelContext
from storefront_api.core.dataloaders import announce_keys
from storefront_api.product.dataloaders import CATEGORY_KEYS, PRODUCT_KEYS
from storefront_api.product.filters import filter_products, sort_products, with_where
from storefront_api.product.resolvers import storefront_products


def collection_products_connection(
    info: graphene.ResolveInfo,
    connection_type: type[CountableConnection],
    *,
    collection: ChannelContext[Collection],
    product_filter: dict | None = None,
    where: dict | None = None,
    sort_by: dict | None = None,
    search: str | None = None,
    **page: Unpack[PageArgs],
) -> CountableConnection:
    channel = collection.channel
    queryset = storefront_products().filter(collection_memberships__collection=collection.node)
    queryset = filter_products(queryset, with_where(product_filter, where), search, channel=channel)
    searched = any(text and text.strip() for text in (search, (product_filter or {}).get("search")))
    if sort_by or searched:  # a search without a sort ranks the results
        queryset = sort_products(queryset, sort_by, channel, collection=collection.node)
    else:
        queryset = queryset.order_by("collection_memberships__sort_order", "name", "pk")
    connection = paginate(queryset, connection_type, name="products", counter=cached_count, **page)
    products = [edge.node for edge in connection.edges]
    announce_keys(info.context, PRODUCT_KEYS, (product.pk for product in products))
    announce_keys(
        info.context, CATEGORY_KEYS, (p.category.parent_id for p in products if p.category and p.category.parent_id)
    )
    for edge in connection.edges:
        edge.node = ChannelContext(node=edge.node, channel=channel)
    return connection
