from __future__ import annotations

from typing import Any, Unpack

import graphene

from marketplace.catalogue.models import Category, Product
from marketplace.catalogue.selectors import categories
from storefront_api.attribute.filters import ProductWhereInput, with_where
from storefront_api.channel.dataloaders import channel_or_none
from storefront_api.core.connection import CountableConnection, PageArgs, connection_page_args, paginate
from storefront_api.core.context import ChannelContext
from storefront_api.core.dataloaders import announce_keys
from storefront_api.core.errors import StorefrontError, StorefrontErrorCode
from storefront_api.core.ids import resolve_global_id
from storefront_api.product.dataloaders import CATEGORY_KEYS
from storefront_api.product.filters import ProductFilterInput, ProductOrder
from storefront_api.product.resolvers import products_connection, storefront_products
from storefront_api.product.types import (
    CategoryCountableConnection,
    CategoryType,
    ProductCountableConnection,
    ProductType,
)


class ProductQueries(graphene.ObjectType):
    product = graphene.Field(
        ProductType,
        id=graphene.Argument(graphene.ID, description="ID of the product."),
        slug=graphene.Argument(graphene.String, description="Slug of the product."),
        channel=graphene.String(description="Slug of a channel for which the data should be returned."),
        description="Look up a listed product by ID or slug; null when it is not listed.",
    )
    products = graphene.Field(
        ProductCountableConnection,
        filter=ProductFilterInput(description="Filtering options for products."),
        where=ProductWhereInput(description="Where filtering options for products."),
        sort_by=ProductOrder(description="Sort products."),
        search=graphene.String(description="Search products."),
        channel=graphene.String(description="Slug of a channel for which the data should be returned."),
        description="List of the listed products: certified, with a certificate valid today.",
        **connection_page_args(),
    )
    category = graphene.Field(
        CategoryType,
        id=graphene.Argument(graphene.ID, description="ID of the category."),
        slug=graphene.Argument(graphene.String, description="Slug of the category."),
        description="Look up a category (an OCOP product group or product set) by ID or slug.",
    )
    categories = graphene.Field(
        CategoryCountableConnection,
        level=graphene.Int(description="Filter by level: 0 for OCOP groups, 1 for product sets."),
        description="The OCOP product groups and product sets.",
        **connection_page_args(),
    )

    @staticmethod
    def resolve_product(
        root: None,
        info: graphene.ResolveInfo,
        id: str | None = None,
        slug: str | None = None,
        channel: str | None = None,
    ) -> ChannelContext[Product] | None:
        if (id is None) == (slug is None):
            raise StorefrontError(
                "Exactly one of 'id' or 'slug' must be specified.", code=StorefrontErrorCode.GRAPHQL_ERROR
            )
        lookup = {"pk": resolve_global_id(id, only_type="Product", field="id")} if id is not None else {"slug": slug}
        found_channel = channel_or_none(info.context, channel)
        if found_channel is None:
            return None
        product = storefront_products().filter(**lookup).first()
        return ChannelContext(node=product, channel=found_channel) if product else None

    @staticmethod
    def resolve_products(
        root: None,
        info: graphene.ResolveInfo,
        filter: dict | None = None,
        where: dict | None = None,
        **kwargs: Any,
    ) -> CountableConnection:
        product_filter = with_where(filter, where)
        return products_connection(info, ProductCountableConnection, product_filter=product_filter, **kwargs)

    @staticmethod
    def resolve_category(
        root: None, info: graphene.ResolveInfo, id: str | None = None, slug: str | None = None
    ) -> Category | None:
        if (id is None) == (slug is None):
            raise StorefrontError(
                "Exactly one of 'id' or 'slug' must be specified.", code=StorefrontErrorCode.GRAPHQL_ERROR
            )
        if id is not None:
            return categories().filter(pk=resolve_global_id(id, only_type="Category", field="id")).first()
        return categories().filter(slug=slug).first()

    @staticmethod
    def resolve_categories(
        root: None, info: graphene.ResolveInfo, level: int | None = None, **page: Unpack[PageArgs]
    ) -> CountableConnection:
        queryset = categories()
        if level == 0:
            queryset = queryset.filter(parent__isnull=True)
        elif level == 1:
            queryset = queryset.filter(parent__isnull=False)
        elif level is not None:
            queryset = queryset.none()
        connection = paginate(queryset, CategoryCountableConnection, name="categories", **page)
        announce_keys(info.context, CATEGORY_KEYS, (e.node.parent_id for e in connection.edges if e.node.parent_id))
        return connection
