from __future__ import annotations

import graphene
from django.conf import settings
from django.utils.translation import get_language_info

from marketplace.accounts.address_validation import COUNTRY_CODE as DELIVERY_COUNTRY_CODE
from marketplace.channel.models import Channel
from marketplace.channel.selectors import active_channels
from storefront_api.core.types import CountryDisplay, LanguageCodeEnum, LanguageDisplay
from storefront_api.meta.types import ObjectWithMetadata

COUNTRY_NAMES = {"VN": "Vietnam"}


def country_display(code: str) -> CountryDisplay:
    return CountryDisplay(code=code, country=COUNTRY_NAMES.get(code, code))


class ChannelType(graphene.ObjectType):
    """A sales channel, as in Saleor; the shop has one, selling in đồng. Its metadata is empty: channels keep
    none here."""

    slug = graphene.String(required=True)
    name = graphene.String(required=True)
    is_active = graphene.Boolean(required=True)
    currency_code = graphene.String(required=True)
    default_country = graphene.Field(CountryDisplay, required=True)
    countries = graphene.List(
        graphene.NonNull(CountryDisplay),
        description="List of shippable countries for the channel: Vietnam, the only country delivered to.",
    )

    class Meta:
        name = "Channel"
        interfaces = (graphene.relay.Node, ObjectWithMetadata)

    @staticmethod
    def resolve_default_country(root: Channel, info: graphene.ResolveInfo) -> CountryDisplay:
        return country_display(root.default_country)

    @staticmethod
    def resolve_countries(root: Channel, info: graphene.ResolveInfo) -> list[CountryDisplay]:
        return [country_display(DELIVERY_COUNTRY_CODE)]


class Shop(graphene.ObjectType):
    """The shop's settings a storefront reads (a subset of Saleor's `Shop`)."""

    name = graphene.String(required=True)
    default_country = graphene.Field(CountryDisplay)
    channel_currencies = graphene.List(graphene.NonNull(graphene.String), required=True)
    languages = graphene.List(LanguageDisplay, required=True)

    @staticmethod
    def resolve_name(root: None, info: graphene.ResolveInfo) -> str:
        channel = active_channels().filter(slug=settings.OCOP_CHANNEL_SLUG).first()
        return channel.name if channel else "OCOP"

    @staticmethod
    def resolve_default_country(root: None, info: graphene.ResolveInfo) -> CountryDisplay:
        return country_display("VN")

    @staticmethod
    def resolve_channel_currencies(root: None, info: graphene.ResolveInfo) -> list[str]:
        return sorted(set(active_channels().values_list("currency_code", flat=True)))

    @staticmethod
    def resolve_languages(root: None, info: graphene.ResolveInfo) -> list[LanguageDisplay]:
        return [
            LanguageDisplay(code=LanguageCodeEnum.get(code), language=get_language_info(code)["name"])
            for code, _name in settings.LANGUAGES
        ]
