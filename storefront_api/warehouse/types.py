"""Outlets as Saleor's warehouses and collection points, and flat-rate shipping methods."""

from __future__ import annotations

from typing import Any

import graphene

from marketplace.accounts.models import Address
from marketplace.outlets.models import Outlet
from marketplace.shipping.models import ShippingMethod
from storefront_api.core.languages import is_english
from storefront_api.core.types import LanguageCodeEnum, Money

WarehouseClickAndCollectOptionEnum = graphene.Enum(
    "WarehouseClickAndCollectOptionEnum", [("DISABLED", "disabled"), ("LOCAL", "local"), ("ALL", "all")]
)
OutletKindEnum = graphene.Enum(
    "OutletKindEnum",
    [("SHOWROOM", "showroom"), ("TOURIST_SITE", "tourist_site"), ("PRODUCER_WAREHOUSE", "producer_warehouse")],
    description="What kind of place an outlet is.",
)


def _english(info: graphene.ResolveInfo, language_code: Any) -> bool:
    """Whether a `LanguageCodeEnum` argument (a member, as graphene hands it over, or its value) is English."""
    return is_english(language_code) if language_code else False


class Warehouse(graphene.ObjectType):
    """An outlet: an OCOP showroom, a tourist-site shop or a producer's store, as Saleor's warehouse."""

    name = graphene.String(required=True)
    slug = graphene.String(required=True)
    email = graphene.String(required=True)
    is_private = graphene.Boolean(required=True)
    address = graphene.Field("storefront_api.account.types.AddressType", required=True)
    company_name = graphene.String(required=True)
    click_and_collect_option = graphene.Field(WarehouseClickAndCollectOptionEnum, required=True)
    # The OCOP extension: what a buyer needs to find the outlet and collect there.
    kind = graphene.Field(OutletKindEnum, required=True)
    opening_hours = graphene.String(
        language_code=graphene.Argument(LanguageCodeEnum), description="Opening hours, in Vietnamese or English."
    )
    pickup_instructions = graphene.String(
        language_code=graphene.Argument(LanguageCodeEnum), description="How to collect an order here."
    )
    hold_days = graphene.Int(required=True, description="Days an order ready for pickup waits before it is canceled.")
    latitude = graphene.Float()
    longitude = graphene.Float()
    coordinates_approximate = graphene.Boolean(
        required=True, description="True when the coordinates are the commune's centre, not the outlet's door."
    )

    class Meta:
        interfaces = (graphene.relay.Node,)

    @staticmethod
    def resolve_name(root: Outlet, info: graphene.ResolveInfo) -> str:
        return root.name

    @staticmethod
    def resolve_email(root: Outlet, info: graphene.ResolveInfo) -> str:
        return root.email

    @staticmethod
    def resolve_is_private(root: Outlet, info: graphene.ResolveInfo) -> bool:
        return False

    @staticmethod
    def resolve_company_name(root: Outlet, info: graphene.ResolveInfo) -> str:
        return root.operator

    @staticmethod
    def resolve_address(root: Outlet, info: graphene.ResolveInfo) -> Address:
        return Address(
            pk=None,
            street_address_1=root.address_line,
            city=root.commune,
            country_area=root.province,
            phone=root.phone,
            company_name=root.operator,
        )

    @staticmethod
    def resolve_opening_hours(root: Outlet, info: graphene.ResolveInfo, language_code: str | None = None) -> str:
        return (root.opening_hours_en if _english(info, language_code) else "") or root.opening_hours

    @staticmethod
    def resolve_pickup_instructions(root: Outlet, info: graphene.ResolveInfo, language_code: str | None = None) -> str:
        return (root.pickup_instructions_en if _english(info, language_code) else "") or root.pickup_instructions


class ShippingMethodTranslation(graphene.ObjectType):
    name = graphene.String()


class ShippingMethodType(graphene.ObjectType):
    """A flat-rate home delivery option."""

    name = graphene.String(required=True)
    description = graphene.JSONString()
    minimum_delivery_days = graphene.Int()
    maximum_delivery_days = graphene.Int()
    price = graphene.Field(Money, required=True)
    maximum_order_price = graphene.Field(Money)
    minimum_order_price = graphene.Field(Money)
    active = graphene.Boolean(required=True)
    message = graphene.String()
    translation = graphene.Field(
        ShippingMethodTranslation, language_code=graphene.Argument(LanguageCodeEnum, required=True)
    )

    class Meta:
        name = "ShippingMethod"
        interfaces = (graphene.relay.Node,)

    @staticmethod
    def resolve_price(root: ShippingMethod, info: graphene.ResolveInfo) -> Money:
        return Money(currency="VND", amount=float(root.price_amount))

    @staticmethod
    def resolve_minimum_order_price(root: ShippingMethod, info: graphene.ResolveInfo) -> Money | None:
        return None if root.minimum_order_amount is None else Money(currency="VND", amount=root.minimum_order_amount)

    @staticmethod
    def resolve_maximum_order_price(root: ShippingMethod, info: graphene.ResolveInfo) -> Money | None:
        return None if root.maximum_order_amount is None else Money(currency="VND", amount=root.maximum_order_amount)

    @staticmethod
    def resolve_active(root: ShippingMethod, info: graphene.ResolveInfo) -> bool:
        return root.is_active

    @staticmethod
    def resolve_description(root: ShippingMethod, info: graphene.ResolveInfo) -> None:
        return None

    @staticmethod
    def resolve_message(root: ShippingMethod, info: graphene.ResolveInfo) -> None:
        return None

    @staticmethod
    def resolve_translation(
        root: ShippingMethod, info: graphene.ResolveInfo, language_code: Any
    ) -> ShippingMethodTranslation | None:
        if is_english(language_code) and root.name_en:
            return ShippingMethodTranslation(name=root.name_en)
        return None


class DeliveryMethod(graphene.Union):
    class Meta:
        types = (Warehouse, ShippingMethodType)

    @classmethod
    def resolve_type(cls, instance, info):
        return Warehouse if isinstance(instance, Outlet) else ShippingMethodType
