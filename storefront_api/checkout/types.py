"""Saleor's Checkout and CheckoutLine, over the checkout's lines with today's prices and stock."""

from __future__ import annotations

import functools
from typing import Any

import graphene
from django.db.models import prefetch_related_objects

from marketplace.checkout.error_codes import CheckoutErrorCode
from marketplace.checkout.models import Checkout
from marketplace.checkout.problems import (
    InsufficientStock,
    StatusProblem,
    VariantNotAvailable,
    checkout_status_problems,
    line_status_problems,
)
from marketplace.checkout.selectors import (
    CheckoutInfo,
    LineInfo,
    available_collection_points,
    available_shipping_methods,
    checkout_info,
)
from marketplace.shipping.models import ShippingMethod
from payments.selectors import payment_totals
from storefront_api.account.enums import AddressTypeEnum
from storefront_api.core.context import ChannelContext
from storefront_api.core.ids import global_id
from storefront_api.core.mutations import error_type
from storefront_api.core.types import LanguageCodeEnum, Money, TaxedMoney, taxed_money
from storefront_api.giftcard.types import GiftCard
from storefront_api.meta.types import ObjectWithMetadata
from storefront_api.product.types import ProductVariantType
from storefront_api.warehouse.types import DeliveryMethod, ShippingMethodType, Warehouse

CheckoutErrorCodeEnum = graphene.Enum.from_enum(CheckoutErrorCode, name="CheckoutErrorCode")
CheckoutError = error_type(
    "CheckoutError",
    CheckoutErrorCodeEnum,
    extra={
        "variants": graphene.List(
            graphene.NonNull(graphene.ID), description="List of varint IDs which causes the error."
        ),
        "lines": graphene.List(graphene.NonNull(graphene.ID), description="List of line Ids which cause the error."),
        "address_type": graphene.Field(AddressTypeEnum, description="A type of address that causes the error."),
    },
)


class CheckoutView:
    """A checkout as the API reads it: its info (lines, prices, stock) computed once per request."""

    def __init__(self, checkout: Checkout) -> None:
        self.checkout = checkout

    @functools.cached_property
    def info(self) -> CheckoutInfo:
        return checkout_info(checkout=self.checkout)

    @property
    def metadata(self) -> dict[str, str]:
        """The checkout's public metadata (`ObjectWithMetadata`)."""
        return self.checkout.metadata

    @functools.cached_property
    def paid(self) -> Checkout:
        """The checkout with its transactions read once, for every payment field: the transactions list,
        the balance and Saleor's authorize and charge statuses all read `checkout.transactions.all()`."""
        prefetch_related_objects([self.checkout], "transactions")
        return self.checkout


def _money(amount: int) -> Money:
    return Money(currency="VND", amount=float(amount))


class Delivery(graphene.ObjectType):
    """A delivery option of a checkout: one of the flat-rate shipping methods of the channel that serves its
    address and order. Root: `ShippingMethod`. Its id (`CheckoutDelivery:<method>`) is what
    `checkoutDeliveryMethodUpdate` takes; a pickup at an outlet is chosen by the outlet's `Warehouse` id and has no
    delivery."""

    id = graphene.ID(required=True, description="The ID of the delivery.")
    shipping_method = graphene.Field(ShippingMethodType, description="Shipping method represented by the delivery.")

    @staticmethod
    def resolve_id(root: ShippingMethod, info: graphene.ResolveInfo) -> str:
        return global_id("CheckoutDelivery", root.pk)

    @staticmethod
    def resolve_shipping_method(root: ShippingMethod, info: graphene.ResolveInfo) -> ShippingMethod:
        return root


class CheckoutLineProblemInsufficientStock(graphene.ObjectType):
    available_quantity = graphene.Int(description="Available quantity of a variant.")
    line = graphene.Field(
        lambda: CheckoutLineType, required=True, description="The line that has variant with insufficient stock."
    )
    variant = graphene.Field(ProductVariantType, required=True, description="The variant with insufficient stock.")


class CheckoutLineProblemVariantNotAvailable(graphene.ObjectType):
    line = graphene.Field(
        lambda: CheckoutLineType, required=True, description="The line that has variant that is not available."
    )


class CheckoutProblemDeliveryMethodStale(graphene.ObjectType):
    """The delivery's details were calculated too long ago. Never given here: delivery options are read afresh
    on every request."""

    delivery = graphene.Field(Delivery, required=True)


