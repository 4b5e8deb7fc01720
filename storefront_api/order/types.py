"""Saleor's Order, OrderLine, Fulfillment and OrderEvent, with the pickup extension."""

from __future__ import annotations

from typing import Any

import graphene

from marketplace.accounts.models import Role
from marketplace.discounts.models import OrderDiscount
from marketplace.orders.models import (
    Fulfillment,
    FulfillmentLine,
    FulfillmentStatus,
    Order,
    OrderEvent,
    OrderLine,
    OrderStatus,
    PaymentMethod,
)
from marketplace.orders.payment_status import PaymentStatus, order_payment_status
from marketplace.orders.permissions import visible_lines
from marketplace.orders.privacy import buyer_details_visible, mask_email, mask_text, masked_address
from storefront_api.core.connection import CountableConnection
from storefront_api.core.context import ChannelContext
from storefront_api.core.dataloaders import announce_keys, loader_for
from storefront_api.core.ids import global_id
from storefront_api.core.types import (
    Image,
    LanguageCodeEnum,
    Money,
    TaxedMoney,
    ThumbnailFormat,
    ThumbnailFormatEnum,
    taxed_money,
)
from storefront_api.discount.types import OrderDiscountGraphType, VoucherGraphType, VoucherView
from storefront_api.meta.types import ObjectWithMetadata
from storefront_api.product.dataloaders import PRODUCT_KEYS, MediaByProductIdLoader
from storefront_api.product.types import ProductVariantType, media_url
from storefront_api.warehouse.types import DeliveryMethod, ShippingMethodType, Warehouse

# `stage` and Saleor's `status` against the domain's `Order.status`: explained once, in the Order model's
# docstring; the descriptions below say what each is and point there.
SEE_ORDER_DOCSTRING = "see the docstring of `marketplace.orders.models.Order`"

# Saleor's statuses in Saleor's order. No stage maps to DRAFT, EXPIRED, RETURNED or PARTIALLY_RETURNED (see the
# Order docstring); they are carried because Saleor's clients key their tables by every status.
SALEOR_ORDER_STATUSES = (
    "DRAFT",
    "UNCONFIRMED",
    "UNFULFILLED",
    "PARTIALLY_FULFILLED",
    "PARTIALLY_RETURNED",
    "RETURNED",
    "FULFILLED",
    "CANCELED",
    "EXPIRED",
)
OrderStatusEnum = graphene.Enum(
    "OrderStatus",
    [(name, name.lower()) for name in SALEOR_ORDER_STATUSES],
    description=f"Saleor's order status, derived from the order's stage ({SEE_ORDER_DOCSTRING}).",
)
OrderStageEnum = graphene.Enum(
    "OrderStageEnum",
    [(status.name, status.value) for status in OrderStatus],
    description=f"Where the order stands: the order's own status ({SEE_ORDER_DOCSTRING}).",
)
OrderChargeStatusEnum = graphene.Enum(
    "OrderChargeStatusEnum",
    [("NONE", "none"), ("PARTIAL", "partial"), ("FULL", "full"), ("OVERCHARGED", "overcharged")],
)
OrderAuthorizeStatusEnum = graphene.Enum(
    "OrderAuthorizeStatusEnum", [("NONE", "none"), ("PARTIAL", "partial"), ("FULL", "full")]
)
# Saleor's fulfilment statuses in Saleor's order; no stage maps to the refunded, returned or replaced ones (goods
# are not taken back here), carried because Saleor's storefront labels every status.
FulfillmentStatusEnum = graphene.Enum(
    "FulfillmentStatus",
    [
        (name, name.lower())
        for name in (
            "FULFILLED",
            "REFUNDED",
            "RETURNED",
            "REPLACED",
            "REFUNDED_AND_RETURNED",
            "CANCELED",
            "WAITING_FOR_APPROVAL",
        )
    ],
)
PaymentMethodEnum = graphene.Enum("OrderPaymentMethodEnum", [(method.name, method.value) for method in PaymentMethod])
PaymentChargeStatusEnum = graphene.Enum(
    "PaymentChargeStatusEnum", [(status.name, status.value) for status in PaymentStatus]
)

