"""Turning a checkout into an order: check everything again, allocate stock under row locks, write the
order with its lines and fulfilments (one per producer and outlet), and delete the checkout.

All of it happens in one transaction. Stock rows are locked in primary-key order before they are
read, so concurrent buyers of the same units queue up and the later ones see what is left: a
product can never be oversold. A checkout completed twice (a double click, a retried request)
returns the order it already became.

The entry point is `place_order`, called by `payments.checkout.checkout_complete` (which says what was
paid) and by the demo seed (cash at pickup).
"""

from __future__ import annotations

import dataclasses
import datetime
from collections import defaultdict
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from marketplace.accounts.error_codes import AddressType
from marketplace.accounts.models import Address, User
from marketplace.accounts.services import address_create
from marketplace.catalogue.models import Product
from marketplace.catalogue.signals import stock_changed
from marketplace.checkout.allocation import (
    AllocationPlan,
    CollectionPoint,
    LineNeed,
    StockRow,
    allocation_plan,
)
from marketplace.checkout.error_codes import CheckoutErrorCode
from marketplace.checkout.models import Checkout
from marketplace.checkout.problems import Item, checkout_problems, insufficient_stock
from marketplace.checkout.selectors import CheckoutInfo, checkout_info, pickup_ready_date
from marketplace.checkout.services import voucher_not_applicable
from marketplace.checkout.vouchers import CheckoutVoucher
from marketplace.core.errors import DomainError, ErrorDetail
from marketplace.core.money import commission_of
from marketplace.discounts.calculation import distribute
from marketplace.discounts.models import OrderDiscount, OrderDiscountType
from marketplace.discounts.services import VoucherNotApplicable, voucher_use
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
from marketplace.outlets.models import CollectionPointOption

PICKUP_CODE_ATTEMPTS = 20


@dataclasses.dataclass(frozen=True)
class PaymentSummary:
    """What the buyer has paid or promised for the checkout, as the payments package sees it."""

    method: PaymentMethod
    authorized: int = 0
    charged: int = 0
    # The number drawn for the order when its payment opened (a bank transfer's reference carries it).
    order_number: int | None = None

    @property
    def covered(self) -> int:
        return self.authorized + self.charged

    def confirms(self, total: int) -> bool:
        """Whether the order is confirmed when placed: cash is promised at the counter, a card is charged in full."""
        return self.method == PaymentMethod.CASH or self.charged >= total


def place_order(*, checkout: Checkout, payment: PaymentSummary, user: User | None = None) -> tuple[Order, bool]:
    """The order this checkout becomes, and whether it was placed now (False: the checkout had already become it).
    Call inside a transaction that locked the checkout row (`selectors.checkout_locked`).

    An order placed now was created in the caller's transaction: no one else sees it or holds its row.
    """
    already = Order.objects.filter(checkout_token=checkout.pk).first()
    if already is not None:
        return already, False
    info = checkout_info(checkout=checkout, lock_stock=True)  # the lines' stock rows stay locked until commit
    _refuse(checkout_problems(info))
    _refuse(_voucher_problems(info))
    _check_paid(info, payment)
    plan = _allocation_plan(info)
    _refuse(_shortages(info, plan))
    _use_voucher(info)
    order = _write_order(info=info, plan=plan, payment=payment, user=user)
    _save_addresses(checkout=checkout, user=order.user)
    product_ids = sorted({line.product.pk for line in info.lines})
    checkout.delete()
    stock_changed.send(sender=Product, product_ids=product_ids)
    # In the transaction: the e-mail's outbox job is written with the order, so it cannot be lost (nor sent for
    # an order rolled back).
    order_placed.send(sender=Order, order_id=order.pk)
    return order, True


def _save_addresses(*, checkout: Checkout, user: User | None) -> None:
    """Saleor's `saveAddress`: the addresses the buyer asked to keep go into their address book, once (an
    identical saved address is not added again), as their default when they have none of that kind."""
    if user is None:
        return
    wanted = [
        (address, kind)
        for address, kind, save in (
            (checkout.shipping_address, AddressType.SHIPPING, checkout.save_shipping_address),
            (checkout.billing_address, AddressType.BILLING, checkout.save_billing_address),
        )
        if save and address is not None
    ]
    for address, kind in wanted:
        values = _address_values(address)
        if any(_address_values(saved) == values for saved in user.addresses.all()):
            continue
        default = user.default_shipping_address_id if kind == AddressType.SHIPPING else user.default_billing_address_id
        address_create(user=user, values=values, address_type=kind if default is None else None)


