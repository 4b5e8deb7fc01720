from django.conf import settings
from django.db.models import QuerySet

from marketplace.channel.models import Channel


def default_channel() -> Channel:
    return Channel.objects.get(slug=settings.OCOP_CHANNEL_SLUG)


def active_channels() -> QuerySet[Channel]:
    return Channel.objects.filter(is_active=True)


def active_channel_by_slug(*, slug: str) -> Channel | None:
    return active_channels().filter(slug=slug).first()


def channel_by_slug(*, slug: str) -> Channel | None:
    """The channel of `slug`, active or not (callers tell an unknown channel from an inactive one)."""
    return Channel.objects.filter(slug=slug).first()