_SALEOR_STATUS = {  # Saleor's status of each stage (see the Order model's docstring)
    OrderStatus.UNCONFIRMED: "unconfirmed",
    OrderStatus.UNFULFILLED: "unfulfilled",
    OrderStatus.READY_FOR_PICKUP: "unfulfilled",
    OrderStatus.SHIPPED: "fulfilled",
    OrderStatus.PICKED_UP: "fulfilled",
    OrderStatus.DELIVERED: "fulfilled",
    OrderStatus.CANCELED: "canceled",
}


def _money(amount: int) -> Money:
    return Money(currency="VND", amount=float(amount))


class OrderLineType(graphene.ObjectType):
    product_name = graphene.String(required=True)
    variant_name = graphene.String(required=True)
    product_sku = graphene.String()
    product_variant_id = graphene.String()
    is_shipping_required = graphene.Boolean(required=True)
    quantity = graphene.Int(required=True)
    quantity_fulfilled = graphene.Int(required=True)
    quantity_to_fulfill = graphene.Int(required=True)
    unit_price = graphene.Field(TaxedMoney, required=True)
    undiscounted_unit_price = graphene.Field(TaxedMoney, required=True)
    total_price = graphene.Field(TaxedMoney, required=True)
    undiscounted_total_price = graphene.Field(TaxedMoney, required=True)
    variant = graphene.Field(ProductVariantType)
    translated_product_name = graphene.String(required=True)
    translated_variant_name = graphene.String(required=True)
    tax_rate = graphene.Float(required=True)
    thumbnail = graphene.Field(
        Image,
        size=graphene.Int(description="Desired longest side the image in pixels."),
        format=graphene.Argument(ThumbnailFormatEnum, default_value=ThumbnailFormat.ORIGINAL.value),
        description="The product's first picture, when the variant still exists.",
    )
    # The OCOP extension.
    producer_name = graphene.String(required=True, description="Who made it.")
    certificate_id = graphene.String(description="The OCOP certificate it was sold under.")

    class Meta:
        name = "OrderLine"
        interfaces = (graphene.relay.Node, ObjectWithMetadata)

    @staticmethod
    def resolve_product_variant_id(root: OrderLine, info) -> str | None:
        return global_id("ProductVariant", root.variant_id) if root.variant_id else None

    @staticmethod
    def resolve_is_shipping_required(root: OrderLine, info) -> bool:
        return True

    @staticmethod
    def resolve_quantity_to_fulfill(root: OrderLine, info) -> int:
        return root.quantity - root.quantity_fulfilled

    @staticmethod
    def resolve_unit_price(root: OrderLine, info) -> TaxedMoney:
        return taxed_money(root.unit_price_amount, "VND")

    resolve_undiscounted_unit_price = resolve_unit_price

    @staticmethod
    def resolve_total_price(root: OrderLine, info) -> TaxedMoney:
        return taxed_money(root.total_price_amount, "VND")

    resolve_undiscounted_total_price = resolve_total_price

    @staticmethod
    def resolve_variant(root: OrderLine, info) -> ChannelContext | None:
        return ChannelContext(node=root.variant, channel=root.order.channel) if root.variant_id else None

    @staticmethod
    def resolve_translated_product_name(root: OrderLine, info) -> str:
        english = root.order.language_code == "en" and root.product_name_en
        return root.product_name_en if english else root.product_name

    @staticmethod
    def resolve_translated_variant_name(root: OrderLine, info) -> str:
        return root.variant_name

    @staticmethod
    def resolve_tax_rate(root: OrderLine, info) -> float:
        return 0.0

    @staticmethod
    def resolve_thumbnail(root: OrderLine, info, size: int | None = None, **_: Any) -> Image | None:
        if root.variant is None:
            return None
        product = root.variant.product
        media = loader_for(info.context, MediaByProductIdLoader).load(product.pk)
        if not media:
            return None
        return Image(url=media_url(info.context, media[0], size), alt=media[0].alt or product.name)

    @staticmethod
    def resolve_producer_name(root: OrderLine, info) -> str:
        return root.producer.name