def _address_values(address: Address) -> dict[str, Any]:
    return {
        field.attname: getattr(address, field.attname)
        for field in Address._meta.concrete_fields
        if not field.primary_key
    }


def _refuse(details: list[ErrorDetail]) -> None:
    if details:
        raise DomainError(details=details)


def _voucher_problems(info: CheckoutInfo) -> list[ErrorDetail]:
    """A code whose voucher is gone, or no longer applies, refuses the order (as Saleor): the buyer removes it or
    changes the cart, and sees the total they will pay before paying it."""
    if not info.checkout.voucher_code:
        return []
    voucher = info.voucher
    if voucher is None:
        return [
            ErrorDetail(
                "Voucher not applicable", CheckoutErrorCode.VOUCHER_NOT_APPLICABLE, "voucherCode", extra={"reason": ""}
            )
        ]
    if voucher.refusal is not None:
        return [voucher_not_applicable(voucher.refusal, field="voucherCode")]
    return []


def _use_voucher(info: CheckoutInfo) -> None:
    """Count the voucher's use under its row lock (`discounts.services.voucher_use`), refusing when a concurrent
    order took its last use, or this e-mail's only one, in the meantime."""
    if info.voucher is None:
        return
    try:
        used = voucher_use(voucher_id=info.voucher.voucher.pk, code=info.voucher.code, email=info.checkout.email)
    except VoucherNotApplicable as error:
        raise DomainError(details=[voucher_not_applicable(error.refusal, field="voucherCode")]) from None
    info.voucher.code.voucher = used  # the row as counted, for the order's copy


def _check_paid(info: CheckoutInfo, payment: PaymentSummary) -> None:
    if payment.method == PaymentMethod.CARD and payment.covered < info.total:
        raise DomainError(
            f"The checkout's total is {info.total} đồng; payments cover {payment.covered} đồng.",
            code=CheckoutErrorCode.CHECKOUT_NOT_FULLY_PAID,
            field="id",
        )


# --- the allocation plan, over the locked stock rows ---


def _allocation_plan(info: CheckoutInfo) -> AllocationPlan:
    """`allocation.allocation_plan` over the checkout's lines and its locked stock rows."""
    outlet = info.checkout.collection_point
    collection_point = (
        CollectionPoint(
            outlet_id=outlet.pk,
            local_stock_only=outlet.click_and_collect_option == CollectionPointOption.LOCAL_STOCK,
        )
        if outlet is not None
        else None
    )
    lines = [
        LineNeed(
            line_id=str(line.line.pk),
            variant_id=line.variant.pk,
            producer_id=line.product.producer_id,
            quantity=line.line.quantity,
            track_inventory=line.variant.track_inventory,
        )
        for line in info.lines
    ]
    stocks = [
        StockRow(
            stock_id=stock.pk,
            variant_id=stock.variant_id,
            outlet_id=stock.outlet_id,
            outlet_producer_id=stock.outlet.producer_id,
            available=stock.quantity_available,
        )
        for stock in info.stocks
    ]
    return allocation_plan(lines=lines, stocks=stocks, collection_point=collection_point)


def _shortages(info: CheckoutInfo, plan: AllocationPlan) -> list[ErrorDetail]:
    outlet = info.checkout.collection_point
    lines = {str(line.line.pk): line for line in info.lines}
    return [
        insufficient_stock(
            Item.of_line(lines[shortage.line_id]),
            available=shortage.available,
            outlet_name=outlet.name if outlet is not None else "",
        )
        for shortage in plan.shortages
    ]


# --- writing the order: its row, its lines, the fulfilments, the allocations, its first events ---


def _write_order(*, info: CheckoutInfo, plan: AllocationPlan, payment: PaymentSummary, user: User | None) -> Order:
    order = _write_order_row(info=info, plan=plan, payment=payment, user=user)
    order_lines = _write_order_lines(order=order, info=info)
    _write_fulfillments(order=order, plan=plan, order_lines=order_lines, voucher=info.voucher)
    _write_discount(order=order, voucher=info.voucher)
    _allocate(plan)
    _write_placed_events(order=order, user=user)
    return order


