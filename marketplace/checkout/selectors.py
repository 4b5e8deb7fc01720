"""Reads of a checkout: its lines with today's prices and availability, totals, delivery options.

`checkout_info` gathers everything a checkout's questions need in a fixed number of queries;
the API, the services and the completion all read the checkout through it.
"""

from __future__ import annotations

import dataclasses
import datetime
import uuid
from collections import defaultdict
from typing import Any

from django.conf import settings
from django.db.models import Exists, OuterRef, QuerySet

from marketplace.accounts.permissions import is_operator
from marketplace.catalogue.models import Product, ProductVariant
from marketplace.catalogue.selectors import listed_products, variant_price_in_channel
from marketplace.checkout.models import Checkout, CheckoutLine
from marketplace.checkout.vouchers import CheckoutVoucher, checkout_voucher
from marketplace.core.dates import local_today
from marketplace.core.db import AnyOf
from marketplace.core.statements import Statement
from marketplace.inventory.models import Stock
from marketplace.outlets.hours import ready_day
from marketplace.outlets.models import CollectionPointOption, Outlet
from marketplace.outlets.selectors import collection_points_open
from marketplace.shipping.models import ShippingMethod


@dataclasses.dataclass
class LineInfo:
    line: CheckoutLine
    variant: ProductVariant
    product: Product
    unit_price: int | None  # today's price in the checkout's channel; None when not sold there
    is_listed: bool  # the product holds a valid 3–5★ certificate today

    @property
    def effective_unit_price(self) -> int:
        """Today's unit price; the one the buyer was shown when the channel no longer sells the variant."""
        return self.unit_price if self.unit_price is not None else self.line.price_seen_amount

    @property
    def total_price(self) -> int:
        return self.effective_unit_price * self.line.quantity

    @property
    def price_changed(self) -> bool:
        return self.unit_price is not None and self.unit_price != self.line.price_seen_amount


@dataclasses.dataclass
class CheckoutInfo:
    checkout: Checkout
    lines: list[LineInfo]
    stocks: list[Stock]  # stock of the lines' variants at active outlets, with their outlets
    voucher: CheckoutVoucher | None = None  # the voucher its code names, applicable or not

    @property
    def subtotal(self) -> int:
        """The lines' total before any voucher."""
        return sum(info.total_price for info in self.lines)

    @property
    def discount(self) -> int:
        """What the voucher takes off the lines (0 without one, or when it does not apply)."""
        return self.voucher.amount if self.voucher is not None else 0

    @property
    def delivery_method(self) -> ShippingMethod | Outlet | None:
        return self.checkout.collection_point or self.checkout.shipping_method

    @property
    def shipping_price(self) -> int:
        method = self.checkout.shipping_method
        if self.checkout.collection_point_id or method is None:
            return 0
        return method.price_amount

    @property
    def total(self) -> int:
        return self.subtotal - self.discount + self.shipping_price

    @property
    def quantity(self) -> int:
        return sum(info.line.quantity for info in self.lines)

    def available_by_variant(self) -> dict[int, int]:
        totals: dict[int, int] = defaultdict(int)
        for stock in self.stocks:
            totals[stock.variant_id] += stock.quantity_available
        return totals

    def available_at(self, outlet_id: int) -> dict[int, int]:
        return {stock.variant_id: stock.quantity_available for stock in self.stocks if stock.outlet_id == outlet_id}


# What a checkout is read with wherever it is changed, shown or completed.
CHECKOUT_RELATED = ("channel", "shipping_address", "billing_address", "shipping_method__zone", "collection_point")


_CHECKOUT = Statement(lambda token: Checkout.objects.select_related(*CHECKOUT_RELATED).filter(token=token)[:1])


# The lines of a checkout with their variant and product, today's price in its channel and whether the product
# is listed today: one statement, compiled once (marketplace.core.statements).
_LINES: Statement[Any] = Statement(  # rows annotated with today_price and product_listed
    lambda token, channel_id, today: (
        CheckoutLine.objects.filter(checkout_id=token)
        .select_related("variant__product__producer", "variant__product__current_certification")
        .annotate(
            today_price=variant_price_in_channel(variant=OuterRef("variant_id"), channel_id=channel_id),
            product_listed=Exists(listed_products(today=today).filter(pk=OuterRef("variant__product_id"))),
        )
        .order_by("created_at", "id")
    )
)

_STOCKS = Statement(
    lambda variant_ids: (
        Stock.objects.filter(AnyOf("variant_id", variant_ids), outlet__is_active=True)
        .select_related("outlet")
        .order_by("variant_id", "outlet_id")
    )
)


_LOCKED_CHECKOUT = Statement(
    lambda token: Checkout.objects.select_for_update(of=("self",)).select_related(*CHECKOUT_RELATED).filter(pk=token)
)


def checkout_by_token(*, token: uuid.UUID) -> Checkout | None:
    return _CHECKOUT.first(token=token)


def checkout_locked(*, token: uuid.UUID) -> Checkout | None:
    """The checkout with what it is shown and completed with, its row (only its row: checkouts of one channel do
    not wait on each other) locked until the transaction ends."""
    return _LOCKED_CHECKOUT.first(token=token)


