"""Turning a checkout into an order: check everything again, allocate stock under row locks, write the
order with its lines and fulfilments (one per producer and outlet), and delete the checkout.

All of it happens in one transaction. Stock rows are locked in primary-key order before they are
read, so concurrent buyers of the same units queue up and the later ones see what is left: a
product can never be oversold. A checkout completed twice (a double click, a retried request)
returns the order it already became.
"""

from __future__ import annotations

import dataclasses
import datetime
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db import IntegrityError, connection, transaction

from marketplace.accounts.models import Address, User
from marketplace.catalogue.models import Product
from marketplace.catalogue.signals import stock_changed
from marketplace.checkout.error_codes import CheckoutErrorCode
from marketplace.checkout.models import Checkout
from marketplace.checkout.selectors import (
    CheckoutInfo,
    LineInfo,
    available_shipping_methods,
    checkout_info,
    pickup_ready_date,
)
from marketplace.core.dates import local_today
from marketplace.core.errors import DomainError, ErrorDetail
from marketplace.inventory.models import Stock
from marketplace.orders.models import (
    Fulfillment,
    FulfillmentLine,
    Order,
    OrderEvent,
    OrderEventType,
    OrderLine,
    OrderStatus,
    PaymentMethod,
)
from marketplace.orders.pickup import generate_pickup_code
from marketplace.orders.signals import order_placed
from marketplace.outlets.models import CollectionPointOption, Outlet

PICKUP_CODE_ATTEMPTS = 20


@dataclasses.dataclass(frozen=True)
class PaymentSummary:
    """What the buyer has paid or promised for the checkout, as the payments package sees it."""

    method: PaymentMethod
    authorized: int = 0
    charged: int = 0

    @property
    def covered(self) -> int:
        return self.authorized + self.charged


def complete_checkout(*, checkout: Checkout, payment: PaymentSummary, user: User | None = None) -> Order:
    """The order this checkout becomes. Call inside a transaction that locked the checkout row."""
    return place_order(checkout=checkout, payment=payment, user=user)[0]


def place_order(*, checkout: Checkout, payment: PaymentSummary, user: User | None = None) -> tuple[Order, bool]:
    """`complete_checkout`, and whether the order was placed now (False: the checkout had already become it).

    An order placed now was created in the caller's transaction: no one else sees it or holds its row.
    """
    already = Order.objects.filter(checkout_token=checkout.pk).first()
    if already is not None:
        return already, False
    info = checkout_info(checkout=checkout, lock_stock=True)  # the lines' stock rows stay locked until commit
    _check_checkout(info)
    if payment.method == PaymentMethod.CARD and payment.covered < info.total:
        raise DomainError(
            f"The checkout's total is {info.total} đồng; payments cover {payment.covered} đồng.",
            code=CheckoutErrorCode.CHECKOUT_NOT_FULLY_PAID,
            field="id",
        )
    plan = _allocation_plan(info=info, stocks=info.stocks)
    order = _write_order(info=info, plan=plan, payment=payment, user=user)
    product_ids = sorted({line.product.pk for line in info.lines})
    checkout.delete()
    stock_changed.send(sender=Product, product_ids=product_ids)
    transaction.on_commit(lambda: order_placed.send(sender=Order, order_id=order.pk))
    return order, True


def lock_checkout(token) -> Checkout | None:
    """The checkout, its row locked, with everything completing it reads (channel, addresses, delivery)."""
    return (
        Checkout.objects.select_for_update(of=("self",))
        .select_related("channel", "collection_point", "shipping_method__zone", "shipping_address", "billing_address")
        .filter(pk=token)
        .first()
    )


def _check_checkout(info: CheckoutInfo) -> None:
    checkout = info.checkout
    details: list[ErrorDetail] = []
    if not info.lines:
        raise DomainError("The checkout has no lines.", code=CheckoutErrorCode.NO_LINES, field="lines")
    if not checkout.email:
        details.append(ErrorDetail("Set an e-mail address first.", CheckoutErrorCode.EMAIL_NOT_SET, "email"))
    for line in info.lines:
        details.extend(_line_problems(line, channel_slug=checkout.channel.slug))
    if checkout.collection_point_id is None and checkout.shipping_method_id is None:
        details.append(
            ErrorDetail(
                "Choose pickup at an outlet or a home delivery method.",
                CheckoutErrorCode.SHIPPING_METHOD_NOT_SET,
                "deliveryMethodId",
            )
        )
    elif checkout.shipping_method_id is not None:
        if checkout.shipping_address is None:
            details.append(
                ErrorDetail("Set the shipping address.", CheckoutErrorCode.SHIPPING_ADDRESS_NOT_SET, "shippingAddress")
            )
        elif checkout.shipping_method_id not in {method.pk for method in available_shipping_methods(info=info)}:
            details.append(
                ErrorDetail(
                    "The shipping method no longer applies to this address or order.",
                    CheckoutErrorCode.DELIVERY_METHOD_NOT_APPLICABLE,
                    "deliveryMethodId",
                )
            )
    elif not checkout.collection_point.is_collection_point:
        details.append(
            ErrorDetail(
                f"{checkout.collection_point.name} no longer hands over orders.",
                CheckoutErrorCode.DELIVERY_METHOD_NOT_APPLICABLE,
                "deliveryMethodId",
            )
        )
    if details:
        raise DomainError(details=details)


