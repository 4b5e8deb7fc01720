"""The products connection, shared by `Query.products` and `Category.products`."""

from __future__ import annotations

from collections.abc import Callable
from typing import Unpack

import graphene
from django.db.models import QuerySet

from marketplace.catalogue.models import Category, Product
from marketplace.catalogue.read_cache import cached_count
from marketplace.catalogue.selectors import listed_count, listed_products
from storefront_api.channel.dataloaders import channel_or_error
from storefront_api.core.connection import CountableConnection, PageArgs, paginate
from storefront_api.core.context import ChannelContext
from storefront_api.core.dataloaders import announce_keys
from storefront_api.product.dataloaders import CATEGORY_KEYS, PRODUCT_KEYS
from storefront_api.product.filters import filter_by_categories, filter_category_ids, filter_products, sort_products


def storefront_products() -> QuerySet[Product]:
    """The gate (`listed_products()`), without the certificates' raw registry records."""
    return listed_products().defer("current_certification__raw")


def products_connection(
    info: graphene.ResolveInfo,
    connection_type: type[CountableConnection],
    *,
    channel: str | None = None,
    product_filter: dict | None = None,
    sort_by: dict | None = None,
    search: str | None = None,
    category: Category | None = None,
    **page: Unpack[PageArgs],
) -> CountableConnection:
    """One page of listed products seen in `channel`, announcing their keys to the batch loaders."""
    found_channel = channel_or_error(info.context, channel)
    queryset = filter_products(storefront_products(), product_filter, search, channel=found_channel)
    if category is not None:
        queryset = filter_by_categories(queryset, [category.pk])
    queryset = sort_products(queryset, sort_by, found_channel)
    counter = _counter(product_filter, search, category)
    connection = paginate(queryset, connection_type, name="products", counter=counter, **page)
    announce_product_page(info, [edge.node for edge in connection.edges])
    for edge in connection.edges:
        edge.node = ChannelContext(node=edge.node, channel=found_channel)
    return connection


def _counter(product_filter: dict | None, search: str | None, category: Category | None) -> Callable[[QuerySet], int]:
    """How to count the connection's products: from the listing windows (`listed_count`, a sum over a few hundred
    rows) when it holds every listed product or those of some categories, else by counting the query (cached)."""
    conditions = {key: value for key, value in (product_filter or {}).items() if value is not None}
    category_ids = [category.pk] if category is not None else []
    if conditions.get("categories"):
        if category_ids:  # a category's products filtered by categories: both must hold
            return cached_count
        category_ids = filter_category_ids(conditions.pop("categories"))
    if conditions or (search and search.strip()):
        return cached_count
    return lambda queryset: listed_count(category_ids=category_ids or None)


def announce_product_page(info: graphene.ResolveInfo, products: list[Product]) -> None:
    """Tell the batch loaders which products a page shows (also used by `productSearch`)."""
    announce_keys(info.context, PRODUCT_KEYS, (product.pk for product in products))
    announce_keys(
        info.context, CATEGORY_KEYS, (p.category.parent_id for p in products if p.category and p.category.parent_id)
    )
