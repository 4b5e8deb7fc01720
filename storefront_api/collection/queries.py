from __future__ import annotations

from typing import Any, Unpack

import graphene

from marketplace.catalogue.models import Collection
from marketplace.catalogue.selectors import by_translated_slug, published_collections
from storefront_api.channel.dataloaders import channel_or_error, channel_or_none
from storefront_api.collection.types import CollectionCountableConnection, CollectionType
from storefront_api.core.connection import CountableConnection, PageArgs, connection_page_args, paginate
from storefront_api.core.context import ChannelContext
from storefront_api.core.errors import StorefrontError, StorefrontErrorCode
from storefront_api.core.ids import resolve_global_id
from storefront_api.core.languages import shop_language
from storefront_api.core.types import LanguageCodeEnum


class CollectionQueries(graphene.ObjectType):
    collection = graphene.Field(
        CollectionType,
        id=graphene.Argument(graphene.ID, description="ID of the collection."),
        slug=graphene.Argument(graphene.String, description="Slug of the collection."),
        slug_language_code=graphene.Argument(
            LanguageCodeEnum, description="Language code of the collection slug (English slugs: EN)."
        ),
        channel=graphene.String(description="Slug of a channel for which the data should be returned."),
        description="Look up a published collection by ID or slug.",
    )
    collections = graphene.Field(
        CollectionCountableConnection,
        channel=graphene.String(description="Slug of a channel for which the data should be returned."),
        description="List of the published collections.",
        **connection_page_args(),
    )

    @staticmethod
    def resolve_collection(
        root: None,
        info: graphene.ResolveInfo,
        id: str | None = None,
        slug: str | None = None,
        slug_language_code: Any = None,
        channel: str | None = None,
    ) -> ChannelContext[Collection] | None:
        if (id is None) == (slug is None):
            raise StorefrontError(
                "Exactly one of 'id' or 'slug' must be specified.", code=StorefrontErrorCode.GRAPHQL_ERROR
            )
        found_channel = channel_or_none(info.context, channel)
        if found_channel is None:
            return None
        if id is not None:
            pk = resolve_global_id(id, only_type="Collection", field="id")
            collection = published_collections().filter(pk=pk).first()
        else:
            language = shop_language(getattr(slug_language_code, "value", slug_language_code))
            collection = by_translated_slug(published_collections(), slug=str(slug), language=language)
        return ChannelContext(node=collection, channel=found_channel) if collection else None

    @staticmethod
    def resolve_collections(
        root: None, info: graphene.ResolveInfo, channel: str | None = None, **page: Unpack[PageArgs]
    ) -> CountableConnection:
        found_channel = channel_or_error(info.context, channel)
        connection = paginate(published_collections(), CollectionCountableConnection, name="collections", **page)
        for edge in connection.edges:
            edge.node = ChannelContext(node=edge.node, channel=found_channel)
        return connection
