from __future__ import annotations

from typing import Any, Unpack

import graphene
from django.db.models import Q, QuerySet

from marketplace.catalogue.models import Category, Product, ProductVariant
from marketplace.catalogue.selectors import (
    by_translated_slug,
    categories,
    listed_product_by_id,
    listed_product_by_slug,
    listed_variants,
)
from storefront_api.channel.dataloaders import channel_or_error, channel_or_none
from storefront_api.core.connection import CountableConnection, PageArgs, connection_page_args, paginate
from storefront_api.core.context import ChannelContext
from storefront_api.core.dataloaders import announce_keys
from storefront_api.core.errors import StorefrontError, StorefrontErrorCode
from storefront_api.core.ids import resolve_global_id
from storefront_api.core.languages import shop_language
from storefront_api.core.types import LanguageCodeEnum, SortDirection
from storefront_api.product.dataloaders import CATEGORY_KEYS, PRODUCT_KEYS, VARIANT_KEYS
from storefront_api.product.filters import (
    ProductFilterInput,
    ProductOrder,
    ProductVariantFilterInput,
    ProductVariantSortingInput,
    ProductVariantWhereInput,
    ProductWhereInput,
    filter_variants,
    variant_sort_key,
    with_where,
)
from storefront_api.product.resolvers import products_connection
from storefront_api.product.types import (
    CategoryCountableConnection,
    CategoryFilterInput,
    CategorySortingInput,
    CategoryType,
    CategoryWhereInput,
    ProductCountableConnection,
    ProductType,
    ProductVariantCountableConnection,
    ProductVariantType,
)


def _slug_language(slug_language_code: Any) -> str | None:
    """The language whose slugs a lookup reads ("en" or the default), from `slugLanguageCode`."""
    if slug_language_code is None:
        return None
    return shop_language(getattr(slug_language_code, "value", slug_language_code))


def storefront_variants() -> QuerySet[ProductVariant]:
    """The gate (`listed_variants()`), without the certificates' raw registry records."""
    return listed_variants().defer("product__current_certification__raw")


def filter_categories(
    queryset: QuerySet[Category], *, category_filter: dict | None, where: dict | None, sort_by: dict | None
) -> QuerySet[Category]:
    category_filter = category_filter or {}
    for ids in (category_filter.get("ids"), (where or {}).get("ids")):
        if ids is not None:
            queryset = queryset.filter(pk__in=[resolve_global_id(v, only_type="Category", field="ids") for v in ids])
    if category_filter.get("slugs") is not None:
        slugs = category_filter["slugs"]
        queryset = queryset.filter(Q(slug__in=slugs) | Q(slug_en__in=slugs))
    for word in (category_filter.get("search") or "").split():
        queryset = queryset.filter(Q(name__icontains=word) | Q(name_en__icontains=word) | Q(slug__icontains=word))
    if sort_by:
        descending = getattr(sort_by.get("direction"), "value", None) == SortDirection.DESC.value
        queryset = queryset.order_by(*(("-name", "-pk") if descending else ("name", "pk")))
    return queryset


