"""Saleor's common types: money, images, languages, countries, sort direction."""

from __future__ import annotations

import enum
import functools
from typing import Any

import graphene
from django.utils.translation import get_language_info

from storefront_api.core.execution import plain
from storefront_api.core.languages import LANGUAGE_CODE_NAMES, code_of, language_value


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


class File(graphene.ObjectType):
    url = graphene.String(required=True, description="The URL of the file.")
    content_type = graphene.String(description="Content type of the file.")


class Image(graphene.ObjectType):
    url = graphene.String(required=True, description="The URL of the image.")
    alt = graphene.String(description="Alt text for an image.")


LanguageCodeEnum = graphene.Enum(
    "LanguageCodeEnum",
    [(name, language_value(name)) for name in LANGUAGE_CODE_NAMES],
    description=(
        "Saleor's language codes. Texts are Vietnamese and English: English and its regional variants answer "
        "in English, every other language in Vietnamese."
    ),
)


class LanguageDisplay(graphene.ObjectType):
    code = graphene.Field(LanguageCodeEnum, required=True, description="ISO 639 representation of the language name.")
    language = graphene.String(required=True, description="Full name of the language.")


def language_display(language_code: Any) -> LanguageDisplay:
    """The language a translation was asked in (its text is English or Vietnamese, see `shop_language`)."""
    return _language_display(code_of(language_code))


@functools.cache
def _language_display(language_code: str) -> LanguageDisplay:
    """One per language code, shared (no resolver changes it): a page asks for the same one hundreds of times."""
    try:
        name = str(get_language_info(language_code)["name"])
    except KeyError:
        name = language_code
    return LanguageDisplay(code=LanguageCodeEnum.get(language_code), language=name)


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
    AVIF = "avif"
    WEBP = "webp"


class ThumbnailFormatEnum(graphene.Enum):
    """Formats a thumbnail can be asked in, as Saleor has them; renditions are stored (and served, whatever the
    format asked) as WebP, originals as uploaded."""

    class Meta:
        enum = ThumbnailFormat