def _line_problems(line: LineInfo, *, channel_slug: str) -> list[ErrorDetail]:
    line_id = (str(line.line.pk),)
    name = line.product.name
    if not line.is_listed:
        return [
            ErrorDetail(
                f"{name} can no longer be bought: it holds no valid 3–5 star OCOP certificate today. "
                "Remove it from the cart.",
                CheckoutErrorCode.PRODUCT_NOT_PUBLISHED,
                "lines",
                lines=line_id,
                variants=(line.variant.pk,),
            )
        ]
    if line.unit_price is None:
        return [
            ErrorDetail(
                f"{name} is not sold in channel {channel_slug}.",
                CheckoutErrorCode.UNAVAILABLE_VARIANT_IN_CHANNEL,
                "lines",
                lines=line_id,
                variants=(line.variant.pk,),
            )
        ]
    if line.price_changed:
        return [
            ErrorDetail(
                f"The price of {name} changed from {line.line.price_seen_amount} to {line.unit_price} đồng. "
                "Update the line to accept the new price.",
                CheckoutErrorCode.PRICE_CHANGED,
                "lines",
                lines=line_id,
                variants=(line.variant.pk,),
            )
        ]
    return []


@dataclasses.dataclass
class Allocation:
    line: LineInfo
    stock: Stock
    quantity: int


def _allocation_plan(*, info: CheckoutInfo, stocks: list[Stock]) -> list[Allocation]:
    """Which stock rows serve each line: the collection point's own first, then the producer's
    warehouse, then the fullest; an outlet collecting from local stock serves only from its own."""
    outlet = info.checkout.collection_point
    by_variant: dict[int, list[Stock]] = defaultdict(list)
    for stock in stocks:
        by_variant[stock.variant_id].append(stock)
    plan: list[Allocation] = []
    details: list[ErrorDetail] = []
    for line in info.lines:
        candidates = by_variant.get(line.variant.pk, [])
        if outlet is not None and outlet.click_and_collect_option == CollectionPointOption.LOCAL_STOCK:
            candidates = [stock for stock in candidates if stock.outlet_id == outlet.pk]
        candidates = sorted(candidates, key=lambda stock: _preference(stock, line=line, outlet=outlet))
        needed = line.line.quantity
        for stock in candidates:
            take = min(needed, stock.available)
            if take > 0:
                plan.append(Allocation(line=line, stock=stock, quantity=take))
                stock.available -= take
                needed -= take
            if needed == 0:
                break
        if needed and line.variant.track_inventory:
            left = line.line.quantity - needed
            where = f" at {outlet.name}" if outlet is not None else ""
            details.append(
                ErrorDetail(
                    f"Only {left} of {line.product.name} left in stock{where}.",
                    CheckoutErrorCode.INSUFFICIENT_STOCK,
                    "lines",
                    lines=(str(line.line.pk),),
                    variants=(line.variant.pk,),
                )
            )
    if details:
        raise DomainError(details=details)
    return plan


def _preference(stock: Stock, *, line: LineInfo, outlet: Outlet | None) -> tuple[int, int, int]:
    at_collection_point = outlet is not None and stock.outlet_id == outlet.pk
    producers_own = stock.outlet.producer_id == line.product.producer_id
    return (0 if at_collection_point else 1, 0 if producers_own else 1, -stock.available)


