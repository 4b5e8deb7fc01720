from __future__ import annotations

import graphene
from graphql_relay import offset_to_cursor

from marketplace.catalogue.selectors import listed_products_in_order
from search.backends.base import Facet, SearchFilters, SearchQuery, SearchResult, SortField
from search.selectors import product_search
from storefront_api.channel.dataloaders import channel_or_error
from storefront_api.core.connection import MAX_PAGE_SIZE, checked_page_size, offset_after
from storefront_api.core.context import ChannelContext
from storefront_api.core.errors import StorefrontError, StorefrontErrorCode
from storefront_api.core.ids import global_id, resolve_global_id
from storefront_api.core.selection import selects
from storefront_api.product.resolvers import announce_product_page
from storefront_api.search.types import (
    ProductSearchConnection,
    ProductSearchFacets,
    ProductSearchFacetValue,
    ProductSearchFilterInput,
    ProductSearchSortingInput,
)

DEFAULT_PAGE_SIZE = 20
MAX_QUERY_LENGTH = 200
# Facets whose values are object ids, and the GraphQL type of those ids.
_ID_FACETS = {Facet.GROUP: "Category", Facet.OUTLET: "Warehouse"}


class SearchQueries(graphene.ObjectType):
    product_search = graphene.Field(
        ProductSearchConnection,
        channel=graphene.String(description="Slug of a channel for which the data should be returned."),
        query=graphene.String(description="Words as shoppers type them, with or without diacritics."),
        filters=ProductSearchFilterInput(),
        sort_by=ProductSearchSortingInput(description="RELEVANCE (best first) when not given."),
        first=graphene.Int(description=f"At most {MAX_PAGE_SIZE}; {DEFAULT_PAGE_SIZE} when not given."),
        after=graphene.String(),
        description="Search the listed products (OCOP extension): ranked, filtered and faceted.",
    )

    @staticmethod
    def resolve_product_search(
        root: None,
        info: graphene.ResolveInfo,
        channel: str | None = None,
        query: str | None = None,
        filters: dict | None = None,
        sort_by: dict | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> ProductSearchConnection:
        found_channel = channel_or_error(info.context, channel)
        limit = DEFAULT_PAGE_SIZE if first is None else checked_page_size("productSearch", "first", first)
        offset = offset_after(after)
        text = query or ""
        if len(text) > MAX_QUERY_LENGTH:
            raise StorefrontError(
                f"The query is longer than {MAX_QUERY_LENGTH} characters.",
                code=StorefrontErrorCode.INVALID,
                field="query",
            )
        sort, descending = _sorting(sort_by)
        search_query = SearchQuery(
            text=text,
            filters=_filters(filters),
            sort=sort,
            descending=descending,
            offset=offset,
            limit=limit,
            facets=selects(info, "facets"),  # counting the facets is a third of a broad search's time
        )
        result = product_search(query=search_query)
        return _connection(info, result, offset=offset, limit=limit, channel=found_channel)


def _sorting(sort_by: dict | None) -> tuple[SortField, bool]:
    if not sort_by:
        return SortField.RELEVANCE, True
    # Enums nested in input objects arrive as members, not values.
    field = SortField(getattr(sort_by["field"], "value", sort_by["field"]))
    direction = getattr(sort_by.get("direction"), "value", sort_by.get("direction"))
    return field, direction != "asc"


def _filters(filters: dict | None) -> SearchFilters:
    if not filters:
        return SearchFilters()
    price = filters.get("price") or {}
    return SearchFilters(
        stars=tuple(filters.get("stars") or ()),
        group_ids=tuple(
            resolve_global_id(v, only_type="Category", field="groups") for v in filters.get("groups") or ()
        ),
        communes=tuple(filters.get("communes") or ()),
        districts=tuple(filters.get("districts") or ()),
        producer_kinds=tuple(getattr(k, "value", k) for k in filters.get("producer_kinds") or ()),
        outlet_ids=tuple(
            resolve_global_id(v, only_type="Warehouse", field="outlets") for v in filters.get("outlets") or ()
        ),
        price_min=int(price["gte"]) if price.get("gte") is not None else None,
        price_max=int(price["lte"]) if price.get("lte") is not None else None,
    )


def _facet_values(facet: Facet, result: SearchResult) -> list[ProductSearchFacetValue]:
    type_name = _ID_FACETS.get(facet)
    return [
        ProductSearchFacetValue(
            value=global_id(type_name, int(v.value)) if type_name else v.value, label=v.label, count=v.count
        )
        for v in result.facets.get(facet, [])
    ]


def _connection(info, result: SearchResult, *, offset: int, limit: int, channel) -> ProductSearchConnection:
    """The page's products in rank order, loaded in one query (the gate applied once more)."""
    products = listed_products_in_order(product_ids=result.product_ids)
    announce_product_page(info, products)
    edge_type = ProductSearchConnection.Edge
    edges = [
        edge_type(node=ChannelContext(node=product, channel=channel), cursor=offset_to_cursor(offset + i))
        for i, product in enumerate(products)
    ]
    page_info = graphene.relay.PageInfo(
        start_cursor=edges[0].cursor if edges else None,
        end_cursor=edges[-1].cursor if edges else None,
        has_previous_page=offset > 0,
        has_next_page=offset + limit < result.total,
    )
    connection = ProductSearchConnection(
        edges=edges,
        page_info=page_info,
        corrected=result.corrected,
        corrected_query=result.corrected_text if result.corrected else None,
        facets=ProductSearchFacets(
            stars=_facet_values(Facet.STARS, result),
            group=_facet_values(Facet.GROUP, result),
            commune=_facet_values(Facet.COMMUNE, result),
            district=_facet_values(Facet.DISTRICT, result),
            producer_kind=_facet_values(Facet.PRODUCER_KIND, result),
            outlet=_facet_values(Facet.OUTLET, result),
        ),
    )
    connection.set_total(total=result.total)
    return connection
