from __future__ import annotations

import graphene

from marketplace.channel.models import Channel
from marketplace.channel.selectors import active_channels
from storefront_api.channel.dataloaders import channel_or_none
from storefront_api.channel.types import ChannelType, Shop
from storefront_api.core.errors import StorefrontError, StorefrontErrorCode
from storefront_api.core.ids import resolve_global_id


class ChannelQueries(graphene.ObjectType):
    shop = graphene.Field(Shop, required=True, description="Return information about the shop.")
    channel = graphene.Field(
        ChannelType,
        id=graphene.Argument(graphene.ID, description="ID of the channel."),
        slug=graphene.String(description="Slug of the channel."),
        description="Look up a channel by ID or slug.",
    )
    channels = graphene.List(graphene.NonNull(ChannelType), description="List of all channels.")

    @staticmethod
    def resolve_shop(root: None, info: graphene.ResolveInfo) -> Shop:
        return Shop()

    @staticmethod
    def resolve_channel(
        root: None, info: graphene.ResolveInfo, id: str | None = None, slug: str | None = None
    ) -> Channel | None:
        if (id is None) == (slug is None):
            raise StorefrontError(
                "Exactly one of 'id' or 'slug' must be specified.", code=StorefrontErrorCode.GRAPHQL_ERROR
            )
        if id is not None:
            pk = resolve_global_id(id, only_type="Channel", field="id")
            return active_channels().filter(pk=pk).first()
        return channel_or_none(info.context, slug)

    @staticmethod
    def resolve_channels(root: None, info: graphene.ResolveInfo) -> list[Channel]:
        return list(active_channels())