class CheckoutProblemDeliveryMethodInvalid(graphene.ObjectType):
    """The chosen delivery no longer applies to the address or the order: choose another."""

    delivery = graphene.Field(Delivery, required=True)


class CheckoutLineProblem(graphene.Union):
    class Meta:
        types = (CheckoutLineProblemInsufficientStock, CheckoutLineProblemVariantNotAvailable)


class CheckoutProblem(graphene.Union):
    class Meta:
        types = (
            CheckoutProblemDeliveryMethodStale,
            CheckoutProblemDeliveryMethodInvalid,
            CheckoutLineProblemInsufficientStock,
            CheckoutLineProblemVariantNotAvailable,
        )


def _problem_type(view: CheckoutView, problem: StatusProblem) -> graphene.ObjectType:
    """The API type of a problem `marketplace.checkout.problems` found."""
    if isinstance(problem, VariantNotAvailable):
        return CheckoutLineProblemVariantNotAvailable(line=(view, problem.line))
    if isinstance(problem, InsufficientStock):
        return CheckoutLineProblemInsufficientStock(
            available_quantity=problem.available,
            line=(view, problem.line),
            variant=ChannelContext(node=problem.line.variant, channel=view.checkout.channel),
        )
    return CheckoutProblemDeliveryMethodInvalid(delivery=problem.shipping_method)


class CheckoutLineType(graphene.ObjectType):
    """A line of a checkout. Root: (CheckoutView, LineInfo)."""

    id = graphene.ID(required=True)
    variant = graphene.Field(ProductVariantType, required=True)
    quantity = graphene.Int(required=True)
    unit_price = graphene.Field(TaxedMoney, required=True, description="Today's unit price.")
    undiscounted_unit_price = graphene.Field(Money, required=True)
    prior_unit_price = graphene.Field(Money)
    total_price = graphene.Field(TaxedMoney, required=True)
    undiscounted_total_price = graphene.Field(Money, required=True)
    requires_shipping = graphene.Boolean(required=True)
    problems = graphene.List(graphene.NonNull(CheckoutLineProblem))
    is_gift = graphene.Boolean()
    # The OCOP extension.
    price_when_added = graphene.Field(
        Money, required=True, description="The unit price the buyer was shown when choosing this quantity."
    )
    price_changed = graphene.Boolean(
        required=True,
        description="True when today's price differs from `priceWhenAdded`: completing refuses (PRICE_CHANGED) "
        "until the line is updated.",
    )

    class Meta:
        name = "CheckoutLine"

    @staticmethod
    def resolve_id(root, info) -> str:
        return global_id("CheckoutLine", root[1].line.pk)

    @staticmethod
    def resolve_variant(root, info) -> ChannelContext:
        return ChannelContext(node=root[1].variant, channel=root[0].checkout.channel)

    @staticmethod
    def resolve_quantity(root, info) -> int:
        return root[1].line.quantity

    @staticmethod
    def resolve_unit_price(root, info) -> TaxedMoney:
        return taxed_money(root[1].effective_unit_price, "VND")

    @staticmethod
    def resolve_undiscounted_unit_price(root, info) -> Money:
        return _money(root[1].effective_unit_price)

    @staticmethod
    def resolve_prior_unit_price(root, info) -> None:
        return None

    @staticmethod
    def resolve_total_price(root, info) -> TaxedMoney:
        return taxed_money(root[1].total_price, "VND")

    @staticmethod
    def resolve_undiscounted_total_price(root, info) -> Money:
        return _money(root[1].total_price)

    @staticmethod
    def resolve_requires_shipping(root, info) -> bool:
        return True

    @staticmethod
    def resolve_is_gift(root, info) -> bool:
        return False

    @staticmethod
    def resolve_problems(root, info) -> list[graphene.ObjectType]:
        view, line = root
        return [_problem_type(view, problem) for problem in line_status_problems(view.info, line)]

    @staticmethod
    def resolve_price_when_added(root, info) -> Money:
        return _money(root[1].line.price_seen_amount)

    @staticmethod
    def resolve_price_changed(root, info) -> bool:
        return root[1].price_changed


CheckoutAuthorizeStatusEnum = graphene.Enum(
    "CheckoutAuthorizeStatusEnum", [("NONE", "none"), ("PARTIAL", "partial"), ("FULL", "full")]
)
CheckoutChargeStatusEnum = graphene.Enum(
    "CheckoutChargeStatusEnum",
    [("NONE", "none"), ("PARTIAL", "partial"), ("FULL", "full"), ("OVERCHARGED", "overcharged")],
)


