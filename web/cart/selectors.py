"""Reads for the cart, checkout and order pages: what each line's trouble is, where the cart can be
collected and when, and the order a visitor may see.

The checkout itself is read through `marketplace.checkout.selectors.checkout_info` (prices, listing and
stock in a fixed number of queries); these functions only arrange what it returns for the pages.
"""

from __future__ import annotations

import copy
import dataclasses
import datetime
import enum
import uuid

from django.db.models import prefetch_related_objects
from django.utils import timezone

from marketplace.accounts.models import Address, User
from marketplace.catalogue.models import Product, ProductVariant
from marketplace.checkout.models import Checkout
from marketplace.checkout.selectors import (
    CheckoutInfo,
    LineInfo,
    available_collection_points,
    available_shipping_methods,
    checkout_by_token,
    pickup_ready_date,
)
from marketplace.discounts.models import Voucher
from marketplace.orders.models import Order, OrderStatus, PaymentMethod
from marketplace.orders.transfer_reference import transfer_deadline
from marketplace.outlets.models import CollectionPointOption, Outlet
from marketplace.shipping.models import ShippingMethod
from payments.models import Gateway, RefundStatus, TransactionItem, TransferRefund
from payments.vietqr.instructions import TransferInstructions, instructions_for


class LineTrouble(enum.StrEnum):
    """Why a cart line cannot be bought as it is (the first that applies)."""

    DELISTED = "delisted"  # no valid 3–5★ certificate today
    NOT_SOLD = "not_sold"  # no price in the checkout's channel
    OUT_OF_STOCK = "out_of_stock"  # nothing left anywhere
    LOW_STOCK = "low_stock"  # fewer left than the line asks for
    PRICE_CHANGED = "price_changed"  # today's price differs from the one the buyer saw


@dataclasses.dataclass
class CartLine:
    info: LineInfo
    available: int  # units left at all active outlets
    trouble: LineTrouble | None

    @property
    def line(self):
        return self.info.line

    @property
    def product(self):
        return self.info.product


@dataclasses.dataclass
class CartView:
    info: CheckoutInfo
    lines: list[CartLine]

    @property
    def promo(self) -> Promo | None:
        return promo_of(info=self.info)

    @property
    def after_discount(self) -> int:
        """The lines' total less the voucher's discount (delivery not included)."""
        return self.info.subtotal - self.info.discount


@dataclasses.dataclass(frozen=True)
class Promo:
    """The cart's promo code as the pages show it: the code, the voucher (None when no active voucher has the
    code any more), what it takes off, and why not (a `VoucherRefusal` value) when it does not apply."""

    code: str
    voucher: Voucher | None
    discount: int
    refusal: str

    @property
    def applies(self) -> bool:
        return self.voucher is not None and not self.refusal


def promo_of(*, info: CheckoutInfo) -> Promo | None:
    """The cart's promo code, or None without one."""
    code = info.checkout.voucher_code
    if not code:
        return None
    found = info.voucher
    if found is None:
        return Promo(code=code, voucher=None, discount=0, refusal="expired")
    return Promo(code=code, voucher=found.voucher, discount=found.amount, refusal=found.refusal or "")


def cart_view(*, info: CheckoutInfo) -> CartView:
    """The lines of the checkout, each with what is left in stock and what stands in its way."""
    available = info.available_by_variant()
    lines = []
    for line_info in info.lines:
        left = available.get(line_info.variant.pk, 0)
        lines.append(CartLine(info=line_info, available=left, trouble=_trouble(line_info, left)))
    return CartView(info=info, lines=lines)


def _trouble(info: LineInfo, left: int) -> LineTrouble | None:
    if not info.is_listed:
        return LineTrouble.DELISTED
    if info.unit_price is None:
        return LineTrouble.NOT_SOLD
    if info.variant.track_inventory and info.line.quantity > left:
        return LineTrouble.OUT_OF_STOCK if left <= 0 else LineTrouble.LOW_STOCK
    if info.price_changed:
        return LineTrouble.PRICE_CHANGED
    return None


def cart_of(*, token: str | None, user: User | None) -> Checkout | None:
    """The visitor's cart: the checkout whose token the session keeps, else a signed-in user's latest one.

    A checkout that belongs to another user is not the visitor's.
    """
    checkout = None
    if token:
        try:
            checkout = checkout_by_token(token=uuid.UUID(str(token)))
        except ValueError:
            checkout = None
    if checkout is None and user is not None:
        latest = Checkout.objects.filter(user=user).order_by("-last_change").values_list("token", flat=True).first()
        checkout = checkout_by_token(token=latest) if latest else None
    if checkout is not None and checkout.user_id is not None and (user is None or checkout.user_id != user.pk):
        return None
    return checkout


