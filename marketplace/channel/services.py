from django.conf import settings

from marketplace.channel.models import Channel


def channel_ensure_default() -> Channel:
    """The default channel (OCOP_CHANNEL_SLUG): the one migration 0002 creates, or created now the same way
    when it is missing (a test's flushed database)."""
    channel, _ = Channel.objects.get_or_create(
        slug=settings.OCOP_CHANNEL_SLUG,
        defaults={"name": settings.OCOP_CHANNEL_NAME, "currency_code": "VND", "default_country": "VN"},
    )
    return channel