class ProductQueries(graphene.ObjectType):
    product = graphene.Field(
        ProductType,
        id=graphene.Argument(graphene.ID, description="ID of the product."),
        slug=graphene.Argument(graphene.String, description="Slug of the product."),
        slug_language_code=graphene.Argument(
            LanguageCodeEnum, description="Language code of the product slug (English slugs: EN)."
        ),
        external_reference=graphene.Argument(graphene.String, description="Accepted for Saleor clients; none exist."),
        channel=graphene.String(description="Slug of a channel for which the data should be returned."),
        description="Look up a listed product by ID or slug; null when it is not listed.",
    )
    product_variant = graphene.Field(
        ProductVariantType,
        id=graphene.Argument(graphene.ID, description="ID of the product variant."),
        sku=graphene.Argument(graphene.String, description="SKU of the product variant."),
        external_reference=graphene.Argument(graphene.String, description="Accepted for Saleor clients; none exist."),
        channel=graphene.String(description="Slug of a channel for which the data should be returned."),
        description="Look up a variant of a listed product by ID or SKU; null when its product is not listed.",
    )
    product_variants = graphene.Field(
        ProductVariantCountableConnection,
        ids=graphene.List(graphene.NonNull(graphene.ID), description="Filter product variants by given IDs."),
        channel=graphene.String(description="Slug of a channel for which the data should be returned."),
        filter=ProductVariantFilterInput(description="Filtering options for product variant."),
        where=ProductVariantWhereInput(description="Where filtering options."),
        search=graphene.String(description="Words in the variant's name or SKU."),
        sort_by=ProductVariantSortingInput(description="Sort product variants."),
        description="List of the variants of listed products.",
        **connection_page_args(),
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
        slug_language_code=graphene.Argument(
            LanguageCodeEnum, description="Language code of the category slug (English slugs: EN)."
        ),
        description="Look up a category (an OCOP product group or product set) by ID or slug.",
    )
    categories = graphene.Field(
        CategoryCountableConnection,
        filter=CategoryFilterInput(description="Filtering options for categories."),
        where=CategoryWhereInput(description="Where filtering options."),
        sort_by=CategorySortingInput(description="Sort categories."),
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
        slug_language_code: str | None = None,
        external_reference: str | None = None,
        channel: str | None = None,
    ) -> ChannelContext[Product] | None:
        if (id is None) == (slug is None):
            raise StorefrontError(
                "Exactly one of 'id' or 'slug' must be specified.", code=StorefrontErrorCode.GRAPHQL_ERROR
            )
        found_channel = channel_or_none(info.context, channel)
        if found_channel is None:
            return None
        if id is not None:
            product = listed_product_by_id(product_id=resolve_global_id(id, only_type="Product", field="id"))
        else:
            language = _slug_language(slug_language_code)
            product = listed_product_by_slug(slug=str(slug), language=language)
        return ChannelContext(node=product, channel=found_channel) if product else None

    @staticmethod
    def resolve_product_variant(
        root: None,
        info: graphene.ResolveInfo,
        id: str | None = None,
        sku: str | None = None,
        external_reference: str | None = None,
        channel: str | None = None,
    ) -> ChannelContext[ProductVariant] | None:
        if (id is None) == (sku is None) or external_reference is not None:
            raise StorefrontError(
                "Exactly one of 'id' or 'sku' must be specified.", code=StorefrontErrorCode.GRAPHQL_ERROR
            )
        found_channel = channel_or_none(info.context, channel)
        if found_channel is None:
            return None
        variants = storefront_variants()
        if id is not None:
            variants = variants.filter(pk=resolve_global_id(id, only_type="ProductVariant", field="id"))
        else:
            variants = variants.filter(sku=sku)
        variant = variants.first()
        return ChannelContext(node=variant, channel=found_channel) if variant else None

    @staticmethod
    def resolve_product_variants(
        root: None,
        info: graphene.ResolveInfo,
        ids: list[str] | None = None,
        channel: str | None = None,
        filter: dict | None = None,
        where: dict | None = None,
        search: str | None = None,
        sort_by: dict | None = None,
        **page: Unpack[PageArgs],
    ) -> CountableConnection:
        found_channel = channel_or_error(info.context, channel)
        queryset = storefront_variants()
        if ids is not None:
            pks = [resolve_global_id(value, only_type="ProductVariant", field="ids") for value in ids]
            queryset = queryset.filter(pk__in=pks)
        queryset = filter_variants(queryset, variant_filter=filter, where=where, search=search)
        queryset = queryset.order_by(*variant_sort_key(sort_by))
        connection = paginate(queryset, ProductVariantCountableConnection, name="productVariants", **page)
        variants = [edge.node for edge in connection.edges]
        announce_keys(info.context, VARIANT_KEYS, (variant.pk for variant in variants))
        announce_keys(info.context, PRODUCT_KEYS, (variant.product_id for variant in variants))
        for edge in connection.edges:
            edge.node = ChannelContext(node=edge.node, channel=found_channel)
        return connection

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
        root: None,
        info: graphene.ResolveInfo,
        id: str | None = None,
        slug: str | None = None,
        slug_language_code: str | None = None,
    ) -> Category | None:
        if (id is None) == (slug is None):
            raise StorefrontError(
                "Exactly one of 'id' or 'slug' must be specified.", code=StorefrontErrorCode.GRAPHQL_ERROR
            )
        if id is not None:
            return categories().filter(pk=resolve_global_id(id, only_type="Category", field="id")).first()
        return by_translated_slug(categories(), slug=str(slug), language=_slug_language(slug_language_code))

    @staticmethod
    def resolve_categories(
        root: None,
        info: graphene.ResolveInfo,
        filter: dict | None = None,
        where: dict | None = None,
        sort_by: dict | None = None,
        level: int | None = None,
        **page: Unpack[PageArgs],
    ) -> CountableConnection:
        queryset = filter_categories(categories(), category_filter=filter, where=where, sort_by=sort_by)
        if level == 0:
            queryset = queryset.filter(parent__isnull=True)
        elif level == 1:
            queryset = queryset.filter(parent__isnull=False)
        elif level is not None:
            queryset = queryset.none()
        connection = paginate(queryset, CategoryCountableConnection, name="categories", **page)
        announce_keys(info.context, CATEGORY_KEYS, (e.node.parent_id for e in connection.edges if e.node.parent_id))
        return connection
