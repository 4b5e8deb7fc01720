"""Saleor's common types: money, images, languages, countries, sort direction."""

from __future__ import annotations

import enum

import graphene

from storefront_api.core.execution import plain


class Money(graphene.ObjectType):
    """An amount of money. Đồng have no minor unit, so `amount` is always a whole number."""

    currency = graphene.String(required=True, description="Currency code.")
    amount = graphene.Float(required=True, description="Amount of money.")
    fractional_amount = graphene.Int(required=True, description="Amount of money in the smallest currency unit.")
    fraction_digits = graphene.Int(required=True, description="Number of digits after the decimal point.")

    @staticmethod
    @plain
    def resolve_fractional_amount(root: Money, info: graphene.ResolveInfo) -> int:
        return int(root.amount)

    @staticmethod
    @plain
    def resolve_fraction_digits(root: Money, info: graphene.ResolveInfo) -> int:
        return 0


class TaxedMoney(graphene.ObjectType):
    """A price; prices here include VAT, so gross, net and tax are shown as Saleor shows untaxed prices."""

    currency = graphene.String(required=True)
    gross = graphene.Field(Money, required=True)
    net = graphene.Field(Money, required=True)
    tax = graphene.Field(Money, required=True)


class TaxedMoneyRange(graphene.ObjectType):
    start = graphene.Field(TaxedMoney)
    stop = graphene.Field(TaxedMoney)


def taxed_money(amount: int, currency: str) -> TaxedMoney:
    """A price of `amount` whole units (đồng), gross as net, no separate tax."""
    money = Money(currency=currency, amount=float(amount))
    return TaxedMoney(currency=currency, gross=money, net=money, tax=Money(currency=currency, amount=0.0))


class Image(graphene.ObjectType):
    url = graphene.String(required=True, description="The URL of the image.")
    alt = graphene.String(description="Alt text for an image.")


class LanguageCodeEnum(graphene.Enum):
    """The languages the shop speaks (a subset of Saleor's enum)."""

    EN = "en"
    EN_US = "en-us"
    VI = "vi"
    VI_VN = "vi-vn"


class LanguageDisplay(graphene.ObjectType):
    code = graphene.Field(LanguageCodeEnum, required=True, description="ISO 639 representation of the language name.")
    language = graphene.String(required=True, description="Full name of the language.")


class CountryDisplay(graphene.ObjectType):
    code = graphene.String(required=True, description="Country code.")
    country = graphene.String(required=True, description="Country name.")


# Enums whose values the code reads are declared as Python enums (typed), shown by graphene through `Meta.enum`.


class SortDirection(enum.StrEnum):
    ASC = "asc"
    DESC = "desc"


class OrderDirection(graphene.Enum):
    class Meta:
        enum = SortDirection


class ThumbnailFormat(enum.StrEnum):
    ORIGINAL = "original"
    WEBP = "webp"


class ThumbnailFormatEnum(graphene.Enum):
    """Formats a thumbnail can be asked in; renditions are stored as WebP, originals as uploaded."""

    class Meta:
        enum = ThumbnailFormat
