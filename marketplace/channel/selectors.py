from django.conf import settings
from django.db.models import QuerySet

from marketplace.channel.models import Channel
from marketplace.core.statements import Statement


def default_channel() -> Channel:
    return Channel.objects.get(slug=settings.OCOP_CHANNEL_SLUG)


def active_channels() -> QuerySet[Channel]:
    return Channel.objects.filter(is_active=True)


_ACTIVE_BY_SLUG = Statement(lambda slug: active_channels().filter(slug=slug))


def active_channel_by_slug(*, slug: str) -> Channel | None:
    return _ACTIVE_BY_SLUG.first(slug=slug)


def channel_by_slug(*, slug: str) -> Channel | None:
    """The channel of `slug`, active or not (callers tell an unknown channel from an inactive one)."""
    return Channel.objects.filter(slug=slug).first()