def checkout_open_to(*, checkout: Checkout, user: Any, change: bool) -> bool:
    """Whether `user` (None or anonymous for a guest) may read (`change=False`) or change a checkout they hold
    the token of. A guest's checkout is anyone's who holds its token: the token is the cart's secret. A
    signed-in buyer's is theirs alone; operators may read it (Saleor's MANAGE_CHECKOUTS), never change it."""
    if checkout.user_id is None:
        return True
    if user is None or not user.is_authenticated:
        return False
    return checkout.user_id == user.pk or (not change and is_operator(user))


def checkout_info(*, checkout: Checkout, today: datetime.date | None = None, lock_stock: bool = False) -> CheckoutInfo:
    """The checkout's lines with today's prices, listing and stock (2 queries), and its voucher (when it has a
    code: `vouchers.checkout_voucher`).

    Each line comes with its price in the checkout's channel and whether its product is listed today,
    in the query of the lines. With `lock_stock` (completing the checkout, inside a transaction) the
    stock rows are those of `stocks_for_update`: locked in primary-key order.
    """
    lines = _LINES(token=checkout.pk, channel_id=checkout.channel_id, today=today or local_today())
    variant_ids = [line.variant_id for line in lines]
    if not variant_ids:
        stocks = []
    elif lock_stock:
        stocks = stocks_for_update(variant_ids=variant_ids)
    else:
        stocks = stocks_of_variants(variant_ids=variant_ids)
    infos = [
        LineInfo(
            line=line,
            variant=line.variant,
            product=line.variant.product,
            unit_price=line.today_price,
            is_listed=line.product_listed,
        )
        for line in lines
    ]
    return CheckoutInfo(
        checkout=checkout, lines=infos, stocks=stocks, voucher=checkout_voucher(checkout=checkout, lines=infos)
    )


def stocks_of_variants(*, variant_ids: list[int]) -> list[Stock]:
    """The stock of these variants at active outlets, with their outlets."""
    return _STOCKS(variant_ids=list(variant_ids))


def collection_points(*, channel_id: int, today: datetime.date | None = None) -> QuerySet[Outlet]:
    """Outlets of the channel that hand over orders; a fair's booth until its last day (an order placed before the
    fair is collected there during it)."""
    return collection_points_open(today=today).filter(channels__id=channel_id).order_by("name", "pk")


def available_collection_points(*, info: CheckoutInfo) -> list[Outlet]:
    """Where this checkout may be collected, as Saleor decides it.

    An outlet collecting from local stock offers itself only when it holds every line; one
    collecting from any warehouse only needs the lines to be in stock somewhere.
    """
    if not info.lines:
        return []
    totals = info.available_by_variant()
    everywhere = all(totals.get(line.variant.pk, 0) >= line.line.quantity for line in info.lines)
    points = []
    for outlet in collection_points(channel_id=info.checkout.channel_id):
        if outlet.click_and_collect_option == CollectionPointOption.ALL_WAREHOUSES:
            if everywhere:
                points.append(outlet)
            continue
        local = info.available_at(outlet.pk)
        if all(local.get(line.variant.pk, 0) >= line.line.quantity for line in info.lines):
            points.append(outlet)
    return points


def pickup_ready_date(*, outlet: Outlet, all_at_collection_point: bool, now: datetime.datetime) -> datetime.date:
    """When a pickup order is ready: when the collection point holds every line itself, after its preparation
    time; else after the `OCOP_TRANSFER_DAYS` it takes to bring stock from another warehouse; then the first day
    the outlet is open after that (`outlets.hours.ready_day`: an order placed at 22:40 at an outlet that closed
    at 17:00 is ready tomorrow, or on Monday if it is closed on Sundays). An outlet whose hours are not known
    counts days only."""
    periods = list(outlet.opening_periods.all())
    if all_at_collection_point:
        earliest = now + datetime.timedelta(minutes=outlet.preparation_minutes) if periods else now
    else:
        earliest = now + datetime.timedelta(days=settings.OCOP_TRANSFER_DAYS)
    return ready_day(periods, earliest=earliest, hands_over_on=outlet.hands_over_on)


def available_shipping_methods(*, info: CheckoutInfo) -> list[ShippingMethod]:
    """Flat-rate home delivery options for the shipping address's province and this subtotal."""
    address = info.checkout.shipping_address
    if address is None or not info.lines:
        return []
    methods = ShippingMethod.objects.filter(is_active=True, zone__channels__id=info.checkout.channel_id).select_related(
        "zone"
    )
    subtotal = info.subtotal
    return [method for method in methods if method.applies_to(province_code=address.province_code, subtotal=subtotal)]


_STOCKS_FOR_UPDATE = Statement(
    lambda variant_ids: (
        Stock.objects.select_for_update(of=("self",))
        .filter(AnyOf("variant_id", variant_ids), outlet__is_active=True)
        .select_related("outlet")
        .order_by("pk")
    )
)


def stocks_for_update(*, variant_ids: list[int]) -> list[Stock]:
    """The stock rows of these variants, locked until the transaction ends (always in one order)."""
    return _STOCKS_FOR_UPDATE(variant_ids=list(variant_ids))
