from django.conf import settings

from marketplace.channel.models import Channel


def default_channel() -> Channel:
    return Channel.objects.get(slug=settings.OCOP_CHANNEL_SLUG)