def _write_order(*, info: CheckoutInfo, plan: list[Allocation], payment: PaymentSummary, user: User | None) -> Order:
    checkout = info.checkout
    today = local_today()
    outlet = checkout.collection_point
    method = checkout.shipping_method
    commission_percent = Decimal(settings.OCOP_PLATFORM_COMMISSION_PERCENT)
    if outlet is not None:
        all_local = all(allocation.stock.outlet_id == outlet.pk for allocation in plan)
        ready_estimate = pickup_ready_date(all_at_collection_point=all_local, today=today)
    else:
        ready_estimate = today + datetime.timedelta(days=method.maximum_delivery_days)
    confirmed = payment.method == PaymentMethod.CASH or payment.charged >= info.total
    billing_address, shipping_address = _copies(
        checkout.billing_address or checkout.shipping_address, checkout.shipping_address if outlet is None else None
    )
    order = _create_order(
        pickup=outlet is not None,
        number=_next_order_number(),
        status=OrderStatus.UNFULFILLED if confirmed else OrderStatus.UNCONFIRMED,
        channel=checkout.channel,
        checkout_token=checkout.pk,
        user_id=user.pk if user is not None else checkout.user_id,
        user_email=checkout.email,
        language_code=checkout.language_code,
        currency=checkout.currency,
        billing_address=billing_address,
        shipping_address=shipping_address,
        shipping_method=method if outlet is None else None,
        shipping_method_name=method.name if (outlet is None and method) else "",
        collection_point=outlet,
        collection_point_name=outlet.name if outlet else "",
        subtotal_amount=info.subtotal,
        shipping_amount=info.shipping_price,
        total_amount=info.total,
        commission_percent=commission_percent,
        payment_method=payment.method,
        ready_estimate=ready_estimate,
        customer_note=checkout.note,
    )
    lines = {}
    for index, line in enumerate(info.lines):
        certification = line.product.current_certification
        lines[line.line.pk] = OrderLine(
            order=order,
            variant=line.variant,
            producer_id=line.product.producer_id,
            product_name=line.product.name,
            product_name_en=line.product.name_en,
            variant_name=line.variant.name,
            product_sku=line.variant.sku,
            certificate_id=certification.certificate_id if certification else "",
            certificate_stars=certification.stars if certification else None,
            quantity=line.line.quantity,
            unit_price_amount=line.unit_price,
            total_price_amount=line.unit_price * line.line.quantity,
            sort_order=index,
        )
    OrderLine.objects.bulk_create(lines.values())
    groups: dict[tuple[int, int], list[Allocation]] = defaultdict(list)
    for allocation in plan:
        groups[(allocation.line.product.producer_id, allocation.stock.outlet_id)].append(allocation)
    fulfillments, allocated = [], []
    for number, ((producer_id, outlet_id), allocations) in enumerate(sorted(groups.items()), start=1):
        subtotal = sum(allocation.quantity * allocation.line.unit_price for allocation in allocations)
        commission = int((subtotal * commission_percent / 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))
        fulfillments.append(
            Fulfillment(
                order=order,
                fulfillment_order=number,
                producer_id=producer_id,
                outlet_id=outlet_id,
                subtotal_amount=subtotal,
                commission_amount=commission,
                payout_amount=subtotal - commission,
            )
        )
        allocated.append(allocations)
    Fulfillment.objects.bulk_create(fulfillments)
    FulfillmentLine.objects.bulk_create(
        FulfillmentLine(
            fulfillment=fulfillment,
            order_line=lines[allocation.line.line.pk],
            stock=allocation.stock,
            quantity=allocation.quantity,
        )
        for fulfillment, allocations in zip(fulfillments, allocated, strict=True)
        for allocation in allocations
    )
    _allocate(plan)
    events = [OrderEvent(order=order, type=OrderEventType.PLACED, user=user, parameters={"total": info.total})]
    if confirmed:
        events.append(OrderEvent(order=order, type=OrderEventType.CONFIRMED, parameters={}))
    OrderEvent.objects.bulk_create(events)
    return order


def _create_order(*, pickup: bool, **fields) -> Order:
    """The order row; a pickup order gets its pickup code now (shown on the order page and in the e-mails;
    it releases the order once staff have made it ready). A code another order holds is drawn again."""
    for attempt in range(PICKUP_CODE_ATTEMPTS):
        try:
            with transaction.atomic():
                return Order.objects.create(pickup_code=generate_pickup_code() if pickup else None, **fields)
        except IntegrityError as error:
            if "pickup_code" not in str(error) or attempt == PICKUP_CODE_ATTEMPTS - 1:
                raise
    raise AssertionError("unreachable")


def _copies(billing, shipping):
    """Unsaved copies of the checkout's billing and shipping addresses (either may be None), saved in one insert."""
    copies = [address.copy() if address is not None else None for address in (billing, shipping)]
    Address.objects.bulk_create([address for address in copies if address is not None])
    return copies


def _allocate(plan: list[Allocation]) -> None:
    """Add the plan's quantities to the stock rows' allocations, in one UPDATE (the rows are locked)."""
    quantities: dict[int, int] = defaultdict(int)
    for allocation in plan:
        quantities[allocation.stock.pk] += allocation.quantity
    if not quantities:
        return
    rows = sorted(quantities.items())
    table = connection.ops.quote_name(Stock._meta.db_table)
    values = ", ".join(["(%s::bigint, %s::integer)"] * len(rows))
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} AS stock SET quantity_allocated = stock.quantity_allocated + allocation.quantity "
            f"FROM (VALUES {values}) AS allocation (id, quantity) WHERE stock.id = allocation.id",
            [value for row in rows for value in row],
        )


def _next_order_number() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT nextval('orders_order_number_seq')")
        return cursor.fetchone()[0]