def _write_order_row(*, info: CheckoutInfo, plan: AllocationPlan, payment: PaymentSummary, user: User | None) -> Order:
    """The order's row, with copies of the addresses it keeps: for pickup the billing address only."""
    checkout = info.checkout
    outlet = checkout.collection_point
    method = checkout.shipping_method if outlet is None else None
    billing_address, shipping_address = _copies(
        checkout.billing_address or checkout.shipping_address, checkout.shipping_address if outlet is None else None
    )
    return _create_order(
        pickup=outlet is not None,
        number=payment.order_number or reserve_order_number(),
        status=OrderStatus.UNFULFILLED if payment.confirms(info.total) else OrderStatus.UNCONFIRMED,
        channel=checkout.channel,
        checkout_token=checkout.pk,
        user_id=user.pk if user is not None else checkout.user_id,
        user_email=checkout.email,
        language_code=checkout.language_code,
        currency=checkout.currency,
        billing_address=billing_address,
        shipping_address=shipping_address,
        shipping_method=method,
        shipping_method_name=method.name if method is not None else "",
        collection_point=outlet,
        collection_point_name=outlet.name if outlet is not None else "",
        subtotal_amount=info.subtotal,
        shipping_amount=info.shipping_price,
        discount_amount=info.discount,
        total_amount=info.total,
        voucher=info.voucher.voucher if info.voucher is not None else None,
        voucher_code=info.voucher.code.code if info.voucher is not None else "",
        commission_percent=Decimal(settings.OCOP_PLATFORM_COMMISSION_PERCENT),
        payment_method=payment.method,
        ready_estimate=_ready_estimate(info=info, plan=plan, now=timezone.now()),
        customer_note=checkout.note,
    )


def _ready_estimate(*, info: CheckoutInfo, plan: AllocationPlan, now: datetime.datetime) -> datetime.date:
    """Pickup: after the collection point's preparation time when it holds every line itself, else after a
    transfer, on a day it is open (`pickup_ready_date`). Delivery: within the shipping method's longest delay."""
    today = timezone.localdate(now)
    outlet = info.checkout.collection_point
    if outlet is not None:
        return pickup_ready_date(outlet=outlet, all_at_collection_point=plan.all_at(outlet.pk), now=now)
    method = info.checkout.shipping_method
    if method is None:  # `checkout_problems` refused a checkout with neither
        raise AssertionError("a checkout without a collection point has a shipping method")
    return today + datetime.timedelta(days=method.maximum_delivery_days)


def _write_order_lines(*, order: Order, info: CheckoutInfo) -> dict[str, OrderLine]:
    """The lines as they are sold (names, SKU, certificate and price copied), by checkout line id."""
    lines = {}
    for index, line in enumerate(info.lines):
        certification = line.product.current_certification
        lines[str(line.line.pk)] = OrderLine(
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
            unit_price_amount=line.effective_unit_price,
            total_price_amount=line.total_price,
            discount_amount=info.voucher.discount_of(str(line.line.pk)) if info.voucher is not None else 0,
            sort_order=index,
        )
    OrderLine.objects.bulk_create(lines.values())
    return lines


