"""Saleor's Collection, seen in a channel (its products are priced there)."""

from __future__ import annotations

from typing import Any

import graphene

from marketplace.catalogue.models import Collection
from storefront_api.collection.resolvers import collection_products_connection
from storefront_api.core.connection import CountableConnection, connection_page_args
from storefront_api.core.context import ChannelContext, ChannelContextType
from storefront_api.core.execution import plain
from storefront_api.core.languages import is_english
from storefront_api.core.types import (
    Image,
    LanguageCodeEnum,
    LanguageDisplay,
    ThumbnailFormat,
    ThumbnailFormatEnum,
    language_display,
)
from storefront_api.product.descriptions import rich_text, seo_description
from storefront_api.product.filters import ProductFilterInput, ProductOrder, ProductWhereInput
from storefront_api.product.types import ProductCountableConnection, background_image, translated_slug


class CollectionTranslation(graphene.ObjectType):
    language = graphene.Field(LanguageDisplay, required=True)
    slug = graphene.String()
    name = graphene.String()
    description = graphene.JSONString()
    seo_title = graphene.String()
    seo_description = graphene.String()

    class Meta:
        interfaces = (graphene.relay.Node,)


class CollectionType(ChannelContextType):
    """A curated set of listed products, e.g. the 5-star ones or the newest certified."""

    name = graphene.String(required=True)
    slug = graphene.String(required=True)
    description = graphene.JSONString(description="Rich text (EditorJS blocks).")
    seo_title = graphene.String()
    seo_description = graphene.String()
    channel = graphene.String()
    background_image = graphene.Field(
        Image,
        size=graphene.Int(description="Accepted for Saleor clients; the original is served."),
        format=graphene.Argument(ThumbnailFormatEnum, default_value=ThumbnailFormat.ORIGINAL.value),
    )
    products = graphene.Field(
        ProductCountableConnection,
        filter=ProductFilterInput(description="Filtering options for products."),
        where=ProductWhereInput(description="Where filtering options for products."),
        sort_by=ProductOrder(description="Sort products; by the collection's order when not given."),
        search=graphene.String(description="Search products."),
        description="The listed products of the collection.",
        **connection_page_args(),
    )
    translation = graphene.Field(
        CollectionTranslation, language_code=graphene.Argument(LanguageCodeEnum, required=True)
    )

    class Meta:
        name = "Collection"
        interfaces = (graphene.relay.Node,)

    @staticmethod
    @plain
    def resolve_description(root: ChannelContext[Collection], info: graphene.ResolveInfo) -> Any:
        return rich_text(root.node.description)

    @staticmethod
    @plain
    def resolve_seo_title(root: ChannelContext[Collection], info: graphene.ResolveInfo) -> str:
        return root.node.seo_title or root.node.name

    @staticmethod
    @plain
    def resolve_seo_description(root: ChannelContext[Collection], info: graphene.ResolveInfo) -> str | None:
        return root.node.seo_description or seo_description(root.node.description)

    @staticmethod
    def resolve_background_image(root: ChannelContext[Collection], info: graphene.ResolveInfo, **_: Any) -> Any:
        return background_image(info, root.node.background_image, root.node.background_image_alt or root.node.name)

    @staticmethod
    def resolve_products(
        root: ChannelContext[Collection], info: graphene.ResolveInfo, filter: dict | None = None, **kwargs: Any
    ) -> CountableConnection:
        return collection_products_connection(
            info, ProductCountableConnection, collection=root, product_filter=filter, **kwargs
        )

    @staticmethod
    def resolve_translation(
        root: ChannelContext[Collection], info: graphene.ResolveInfo, language_code: str
    ) -> CollectionTranslation:
        collection = root.node
        if is_english(language_code):
            return CollectionTranslation(
                id=collection.pk,
                language=language_display(language_code),
                name=collection.name_en or None,
                description=rich_text(collection.description_en),
                seo_title=collection.name_en or None,
                seo_description=seo_description(collection.description_en),
                slug=translated_slug(collection, language_code),
            )
        return CollectionTranslation(
            id=collection.pk,
            language=language_display(language_code),
            name=collection.name,
            description=CollectionType.resolve_description(root, info),
            seo_title=CollectionType.resolve_seo_title(root, info),
            seo_description=CollectionType.resolve_seo_description(root, info),
            slug=collection.slug,
        )


class CollectionCountableConnection(CountableConnection):
    class Meta:
        node = CollectionType
        strict_types = True
