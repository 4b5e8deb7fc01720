"""Saleor's Voucher (as its customers see it: on their order) and OrderDiscount, over `marketplace.discounts`."""

from __future__ import annotations

import dataclasses
import datetime
from decimal import Decimal

import graphene

from marketplace.discounts.models import DiscountValueType, OrderDiscount, Voucher
from storefront_api.core.ids import global_id
from storefront_api.core.types import Money
from storefront_api.payment.scalars import PositiveDecimal

DiscountValueTypeEnum = graphene.Enum(
    "DiscountValueTypeEnum",
    [("FIXED", DiscountValueType.FIXED.value), ("PERCENTAGE", DiscountValueType.PERCENTAGE.value)],
)
VoucherTypeEnum = graphene.Enum(
    "VoucherTypeEnum",
    [("SHIPPING", "shipping"), ("ENTIRE_ORDER", "entire_order"), ("SPECIFIC_PRODUCT", "specific_product")],
)
OrderDiscountTypeEnum = graphene.Enum(
    "OrderDiscountType",
    [
        ("SALE", "sale"),
        ("VOUCHER", "voucher"),
        ("MANUAL", "manual"),
        ("PROMOTION", "promotion"),
        ("ORDER_PROMOTION", "order_promotion"),
    ],
)


def _money(amount: int) -> Money:
    return Money(currency="VND", amount=float(amount))


@dataclasses.dataclass(frozen=True)
class VoucherView:
    """A voucher with the code it was used by (an order's `voucherCode`)."""

    voucher: Voucher
    code: str


class VoucherGraphType(graphene.ObjectType):
    """Saleor's Voucher, as a customer sees it on their order. Root: VoucherView."""

    id = graphene.ID(required=True, description="The ID of the voucher.")
    name = graphene.String(description="The name of the voucher.")
    code = graphene.String(description="The code of the voucher.")
    usage_limit = graphene.Int(description="The number of times a voucher can be used.")
    used = graphene.Int(required=True, description="Usage count of the voucher.")
    start_date = graphene.DateTime(required=True, description="The start date and time of voucher.")
    end_date = graphene.DateTime(description="The end date and time of voucher.")
    apply_once_per_order = graphene.Boolean(
        required=True,
        description="Determine if the voucher should be applied once per order. Never here: the discount is "
        "spread over every eligible line.",
    )
    apply_once_per_customer = graphene.Boolean(
        required=True, description="Determine if the voucher usage should be limited to one use per customer."
    )
    single_use = graphene.Boolean(required=True, description="Determine if the voucher codes can be used once.")
    only_for_staff = graphene.Boolean(
        required=True, description="Determine if the voucher is available only for staff members."
    )
    min_checkout_items_quantity = graphene.Int(description="Determine minimum quantity of items for checkout.")
    discount_value_type = graphene.Field(
        DiscountValueTypeEnum, required=True, description="Determines a type of discount for voucher."
    )
    discount_value = graphene.Float(description="Voucher value (đồng, or a percentage).")
    currency = graphene.String(description="Currency code for voucher.")
    min_spent = graphene.Field(Money, description="Minimum order value to apply voucher.")
    type = graphene.Field(
        VoucherTypeEnum,
        required=True,
        description="Determines a type of voucher: ENTIRE_ORDER, or SPECIFIC_PRODUCT when limited to products, "
        "collections, categories or producers.",
    )

    class Meta:
        name = "Voucher"

    @staticmethod
    def resolve_id(root: VoucherView, info: graphene.ResolveInfo) -> str:
        return global_id("Voucher", root.voucher.pk)

    @staticmethod
    def resolve_name(root: VoucherView, info: graphene.ResolveInfo) -> str:
        return root.voucher.name

    @staticmethod
    def resolve_code(root: VoucherView, info: graphene.ResolveInfo) -> str:
        return root.code

    @staticmethod
    def resolve_usage_limit(root: VoucherView, info: graphene.ResolveInfo) -> int | None:
        return root.voucher.usage_limit

    @staticmethod
    def resolve_used(root: VoucherView, info: graphene.ResolveInfo) -> int:
        return root.voucher.used

    @staticmethod
    def resolve_start_date(root: VoucherView, info: graphene.ResolveInfo) -> datetime.datetime:
        return root.voucher.start_date

    @staticmethod
    def resolve_end_date(root: VoucherView, info: graphene.ResolveInfo) -> datetime.datetime | None:
        return root.voucher.end_date

    @staticmethod
    def resolve_apply_once_per_order(root: VoucherView, info: graphene.ResolveInfo) -> bool:
        return False

    @staticmethod
    def resolve_apply_once_per_customer(root: VoucherView, info: graphene.ResolveInfo) -> bool:
        return root.voucher.apply_once_per_customer

    @staticmethod
    def resolve_single_use(root: VoucherView, info: graphene.ResolveInfo) -> bool:
        return False

    @staticmethod
    def resolve_only_for_staff(root: VoucherView, info: graphene.ResolveInfo) -> bool:
        return False

    @staticmethod
    def resolve_min_checkout_items_quantity(root: VoucherView, info: graphene.ResolveInfo) -> None:
        return None

    @staticmethod
    def resolve_discount_value_type(root: VoucherView, info: graphene.ResolveInfo) -> str:
        return root.voucher.discount_value_type

    @staticmethod
    def resolve_discount_value(root: VoucherView, info: graphene.ResolveInfo) -> float:
        return float(root.voucher.discount_value)

    @staticmethod
    def resolve_currency(root: VoucherView, info: graphene.ResolveInfo) -> str:
        return root.voucher.channel.currency_code

    @staticmethod
    def resolve_min_spent(root: VoucherView, info: graphene.ResolveInfo) -> Money | None:
        return _money(root.voucher.min_spent_amount) if root.voucher.min_spent_amount else None

    @staticmethod
    def resolve_type(root: VoucherView, info: graphene.ResolveInfo) -> str:
        voucher = root.voucher
        limited = any(
            getattr(voucher, name).exists() for name in ("products", "collections", "categories", "producers")
        )
        return "specific_product" if limited else "entire_order"