def _write_fulfillments(
    *, order: Order, plan: AllocationPlan, order_lines: dict[str, OrderLine], voucher: CheckoutVoucher | None
) -> None:
    """One fulfilment per producer and outlet the goods come from, numbered in that order, with the producer's
    share after the platform's commission (on the undiscounted lines) and, when the producer bears the voucher,
    after its share of the discount; and its lines, one per allocation."""
    groups: dict[tuple[int, int], list[tuple[OrderLine, int, int]]] = defaultdict(list)
    for allocation in plan.allocations:
        order_line = order_lines[allocation.line_id]
        groups[(order_line.producer_id, allocation.outlet_id)].append(
            (order_line, allocation.stock_id, allocation.quantity)
        )
    grouped = sorted(groups.items())
    discounts = _allocation_discounts(grouped)
    paid_by = voucher.voucher.paid_by if voucher is not None and voucher.amount else ""
    fulfillments = []
    for number, ((producer_id, outlet_id), allocated) in enumerate(grouped, start=1):
        subtotal = sum(quantity * order_line.unit_price_amount for order_line, _, quantity in allocated)
        commission = commission_of(subtotal, percent=order.commission_percent)
        discount = sum(discounts[(number - 1, index)] for index in range(len(allocated)))
        borne = discount if voucher is not None and voucher.paid_by_producer else 0
        fulfillments.append(
            Fulfillment(
                order=order,
                fulfillment_order=number,
                producer_id=producer_id,
                outlet_id=outlet_id,
                subtotal_amount=subtotal,
                commission_amount=commission,
                payout_amount=max(subtotal - commission - borne, 0),
                discount_amount=discount,
                discount_paid_by=paid_by if discount else "",
            )
        )
    Fulfillment.objects.bulk_create(fulfillments)
    FulfillmentLine.objects.bulk_create(
        FulfillmentLine(fulfillment=fulfillment, order_line=order_line, stock_id=stock_id, quantity=quantity)
        for fulfillment, (_, allocated) in zip(fulfillments, grouped, strict=True)
        for order_line, stock_id, quantity in allocated
    )


def _allocation_discounts(
    grouped: list[tuple[tuple[int, int], list[tuple[OrderLine, int, int]]]],
) -> dict[tuple[int, int], int]:
    """Each allocation's share of its line's discount, by (group position, position in the group): a line taken
    from several outlets splits its discount by quantity (`distribute`, so the shares add up to the line's)."""
    by_line: dict[str, list[tuple[tuple[int, int], int]]] = defaultdict(list)
    lines: dict[str, OrderLine] = {}
    for group_index, (_, allocated) in enumerate(grouped):
        for index, (order_line, _, quantity) in enumerate(allocated):
            by_line[str(order_line.pk)].append(((group_index, index), quantity))
            lines[str(order_line.pk)] = order_line
    shares: dict[tuple[int, int], int] = {}
    for line_id, parts in by_line.items():
        split = distribute(lines[line_id].discount_amount, [quantity for _, quantity in parts])
        shares.update({position: share for (position, _), share in zip(parts, split, strict=True)})
    return shares


def _write_discount(*, order: Order, voucher: CheckoutVoucher | None) -> None:
    """The order's copy of its voucher discount (Saleor's OrderDiscount): name, value and amount as they were."""
    if voucher is None or not voucher.amount:
        return
    OrderDiscount.objects.create(
        order=order,
        type=OrderDiscountType.VOUCHER,
        value_type=voucher.voucher.discount_value_type,
        value=voucher.voucher.discount_value,
        amount=voucher.amount,
        name=voucher.voucher.name,
        name_en=voucher.voucher.name_en,
        voucher=voucher.voucher,
        voucher_code=voucher.code.code,
        paid_by=voucher.voucher.paid_by,
    )


def _write_placed_events(*, order: Order, user: User | None) -> None:
    events = [OrderEvent(order=order, type=OrderEventType.PLACED, user=user, parameters={"total": order.total_amount})]
    if order.status == OrderStatus.UNFULFILLED:
        events.append(OrderEvent(order=order, type=OrderEventType.CONFIRMED, parameters={}))
    OrderEvent.objects.bulk_create(events)


def _create_order(*, pickup: bool, **fields: Any) -> Order:
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


def _copies(billing: Address | None, shipping: Address | None) -> tuple[Address | None, Address | None]:
    """Unsaved copies of the checkout's billing and shipping addresses (either may be None), saved in one insert."""
    billing_copy, shipping_copy = (address.copy() if address is not None else None for address in (billing, shipping))
    Address.objects.bulk_create([address for address in (billing_copy, shipping_copy) if address is not None])
    return billing_copy, shipping_copy


def _allocate(plan: AllocationPlan) -> None:
    """Add the plan's quantities to the stock rows' allocations, in one UPDATE (the rows are locked)."""
    quantities: dict[int, int] = defaultdict(int)
    for allocation in plan.allocations:
        quantities[allocation.stock_id] += allocation.quantity
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


def reserve_order_number() -> int:
    """The next order number, never given again: for the order being written, or drawn ahead for one whose payment
    must name it before it exists (a bank transfer's reference)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT nextval('orders_order_number_seq')")
        return cursor.fetchone()[0]