class FulfillmentLineType(graphene.ObjectType):
    """A quantity of an order line in a fulfilment."""

    quantity = graphene.Int(required=True, description="The number of items included in the fulfillment line.")
    order_line = graphene.Field(OrderLineType, description="The order line to which the fulfillment line is related.")

    class Meta:
        name = "FulfillmentLine"
        interfaces = (graphene.relay.Node,)

    @staticmethod
    def resolve_order_line(root: FulfillmentLine, info) -> OrderLine:
        return root.order_line


class FulfillmentType(graphene.ObjectType):
    fulfillment_order = graphene.Int(required=True)
    status = graphene.Field(
        FulfillmentStatusEnum,
        required=True,
        description=f"Saleor's status, derived from the fulfilment's stage ({SEE_ORDER_DOCSTRING}).",
    )
    status_display = graphene.String()
    tracking_number = graphene.String(required=True)
    created = graphene.DateTime(required=True)
    warehouse = graphene.Field(Warehouse)
    lines = graphene.List(graphene.NonNull(FulfillmentLineType), description="List of lines for the fulfillment.")
    # The OCOP extension: the producer's share, for payouts (staff only).
    stage = graphene.String(
        required=True,
        description="The fulfilment's own status: pending, ready, shipped, fulfilled or canceled "
        f"({SEE_ORDER_DOCSTRING}).",
    )
    producer_name = graphene.String(required=True)
    subtotal = graphene.Field(Money, description="The producer's lines (staff only).")
    commission = graphene.Field(Money, description="The platform's commission on them (staff only).")
    payout = graphene.Field(Money, description="What the producer is paid (staff only).")

    class Meta:
        name = "Fulfillment"
        interfaces = (graphene.relay.Node, ObjectWithMetadata)

    @staticmethod
    def resolve_status(root: Fulfillment, info) -> str:
        if root.status == FulfillmentStatus.CANCELED:
            return "canceled"
        if root.status in (FulfillmentStatus.FULFILLED, FulfillmentStatus.SHIPPED):
            return "fulfilled"
        return "waiting_for_approval"

    @staticmethod
    def resolve_status_display(root: Fulfillment, info) -> str:
        return str(root.get_status_display())

    @staticmethod
    def resolve_stage(root: Fulfillment, info) -> str:
        return str(root.status)

    @staticmethod
    def resolve_created(root: Fulfillment, info):
        return root.created_at

    @staticmethod
    def resolve_warehouse(root: Fulfillment, info):
        return root.outlet

    @staticmethod
    def resolve_lines(root: Fulfillment, info) -> list[FulfillmentLine]:
        return list(root.lines.all())

    @staticmethod
    def resolve_producer_name(root: Fulfillment, info) -> str:
        return root.producer.name

    @staticmethod
    def _staff(info) -> bool:
        user = getattr(info.context, "user", None)
        return bool(user and user.is_authenticated and user.role != Role.CONSUMER)

    @staticmethod
    def resolve_subtotal(root: Fulfillment, info) -> Money | None:
        return _money(root.subtotal_amount) if FulfillmentType._staff(info) else None

    @staticmethod
    def resolve_commission(root: Fulfillment, info) -> Money | None:
        return _money(root.commission_amount) if FulfillmentType._staff(info) else None

    @staticmethod
    def resolve_payout(root: Fulfillment, info) -> Money | None:
        return _money(root.payout_amount) if FulfillmentType._staff(info) else None


_BUYER_DETAILS = "_buyer_details_visible"


def reveal_buyer_details(order: Order) -> Order:
    """Mark `order` as read by its buyer or by staff who may see it, already known to be (the buyer who just
    completed the checkout, an order of `visible_orders`): its buyer's details are shown without asking again."""
    setattr(order, _BUYER_DETAILS, True)
    return order


def shows_buyer_details(info: graphene.ResolveInfo, order: Order) -> bool:
    """Whether the requester sees `order`'s buyer in full (`marketplace.orders.privacy`); asked once per order."""
    visible = getattr(order, _BUYER_DETAILS, None)
    if visible is None:
        user = getattr(info.context, "user", None)
        visible = buyer_details_visible(user if user is not None and user.is_authenticated else None, order)
        setattr(order, _BUYER_DETAILS, visible)
    return bool(visible)


