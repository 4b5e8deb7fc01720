from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest

from marketplace.channel.models import Channel
from marketplace.channel.selectors import active_channel_by_slug
from storefront_api.core.dataloaders import BatchLoader, loader_for
from storefront_api.core.errors import StorefrontError, StorefrontErrorCode


class ActiveChannelBySlugLoader(BatchLoader[str, Channel | None]):
    key_kind = "channel_slug"

    def batch_load(self, keys: list[str]) -> dict[str, Channel | None]:
        return {slug: active_channel_by_slug(slug=slug) for slug in keys}  # one key in all but odd documents

    def missing(self) -> None:
        return None


def channel_or_none(context: HttpRequest, slug: str | None) -> Channel | None:
    """The active channel of `slug`, or the shop's only channel when no slug is given (as Saleor does)."""
    return loader_for(context, ActiveChannelBySlugLoader).load(slug or settings.OCOP_CHANNEL_SLUG)


def channel_or_error(context: HttpRequest, slug: str | None) -> Channel:
    channel = channel_or_none(context, slug)
    if channel is None:
        raise StorefrontError(
            f"Channel with '{slug or settings.OCOP_CHANNEL_SLUG}' slug does not exist.",
            code=StorefrontErrorCode.NOT_FOUND,
            field="channel",
        )
    return channel