class CheckoutType(graphene.ObjectType):
    """Saleor's checkout. Root: CheckoutView."""

    id = graphene.ID(required=True)
    token = graphene.UUID(required=True)
    created = graphene.DateTime(required=True)
    updated_at = graphene.DateTime(required=True)
    last_change = graphene.DateTime(required=True)
    user = graphene.Field("storefront_api.account.types.UserType")
    channel = graphene.Field("storefront_api.channel.types.ChannelType", required=True)
    billing_address = graphene.Field("storefront_api.account.types.AddressType")
    shipping_address = graphene.Field("storefront_api.account.types.AddressType")
    customer_note = graphene.String(required=True)
    email = graphene.String()
    is_shipping_required = graphene.Boolean(required=True)
    quantity = graphene.Int(required=True)
    lines = graphene.List(graphene.NonNull(CheckoutLineType), required=True)
    shipping_methods = graphene.List(graphene.NonNull(ShippingMethodType), required=True)
    available_shipping_methods = graphene.List(
        graphene.NonNull(ShippingMethodType), required=True, deprecation_reason="Use `shippingMethods` instead."
    )
    available_collection_points = graphene.List(graphene.NonNull(Warehouse), required=True)
    available_payment_gateways = graphene.List(
        graphene.NonNull("storefront_api.payment.types.PaymentGateway"), required=True
    )
    shipping_method = graphene.Field(ShippingMethodType)
    delivery_method = graphene.Field(DeliveryMethod)
    shipping_price = graphene.Field(TaxedMoney, required=True)
    subtotal_price = graphene.Field(TaxedMoney, required=True)
    total_price = graphene.Field(TaxedMoney, required=True)
    total_balance = graphene.Field(Money, required=True)
    language_code = graphene.Field(LanguageCodeEnum, required=True)
    transactions = graphene.List(graphene.NonNull("storefront_api.payment.types.TransactionItem"))
    display_gross_prices = graphene.Boolean(required=True)
    authorize_status = graphene.Field(CheckoutAuthorizeStatusEnum, required=True)
    charge_status = graphene.Field(CheckoutChargeStatusEnum, required=True)
    problems = graphene.List(graphene.NonNull(CheckoutProblem))
    voucher_code = graphene.String(description="The code of voucher assigned to the checkout.")
    discount = graphene.Field(
        Money,
        description="The total discount applied to the checkout. Note: Only discount created via voucher are "
        "included in this field.",
    )
    discount_name = graphene.String(description="The name of voucher assigned to the checkout.")
    translated_discount_name = graphene.String(
        description="Translation of the discountName field in the language set in Checkout.languageCode field."
    )
    gift_cards = graphene.List(
        graphene.NonNull(GiftCard),
        required=True,
        description="List of gift cards associated with this checkout: always empty (no gift cards are sold here).",
    )
    delivery = graphene.Field(Delivery, description="The delivery method selected for this checkout.")
    stock_reservation_expires = graphene.DateTime()

    class Meta:
        name = "Checkout"
        interfaces = (graphene.relay.Node, ObjectWithMetadata)

    @classmethod
    def is_type_of(cls, root: Any, info: graphene.ResolveInfo) -> bool:
        return isinstance(root, CheckoutView)

    @staticmethod
    def resolve_id(root: CheckoutView, info) -> str:
        return global_id("Checkout", root.checkout.pk)

    @staticmethod
    def resolve_token(root: CheckoutView, info):
        return root.checkout.pk

    @staticmethod
    def resolve_created(root: CheckoutView, info):
        return root.checkout.created_at

    @staticmethod
    def resolve_updated_at(root: CheckoutView, info):
        return root.checkout.updated_at

    @staticmethod
    def resolve_last_change(root: CheckoutView, info):
        return root.checkout.last_change

    @staticmethod
    def resolve_user(root: CheckoutView, info):
        user = root.checkout.user
        return (
            user
            if user is not None and info.context.user.is_authenticated and user.pk == info.context.user.pk
            else None
        )

    @staticmethod
    def resolve_channel(root: CheckoutView, info):
        return root.checkout.channel

    @staticmethod
    def resolve_billing_address(root: CheckoutView, info):
        return root.checkout.billing_address

    @staticmethod
    def resolve_shipping_address(root: CheckoutView, info):
        return root.checkout.shipping_address

    @staticmethod
    def resolve_customer_note(root: CheckoutView, info) -> str:
        return root.checkout.note

    @staticmethod
    def resolve_email(root: CheckoutView, info) -> str | None:
        return root.checkout.email or None

    @staticmethod
    def resolve_is_shipping_required(root: CheckoutView, info) -> bool:
        return True

    @staticmethod
    def resolve_quantity(root: CheckoutView, info) -> int:
        return root.info.quantity

    @staticmethod
    def resolve_lines(root: CheckoutView, info) -> list[tuple[CheckoutView, LineInfo]]:
        return [(root, line) for line in root.info.lines]

    @staticmethod
    def resolve_shipping_methods(root: CheckoutView, info):
        return available_shipping_methods(info=root.info)

    resolve_available_shipping_methods = resolve_shipping_methods

    @staticmethod
    def resolve_available_collection_points(root: CheckoutView, info):
        return available_collection_points(info=root.info)

    @staticmethod
    def resolve_available_payment_gateways(root: CheckoutView, info):
        from storefront_api.payment.types import resolve_available_payment_gateways

        return resolve_available_payment_gateways(root.checkout)

    @staticmethod
    def resolve_shipping_method(root: CheckoutView, info):
        return root.checkout.shipping_method

    @staticmethod
    def resolve_delivery_method(root: CheckoutView, info):
        return root.info.delivery_method

    @staticmethod
    def resolve_shipping_price(root: CheckoutView, info) -> TaxedMoney:
        return taxed_money(root.info.shipping_price, "VND")

    @staticmethod
    def resolve_subtotal_price(root: CheckoutView, info) -> TaxedMoney:
        return taxed_money(root.info.subtotal, "VND")

    @staticmethod
    def resolve_total_price(root: CheckoutView, info) -> TaxedMoney:
        return taxed_money(root.info.total, "VND")

    @staticmethod
    def resolve_total_balance(root: CheckoutView, info) -> Money:
        authorized, charged = payment_totals(root.paid.transactions.all())
        return _money(authorized + charged - root.info.total)

    @staticmethod
    def resolve_language_code(root: CheckoutView, info) -> str:
        return root.checkout.language_code

    @staticmethod
    def resolve_transactions(root: CheckoutView, info):
        from storefront_api.payment.types import resolve_checkout_transactions

        return resolve_checkout_transactions(root.paid)

    @staticmethod
    def resolve_display_gross_prices(root: CheckoutView, info) -> bool:
        return True

    @staticmethod
    def resolve_authorize_status(root: CheckoutView, info) -> str:
        from storefront_api.payment.types import checkout_authorize_status

        return checkout_authorize_status(root.paid, root.info.total)

    @staticmethod
    def resolve_charge_status(root: CheckoutView, info) -> str:
        from storefront_api.payment.types import checkout_charge_status

        return checkout_charge_status(root.paid, root.info.total)

    @staticmethod
    def resolve_problems(root: CheckoutView, info) -> list[graphene.ObjectType]:
        return [_problem_type(root, problem) for problem in checkout_status_problems(root.info)]

    @staticmethod
    def resolve_gift_cards(root: CheckoutView, info) -> list[Any]:
        return []  # no gift cards are sold here

    @staticmethod
    def resolve_delivery(root: CheckoutView, info) -> ShippingMethod | None:
        """The chosen shipping method, applicable or not (`problems` says when it is not); none for a pickup."""
        return None if root.checkout.collection_point_id else root.checkout.shipping_method

    # The voucher (`marketplace.checkout.vouchers`): its code as applied; its name and discount while it applies.

    @staticmethod
    def resolve_voucher_code(root: CheckoutView, info) -> str | None:
        return root.checkout.voucher_code or None

    @staticmethod
    def resolve_discount(root: CheckoutView, info) -> Money:
        return _money(root.info.discount)

    @staticmethod
    def resolve_discount_name(root: CheckoutView, info) -> str | None:
        voucher = root.info.voucher
        return voucher.voucher.name if voucher is not None and voucher.applies else None

    @staticmethod
    def resolve_translated_discount_name(root: CheckoutView, info) -> str | None:
        voucher = root.info.voucher
        if voucher is None or not voucher.applies:
            return None
        return voucher.voucher.name_in(root.checkout.language_code)

    @staticmethod
    def resolve_stock_reservation_expires(root: CheckoutView, info) -> None:
        return None