class OrderDiscountGraphType(graphene.ObjectType):
    """Saleor's OrderDiscount: a discount as the order got it. Root: OrderDiscount."""

    id = graphene.ID(required=True, description="The ID of discount applied.")
    type = graphene.Field(
        OrderDiscountTypeEnum, required=True, description="The type of applied discount: Sale, Voucher or Manual."
    )
    name = graphene.String(description="The name of applied discount.")
    translated_name = graphene.String(description="Translated name of the applied discount.")
    value_type = graphene.Field(
        DiscountValueTypeEnum, required=True, description="Type of the discount: fixed or percent"
    )
    value = graphene.Field(
        PositiveDecimal, required=True, description="Value of the discount. Can store fixed value or percent value"
    )
    reason = graphene.String(description="Explanation for the applied discount. Never given to customers.")
    amount = graphene.Field(
        Money, required=True, description="Returns amount of discount.", deprecation_reason="Use `total` instead."
    )
    total = graphene.Field(Money, required=True, description="The amount of discount applied to the order.")

    class Meta:
        name = "OrderDiscount"

    @staticmethod
    def resolve_id(root: OrderDiscount, info: graphene.ResolveInfo) -> str:
        return global_id("OrderDiscount", root.pk)

    @staticmethod
    def resolve_type(root: OrderDiscount, info: graphene.ResolveInfo) -> str:
        return root.type

    @staticmethod
    def resolve_name(root: OrderDiscount, info: graphene.ResolveInfo) -> str:
        return root.name

    @staticmethod
    def resolve_translated_name(root: OrderDiscount, info: graphene.ResolveInfo) -> str:
        return root.name_in(root.order.language_code)

    @staticmethod
    def resolve_value_type(root: OrderDiscount, info: graphene.ResolveInfo) -> str:
        return root.value_type

    @staticmethod
    def resolve_value(root: OrderDiscount, info: graphene.ResolveInfo) -> Decimal:
        return Decimal(root.value)

    @staticmethod
    def resolve_reason(root: OrderDiscount, info: graphene.ResolveInfo) -> None:
        return None

    @staticmethod
    def resolve_amount(root: OrderDiscount, info: graphene.ResolveInfo) -> Money:
        return _money(root.amount)

    resolve_total = resolve_amount
