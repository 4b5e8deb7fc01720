"""The products connection, shared by `Query.products` and `Category.products`."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Unpack

import graphene
from django.db.models import QuerySet

from marketplace.catalogue.models import Category, Product
from marketplace.catalogue.read_cache import cached_count
from marketplace.catalogue.selectors import (
    UNSHOWN_COLUMNS,
    listed_count,
    listed_in_order,
    listed_products,
    listed_products_by_name,
    listed_products_in_order,
)
from search.selectors import ranked_product_ids
from storefront_api.channel.dataloaders import channel_or_error
from storefront_api.core.connection import CountableConnection, PageArgs, PagedRead, paginate
from storefront_api.core.context import ChannelContext
from storefront_api.core.dataloaders import announce_keys
from storefront_api.product.dataloaders import CATEGORY_KEYS, PRODUCT_KEYS
from storefront_api.product.filters import (
    ProductSortField,
    filter_by_categories,
    filter_category_ids,
    filter_products,
    sort_descending,
    sort_field,
    sort_products,
)


def storefront_products() -> QuerySet[Product]:
    """The gate (`listed_products()`), without what a shopper never sees of its joined rows."""
    return listed_products().defer(*UNSHOWN_COLUMNS)


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
    if (descending := _plain_order(product_filter, search, category, sort_by)) is not None:
        # every listed product by name: the statement compiled for it
        rows = PagedRead(partial(listed_products_by_name, descending=descending))
        connection = paginate(rows, connection_type, name="products", counter=lambda _: listed_count(), **page)
    elif (ranked := _ranked_search(product_filter, search, category, sort_by)) is not None:
        # a search alone, by rank: the engine's ranked ids through the gate, paged in order
        text, best_first = ranked
        order = listed_in_order(product_ids=ranked_product_ids(text=text))
        if not best_first:
            order.reverse()
        rows = PagedRead(lambda offset, limit: listed_products_in_order(product_ids=order[offset : offset + limit]))
        connection = paginate(rows, connection_type, name="products", counter=lambda _: len(order), **page)
    else:
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


def _conditions(product_filter: dict | None) -> dict:
    """The filter's conditions that were given (graphene hands over the others as None)."""
    return {key: value for key, value in (product_filter or {}).items() if value is not None}


def _plain_order(
    product_filter: dict | None, search: str | None, category: Category | None, sort_by: dict | None
) -> bool | None:
    """Whether descending, when the page holds every listed product by name (no filter, search or category; sorted
    by NAME or not at all), else None."""
    if _conditions(product_filter) or (search and search.strip()) or category is not None:
        return None
    field = sort_field(sort_by)
    if field is None:  # by name, ascending, as `sort_products` does without a search
        return False
    return sort_descending(sort_by) if field == ProductSortField.NAME else None


def _ranked_search(
    product_filter: dict | None, search: str | None, category: Category | None, sort_by: dict | None
) -> tuple[str, bool] | None:
    """(the text, best first?) when the page holds the products one search finds, by rank (no other filter, no
    category; sorted by RANK or not at all), else None. `search_products` and `sort_products` give the same
    products in the same order; here the page is read by two statements instead of ranking every match in SQL."""
    conditions = _conditions(product_filter)
    texts = [text for text in (search, conditions.pop("search", None)) if text and text.strip()]
    if conditions or category is not None or len(texts) != 1:
        return None
    field = sort_field(sort_by)
    if field is None:  # RANK, best first, as `sort_products` does after a search
        return texts[0], True
    return (texts[0], sort_descending(sort_by)) if field == ProductSortField.RANK else None


def _counter(product_filter: dict | None, search: str | None, category: Category | None) -> Callable[[QuerySet], int]:
    """How to count the connection's products: from the listing windows (`listed_count`, a sum over a few hundred
    rows) when it holds every listed product or those of some categories, else by counting the query (cached)."""
    conditions = _conditions(product_filter)
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
