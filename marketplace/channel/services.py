from django.conf import settings

from marketplace.channel.models import Channel


def channel_ensure_default() -> Channel:
    channel, _ = Channel.objects.get_or_create(
        slug=settings.OCOP_CHANNEL_SLUG,
        defaults={"name": "OCOP Đồng Nai", "currency_code": "VND", "default_country": "VN"},
    )
    return channel