@dataclasses.dataclass
class StockAtOutlet:
    line: LineInfo
    here: int  # units of the line's variant this outlet holds


@dataclasses.dataclass
class PickupOption:
    """A collection point for this cart: the outlet, what it holds of each line, and when the order is ready."""

    outlet: Outlet
    stock: list[StockAtOutlet]
    holds_everything: bool
    ready_by: datetime.date

    @property
    def map_url(self) -> str:
        outlet = self.outlet
        if outlet.latitude is None or outlet.longitude is None:
            return ""
        return f"https://www.google.com/maps/search/?api=1&query={outlet.latitude:.6f},{outlet.longitude:.6f}"


def pickup_options(*, info: CheckoutInfo, now: datetime.datetime | None = None) -> list[PickupOption]:
    """Where the cart can be collected, as `available_collection_points` decides, with a ready-by date.

    The date is the one the order will be placed with (`marketplace.checkout.complete`): after the outlet's
    preparation time when it holds every line itself (the completion takes the collection point's own stock
    first), else `OCOP_TRANSFER_DAYS` later, for an outlet that collects from any warehouse; on a day the outlet
    is open (`pickup_ready_date`).
    """
    moment = now or timezone.now()
    options = []
    outlets = available_collection_points(info=info)
    prefetch_related_objects(outlets, "opening_periods")
    for outlet in outlets:
        local = info.available_at(outlet.pk)
        stock = [StockAtOutlet(line=line, here=local.get(line.variant.pk, 0)) for line in info.lines]
        holds_everything = outlet.click_and_collect_option == CollectionPointOption.LOCAL_STOCK or all(
            item.here >= item.line.line.quantity or not item.line.variant.track_inventory for item in stock
        )
        options.append(
            PickupOption(
                outlet=outlet,
                stock=stock,
                holds_everything=holds_everything,
                ready_by=pickup_ready_date(outlet=outlet, all_at_collection_point=holds_everything, now=moment),
            )
        )
    return options


def order_for_page(*, order_id: uuid.UUID, user: User | None) -> Order | None:
    """The order with its lines and pickup outlet, when the visitor may see it.

    A guest's order (no user) is seen by whoever holds its id, which is the guest's receipt (the page shows it
    in full only to the browser that placed it, masked as `marketplace.orders.privacy` says to anyone else); a
    signed-in buyer's order only by that buyer. Anyone else gets None (the page answers 404).
    """
    order = (
        Order.objects.select_related("collection_point", "shipping_address", "shipping_method")
        .prefetch_related("lines", "discounts")
        .filter(pk=order_id)
        .first()
    )
    if order is None:
        return None
    if order.user_id is not None and (user is None or order.user_id != user.pk):
        return None
    return order


@dataclasses.dataclass(frozen=True)
class OrderTransfer:
    """An order paid by bank transfer, as its page shows it: what to transfer and by when (while money is due and
    the order stands), and what is owed back to the buyer."""

    instructions: TransferInstructions | None
    deadline: datetime.datetime | None
    refunds: list[TransferRefund]

    @property
    def refund_awaiting_account(self) -> TransferRefund | None:
        owed = (refund for refund in self.refunds if refund.status == RefundStatus.OWED)
        return next((refund for refund in owed if not refund.account_number), None)


def order_transfer(*, order: Order) -> OrderTransfer | None:
    """The transfer side of an order's page; None for an order not paid by transfer."""
    if order.payment_method != PaymentMethod.TRANSFER:
        return None
    item = TransactionItem.objects.filter(order=order, gateway=Gateway.VIETQR).order_by("-created_at").first()
    if item is None:
        return None
    waiting = order.status == OrderStatus.UNCONFIRMED and order.amount_due > 0
    return OrderTransfer(
        instructions=instructions_for(reference=item.psp_reference, amount=order.amount_due) if waiting else None,
        deadline=transfer_deadline(order) if waiting else None,
        refunds=list(TransferRefund.objects.filter(transaction__order=order).order_by("created_at")),
    )


def shipping_methods_for(*, info: CheckoutInfo, province_code: str) -> list[ShippingMethod]:
    """The home delivery methods that would serve this cart in `province_code`, before the address is saved:
    `available_shipping_methods` asked about an unsaved address in that province."""
    probe = copy.copy(info.checkout)
    probe.shipping_address = Address(province_code=province_code)
    return available_shipping_methods(info=dataclasses.replace(info, checkout=probe))


def product_of_variant(*, variant_id: int) -> Product | None:
    variant = ProductVariant.objects.select_related("product").filter(pk=variant_id).first()
    return variant.product if variant is not None else None
