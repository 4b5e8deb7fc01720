from __future__ import annotations

from typing import Unpack

import graphene

from marketplace.catalogue.models import Collection
from marketplace.catalogue.selectors import published_collections
from storefront_api.channel.dataloaders import channel_or_error, channel_or_none
from storefront_api.collection.types import CollectionCountableConnection, CollectionType
from storefront_api.core.connection import CountableConnection, PageArgs, connection_page_args, paginate
from storefront_api.core.context import ChannelContext
from storefront_api.core.errors import StorefrontError, StorefrontErrorCode
from storefront_api.core.ids import resolve_global_id


class CollectionQueries(graphene.ObjectType):
    collection = graphene.Field(
        CollectionType,
        id=graphene.Argument(graphene.ID, description="ID of the collection."),
        slug=graphene.Argument(graphene.String, description="Slug of the collection."),
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
        channel: str | None = None,
    ) -> ChannelContext[Collection] | None:
        if (id is None) == (slug is None):
            raise StorefrontError(
                "Exactly one of 'id' or 'slug' must be specified.", code=StorefrontErrorCode.GRAPHQL_ERROR
            )
        lookup = {"pk": resolve_global_id(id, only_type="Collection", field="id")} if id is not None else {"slug": slug}
        found_channel = channel_or_none(info.context, channel)
        if found_channel is None:
            return None
        collection = published_collections().filter(**lookup).first()
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