def _address_as_shown(info: graphene.ResolveInfo, order: Order, address: Any) -> Any:
    """One of `order`'s addresses as the requester may see it: in full, or masked (`shows_buyer_details`)."""
    if address is None or shows_buyer_details(info, order):
        return address
    return masked_address(address)


class OrderEventGraphType(graphene.ObjectType):
    date = graphene.DateTime()
    type = graphene.String(description="What happened (placed, confirmed, ready_for_pickup, picked_up, ...).")
    message = graphene.String()
    amount = graphene.Float()
    email = graphene.String()

    class Meta:
        name = "OrderEvent"
        interfaces = (graphene.relay.Node,)

    @staticmethod
    def resolve_message(root: OrderEvent, info) -> str | None:
        return root.parameters.get("message") or root.parameters.get("reason") or None

    @staticmethod
    def resolve_amount(root: OrderEvent, info) -> float | None:
        amount = root.parameters.get("amount")
        return float(amount) if amount is not None else None

    @staticmethod
    def resolve_email(root: OrderEvent, info) -> str | None:
        email = root.parameters.get("to")
        if email and getattr(root, _BUYER_DETAILS, True) is False:
            return mask_email(email)
        return email


class OrderType(graphene.ObjectType):
    created = graphene.DateTime(required=True)
    updated_at = graphene.DateTime(required=True)
    status = graphene.Field(
        OrderStatusEnum,
        required=True,
        description=f"Saleor's status, derived from `stage` for Saleor's clients ({SEE_ORDER_DOCSTRING}).",
    )
    status_display = graphene.String(required=True, description="The label of `stage`.")
    user_email = graphene.String(
        description="Email address of the customer: in full for the buyer and staff who may see the order, "
        "masked (`k...@example.vn`) for anyone else holding its id."
    )
    user = graphene.Field("storefront_api.account.types.UserType")
    billing_address = graphene.Field("storefront_api.account.types.AddressType")
    shipping_address = graphene.Field("storefront_api.account.types.AddressType")
    shipping_method_name = graphene.String()
    collection_point_name = graphene.String()
    channel = graphene.Field("storefront_api.channel.types.ChannelType", required=True)
    fulfillments = graphene.List(graphene.NonNull(FulfillmentType), required=True)
    lines = graphene.List(graphene.NonNull(OrderLineType), required=True)
    number = graphene.String(required=True)
    is_paid = graphene.Boolean(required=True)
    payment_status = graphene.Field(
        PaymentChargeStatusEnum,
        required=True,
        description="Internal payment status (Saleor's legacy status, read from the charge status and refunds).",
    )
    payment_status_display = graphene.String(required=True, description="User-friendly payment status.")
    charge_status = graphene.Field(OrderChargeStatusEnum, required=True)
    authorize_status = graphene.Field(OrderAuthorizeStatusEnum, required=True)
    transactions = graphene.List(graphene.NonNull("storefront_api.payment.types.TransactionItem"), required=True)
    total = graphene.Field(TaxedMoney, required=True)
    undiscounted_total = graphene.Field(TaxedMoney, required=True)
    subtotal = graphene.Field(TaxedMoney, required=True)
    shipping_price = graphene.Field(TaxedMoney, required=True)
    shipping_method = graphene.Field(ShippingMethodType)
    delivery_method = graphene.Field(DeliveryMethod)
    total_charged = graphene.Field(Money, required=True)
    total_captured = graphene.Field(
        Money,
        required=True,
        description="Amount captured for the order.",
        deprecation_reason="Use `totalCharged` instead.",
    )
    total_authorized = graphene.Field(Money, required=True)
    total_refunded = graphene.Field(Money, required=True)
    total_balance = graphene.Field(Money, required=True)
    customer_note = graphene.String(required=True)
    is_shipping_required = graphene.Boolean(required=True)
    language_code = graphene.String(required=True)
    language_code_enum = graphene.Field(LanguageCodeEnum, required=True)
    events = graphene.List(graphene.NonNull(OrderEventGraphType), required=True)
    checkout_id = graphene.ID()
    token = graphene.String(required=True)
    # The OCOP extension.
    stage = graphene.Field(
        OrderStageEnum,
        required=True,
        description=f"Where the pickup or delivery stands: the order's own status ({SEE_ORDER_DOCSTRING}).",
    )
    payment_method = graphene.Field(PaymentMethodEnum, required=True)
    pickup_code = graphene.String(
        description="The 6-character code that releases the order at the outlet (once it is ready); only for the "
        "buyer and staff who may see the order."
    )
    ready_estimate = graphene.Date(description="When the order should be ready for pickup, or delivered.")
    collect_by = graphene.Date(description="The last day to collect the order.")
    amount_due = graphene.Field(Money, required=True, description="What is still to be paid (cash at pickup).")
    # Vouchers (`storefront_api.discount.types`).
    voucher = graphene.Field(VoucherGraphType, description="Voucher linked to the order.")
    voucher_code = graphene.String(description="Voucher code that was used for Order.")
    discounts = graphene.List(
        graphene.NonNull(OrderDiscountGraphType),
        required=True,
        description="List of all discounts assigned to the order.",
    )
    discount = graphene.Field(
        Money, description="Returns applied discount.", deprecation_reason="Use the `discounts` field instead."
    )
    discount_name = graphene.String(
        description="Discount name.", deprecation_reason="Use the `discounts` field instead."
    )
    translated_discount_name = graphene.String(
        description="Translated discount name.", deprecation_reason="Use the `discounts` field instead."
    )

    class Meta:
        name = "Order"
        interfaces = (graphene.relay.Node, ObjectWithMetadata)

    @staticmethod
    def resolve_created(root: Order, info):
        return root.created_at

    @staticmethod
    def resolve_status(root: Order, info) -> str:
        return _SALEOR_STATUS[OrderStatus(root.status)]

    @staticmethod
    def resolve_status_display(root: Order, info) -> str:
        return str(root.get_status_display())

    @staticmethod
    def resolve_stage(root: Order, info) -> str:
        return str(root.status)

    @staticmethod
    def resolve_payment_method(root: Order, info) -> str:
        return str(root.payment_method)

    @staticmethod
    def resolve_charge_status(root: Order, info) -> str:
        return str(root.charge_status)

    @staticmethod
    def resolve_number(root: Order, info) -> str:
        return str(root.number)

    @staticmethod
    def resolve_fulfillments(root: Order, info):
        fulfillments = root.fulfillments.select_related("producer", "outlet").prefetch_related("lines__order_line")
        user = getattr(info.context, "user", None)
        if user is not None and user.is_authenticated and user.role == Role.PRODUCER_STAFF:
            fulfillments = fulfillments.filter(producer_id=user.producer_id)
        return fulfillments

    @staticmethod
    def resolve_lines(root: Order, info) -> list[OrderLine]:
        lines = list(
            visible_lines(getattr(info.context, "user", None), root).select_related(
                "producer", "variant__product", "order"
            )
        )
        # The lines' thumbnails then read the pictures of all their products in one query.
        announce_keys(info.context, PRODUCT_KEYS, {line.variant.product_id for line in lines if line.variant})
        return lines

    @staticmethod
    def resolve_is_paid(root: Order, info) -> bool:
        return root.amount_due == 0 and root.total_charged_amount > 0

    @staticmethod
    def resolve_authorize_status(root: Order, info) -> str:
        covered = root.total_authorized_amount + root.total_charged_amount - root.total_refunded_amount
        if covered <= 0:
            return "none"
        return "full" if covered >= root.total_amount else "partial"

    @staticmethod
    def resolve_transactions(root: Order, info):
        return root.transactions.all()

    @staticmethod
    def resolve_total(root: Order, info) -> TaxedMoney:
        return taxed_money(root.total_amount, "VND")

    @staticmethod
    def resolve_undiscounted_total(root: Order, info) -> TaxedMoney:
        return taxed_money(root.total_amount + root.discount_amount, "VND")

    @staticmethod
    def resolve_subtotal(root: Order, info) -> TaxedMoney:
        return taxed_money(root.subtotal_amount, "VND")

    @staticmethod
    def resolve_shipping_price(root: Order, info) -> TaxedMoney:
        return taxed_money(root.shipping_amount, "VND")

    @staticmethod
    def resolve_delivery_method(root: Order, info):
        return root.collection_point or root.shipping_method

    @staticmethod
    def resolve_total_charged(root: Order, info) -> Money:
        return _money(root.total_charged_amount)

    resolve_total_captured = resolve_total_charged

    @staticmethod
    def resolve_payment_status(root: Order, info) -> str:
        return order_payment_status(root).value

    @staticmethod
    def resolve_payment_status_display(root: Order, info) -> str:
        return str(order_payment_status(root).label)

    @staticmethod
    def resolve_total_authorized(root: Order, info) -> Money:
        return _money(root.total_authorized_amount)

    @staticmethod
    def resolve_total_refunded(root: Order, info) -> Money:
        return _money(root.total_refunded_amount)

    @staticmethod
    def resolve_total_balance(root: Order, info) -> Money:
        return _money(root.total_charged_amount - root.total_refunded_amount - root.total_amount)

    @staticmethod
    def resolve_voucher(root: Order, info) -> VoucherView | None:
        return VoucherView(voucher=root.voucher, code=root.voucher_code) if root.voucher is not None else None

    @staticmethod
    def resolve_voucher_code(root: Order, info) -> str | None:
        return root.voucher_code or None

    @staticmethod
    def resolve_discounts(root: Order, info) -> list[OrderDiscount]:
        discounts = list(root.discounts.all())
        for discount in discounts:
            discount.order = root  # its translated name reads the order's language
        return discounts

    @staticmethod
    def resolve_discount(root: Order, info) -> Money | None:
        return _money(root.discount_amount) if root.discount_amount else None

    @staticmethod
    def resolve_discount_name(root: Order, info) -> str | None:
        first = next(iter(OrderType.resolve_discounts(root, info)), None)
        return first.name if first is not None else None

    @staticmethod
    def resolve_translated_discount_name(root: Order, info) -> str | None:
        first = next(iter(OrderType.resolve_discounts(root, info)), None)
        return first.name_in(root.language_code) if first is not None else None

    @staticmethod
    def resolve_amount_due(root: Order, info) -> Money:
        return _money(root.amount_due)

    @staticmethod
    def resolve_customer_note(root: Order, info) -> str:
        return root.customer_note if shows_buyer_details(info, root) else mask_text(root.customer_note)

    @staticmethod
    def resolve_user_email(root: Order, info) -> str | None:
        return root.user_email if shows_buyer_details(info, root) else mask_email(root.user_email)

    @staticmethod
    def resolve_user(root: Order, info):
        return root.user if root.user_id is not None and shows_buyer_details(info, root) else None

    @staticmethod
    def resolve_billing_address(root: Order, info):
        return _address_as_shown(info, root, root.billing_address)

    @staticmethod
    def resolve_shipping_address(root: Order, info):
        return _address_as_shown(info, root, root.shipping_address)

    @staticmethod
    def resolve_is_shipping_required(root: Order, info) -> bool:
        return True

    @staticmethod
    def resolve_language_code_enum(root: Order, info) -> str:
        return root.language_code

    @staticmethod
    def resolve_events(root: Order, info):
        events = list(root.events.all())
        visible = shows_buyer_details(info, root)
        for event in events:
            setattr(event, _BUYER_DETAILS, visible)
        return events

    @staticmethod
    def resolve_checkout_id(root: Order, info) -> str | None:
        return global_id("Checkout", root.checkout_token) if root.checkout_token else None

    @staticmethod
    def resolve_token(root: Order, info) -> str:
        return str(root.pk)

    @staticmethod
    def resolve_pickup_code(root: Order, info) -> str | None:
        user = getattr(info.context, "user", None)
        if user is not None and user.is_authenticated and user.role == Role.PRODUCER_STAFF:
            return None  # producers never hand over pickup orders
        # The code releases the goods at the outlet: never on a receipt read by someone else than the buyer.
        return root.pickup_code if shows_buyer_details(info, root) else None


class OrderCountableConnection(CountableConnection):
    class Meta:
        node = OrderType
        strict_types = True
