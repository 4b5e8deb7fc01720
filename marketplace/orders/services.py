"""Writes to orders: the pickup counter, shipping, delivery, cancellation and payment status.

Every service locks the order row first, checks who may act and in which state, then writes the
order, its fulfilments, the stock and an event in one transaction. Side effects outside the
database (e-mails, refunds, search) follow the signals sent on commit.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from marketplace.accounts.models import Role, User
from marketplace.accounts.permissions import is_operator
from marketplace.catalogue.models import Product
from marketplace.catalogue.signals import stock_changed
from marketplace.core.dates import day_text, local_today, moment_text
from marketplace.core.errors import DomainError, PermissionDenied
from marketplace.inventory.models import Stock
from marketplace.orders.error_codes import OrderErrorCode
from marketplace.orders.models import (
    ChargeStatus,
    Fulfillment,
    FulfillmentLine,
    FulfillmentStatus,
    Order,
    OrderEvent,
    OrderEventType,
    OrderLine,
    OrderStatus,
)
from marketplace.orders.pickup import generate_pickup_code, normalise_pickup_code
from marketplace.orders.signals import (
    fulfillments_handed_over,
    order_canceled,
    order_confirmed,
    order_ready_for_pickup,
    order_refunded,
)
from marketplace.outlets.models import Outlet


def orders_attach_to_account(*, user: User) -> int:
    """Gives `user` the orders placed without an account under their e-mail address, as Saleor does once an
    account's address is proven: a tourist who checked out as a guest and signs up afterwards finds those
    orders in their history. Returns how many were attached; orders of another account are never moved."""
    return Order.objects.filter(user__isnull=True, user_email__iexact=user.email).update(user=user)


def _locked(order: Order) -> Order:
    return Order.objects.select_for_update(of=("self",)).select_related("collection_point").get(pk=order.pk)


def _works_at(user: User | None, outlet_id: int | None) -> bool:
    """Operators act at any counter; outlet staff at their own outlet's only."""
    if is_operator(user):
        return True
    return user is not None and user.role == Role.OUTLET_STAFF and outlet_id is not None and user.outlet_id == outlet_id


def can_handle_pickup(user: User | None, order: Order) -> bool:
    """Outlet staff act on their own outlet's orders only; operators on any."""
    return _works_at(user, order.collection_point_id)


def _check_ready_for_pickup(order: Order) -> None:
    """Refuses an order already handed over, or not (or no longer) waiting at the counter."""
    if order.status == OrderStatus.PICKED_UP:
        raise DomainError(
            f"Order #{order.number} was already handed over on {moment_text(order.handed_over_at or timezone.now())}.",
            code=OrderErrorCode.ALREADY_PICKED_UP,
            field="pickupCode",
        )
    if order.status != OrderStatus.READY_FOR_PICKUP:
        raise DomainError(
            f"Order #{order.number} is {order.get_status_display().lower()}, not ready for pickup.",
            code=OrderErrorCode.NOT_READY_FOR_PICKUP,
            field="pickupCode",
        )


def _event(order: Order, type_: OrderEventType, user: User | None, **parameters: Any) -> None:
    OrderEvent.objects.create(order=order, type=type_, user=user, parameters=parameters)


def order_mark_ready_for_pickup(*, order: Order, by_user: User) -> Order:
    """Staff have put the order aside: it gets its pickup code and the last day to collect it."""
    with transaction.atomic():
        order = _locked(order)
        if not can_handle_pickup(by_user, order):
            raise PermissionDenied("Only this outlet's staff can mark its orders ready.")
        outlet = order.collection_point
        if outlet is None:
            raise DomainError(
                "Delivery orders are not made ready for pickup; ship them.", code=OrderErrorCode.INVALID, field="id"
            )
        if order.status != OrderStatus.UNFULFILLED:
            raise DomainError(
                f"Order #{order.number} is {order.get_status_display().lower()}; only unfulfilled orders can be "
                "made ready.",
                code=OrderErrorCode.INVALID,
                field="id",
            )
        today = local_today()
        order.status = OrderStatus.READY_FOR_PICKUP
        order.ready_at = timezone.now()
        order.collect_by = today + datetime.timedelta(days=outlet.hold_days)
        _assign_pickup_code(order)
        order.save(update_fields=["status", "ready_at", "collect_by", "updated_at"])
        order.fulfillments.exclude(status=FulfillmentStatus.CANCELED).update(status=FulfillmentStatus.READY)
        _event(order, OrderEventType.READY_FOR_PICKUP, by_user, collect_by=order.collect_by.isoformat())
        order_id = order.pk
        order_ready_for_pickup.send(sender=Order, order_id=order_id)  # its receivers write outbox jobs
    return order


def _assign_pickup_code(order: Order) -> None:
    """A code no other order holds; kept when an order is made ready again."""
    if order.pickup_code:
        return
    for _ in range(20):
        order.pickup_code = generate_pickup_code()
        try:
            with transaction.atomic():
                order.save(update_fields=["pickup_code"])
            return
        except IntegrityError:
            continue
    raise RuntimeError("Could not find a free pickup code")  # 20 collisions in ~10⁹ codes: something is wrong


def order_for_pickup_code(*, code: str, outlet: Outlet, by_user: User) -> Order:
    """The order a code at this outlet's counter releases, or the reason it releases none."""
    if not _works_at(by_user, outlet.pk):
        raise PermissionDenied("Only this outlet's staff can hand over its orders.")
    normalised = normalise_pickup_code(code)
    order = (
        Order.objects.filter(pickup_code=normalised).select_related("collection_point").first() if normalised else None
    )
    if order is None:
        raise DomainError(
            "No order has this pickup code. Check the code on the buyer's e-mail.",
            code=OrderErrorCode.PICKUP_CODE_INVALID,
            field="pickupCode",
        )
    if order.collection_point_id != outlet.pk:
        raise DomainError(
            f"This order is collected at {order.collection_point_name}, not here.",
            code=OrderErrorCode.PICKUP_WRONG_OUTLET,
            field="pickupCode",
        )
    _check_ready_for_pickup(order)
    _check_outlet_hands_over_today(order)
    return order


def _check_outlet_hands_over_today(order: Order) -> None:
    """Refuses a hand-over at a fair's booth outside the fair's days."""
    outlet, today = order.collection_point, local_today()
    if outlet is not None and not outlet.hands_over_on(today):
        first, last = outlet.collects_from, outlet.collects_until
        raise DomainError(
            f"This booth hands over orders only during its fair"
            f"{f', from {day_text(first)}' if first else ''}{f' to {day_text(last)}' if last else ''}.",
            code=OrderErrorCode.OUTLET_NOT_HANDING_OVER,
            field="pickupCode",
        )


def order_hand_over(*, order: Order, by_user: User) -> Order:
    """The buyer has the goods: stock leaves the outlet and the order is picked up. Must be paid."""
    with transaction.atomic():
        order = _locked(order)
        if not can_handle_pickup(by_user, order):
            raise PermissionDenied("Only this outlet's staff can hand over its orders.")
        _check_ready_for_pickup(order)  # again, under the lock: another counter may have been quicker
        _check_outlet_hands_over_today(order)
        if order.amount_due > 0:
            raise DomainError(
                f"{order.amount_due} đồng are still due: take the cash first.",
                code=OrderErrorCode.CANNOT_FULFILL_UNPAID_ORDER,
                field="cashAmount",
            )
        fulfillments = list(order.fulfillments.exclude(status=FulfillmentStatus.CANCELED))
        _take_goods(order, FulfillmentStatus.FULFILLED, fulfillments)
        order.status = OrderStatus.PICKED_UP
        order.handed_over_at = timezone.now()
        order.handed_over_by = by_user
        order.save(update_fields=["status", "handed_over_at", "handed_over_by", "updated_at"])
        _event(order, OrderEventType.PICKED_UP, by_user)
        # The sales are earned now: the ledger posts them in this transaction.
        fulfillments_handed_over.send(
            sender=Order, order_id=order.pk, fulfillment_ids=[fulfillment.pk for fulfillment in fulfillments]
        )
    return order


def _take_goods(order: Order, status: FulfillmentStatus, fulfillments: list[Fulfillment] | None = None) -> None:
    """The goods leave their stock: quantity and allocation both go down."""
    fulfillments = fulfillments if fulfillments is not None else list(order.fulfillments.all())
    lines = FulfillmentLine.objects.filter(fulfillment__in=fulfillments, is_allocated=True).select_related("order_line")
    for line in lines:
        if line.stock_id:
            Stock.objects.filter(pk=line.stock_id).update(
                quantity=F("quantity") - line.quantity, quantity_allocated=F("quantity_allocated") - line.quantity
            )
        OrderLine.objects.filter(pk=line.order_line_id).update(
            quantity_fulfilled=F("quantity_fulfilled") + line.quantity
        )
    lines.update(is_allocated=False)
    Fulfillment.objects.filter(pk__in=[f.pk for f in fulfillments]).update(status=status)


def can_ship(user: User | None, fulfillment: Fulfillment) -> bool:
    if is_operator(user):
        return True
    return user is not None and user.role == Role.PRODUCER_STAFF and user.producer_id == fulfillment.producer_id


def fulfillment_mark_shipped(*, fulfillment: Fulfillment, by_user: User, tracking_number: str = "") -> Order:
    """A producer has sent its part of a delivery order; when every part is sent the order is shipped."""
    with transaction.atomic():
        order = _locked(fulfillment.order)
        fulfillment = Fulfillment.objects.select_for_update().get(pk=fulfillment.pk)
        if not can_ship(by_user, fulfillment):
            raise PermissionDenied("Only the producer's staff can ship its part of an order.")
        if order.is_pickup:
            raise DomainError(
                "Pickup orders are not shipped; mark them ready for pickup.", code=OrderErrorCode.INVALID, field="id"
            )
        if order.status != OrderStatus.UNFULFILLED or fulfillment.status != FulfillmentStatus.PENDING:
            raise DomainError("This part cannot be shipped now.", code=OrderErrorCode.INVALID, field="id")
        if order.amount_due > 0 and order.payment_method != "cash":
            raise DomainError("The order is not paid yet.", code=OrderErrorCode.CANNOT_FULFILL_UNPAID_ORDER, field="id")
        _take_goods(order, FulfillmentStatus.SHIPPED, [fulfillment])
        fulfillment.tracking_number = tracking_number.strip()[:255]
        fulfillment.save(update_fields=["tracking_number"])
        _event(
            order, OrderEventType.SHIPPED, by_user, fulfillment=fulfillment.fulfillment_order, tracking=tracking_number
        )
        if not order.fulfillments.exclude(status__in=[FulfillmentStatus.SHIPPED, FulfillmentStatus.CANCELED]).exists():
            order.status = OrderStatus.SHIPPED
            order.save(update_fields=["status", "updated_at"])
        # The producer's sale is earned once its part is sent: the ledger posts it in this transaction.
        fulfillments_handed_over.send(sender=Order, order_id=order.pk, fulfillment_ids=[fulfillment.pk])
        _announce_stock(order)
    return order


def order_mark_delivered(*, order: Order, by_user: User) -> Order:
    """The courier delivered every part; cash on delivery must have been recorded first."""
    with transaction.atomic():
        order = _locked(order)
        if not is_operator(by_user):
            raise PermissionDenied("Only operators confirm deliveries.")
        if order.status != OrderStatus.SHIPPED:
            raise DomainError("Only shipped orders can be delivered.", code=OrderErrorCode.INVALID, field="id")
        if order.amount_due > 0:
            raise DomainError(
                f"{order.amount_due} đồng are still due.", code=OrderErrorCode.CANNOT_FULFILL_UNPAID_ORDER, field="id"
            )
        order.fulfillments.filter(status=FulfillmentStatus.SHIPPED).update(status=FulfillmentStatus.FULFILLED)
        order.status = OrderStatus.DELIVERED
        order.handed_over_at = timezone.now()
        order.handed_over_by = by_user
        order.save(update_fields=["status", "handed_over_at", "handed_over_by", "updated_at"])
        _event(order, OrderEventType.DELIVERED, by_user)
    return order


CANCELABLE = {OrderStatus.UNCONFIRMED, OrderStatus.UNFULFILLED, OrderStatus.READY_FOR_PICKUP}


def can_cancel(user: User | None, order: Order) -> bool:
    if user is None:
        return True  # the system: an uncollected order, an unpaid one
    if is_operator(user) or can_handle_pickup(user, order):
        return True
    return order.user_id == user.pk and order.status in {OrderStatus.UNCONFIRMED, OrderStatus.UNFULFILLED}


def order_cancel(*, order: Order, by_user: User | None = None, reason: str = "") -> Order:
    """Cancels an order not yet handed over or shipped: its stock is released, and any payment refunded
    (by the payments package, on commit). Canceling a canceled order changes nothing."""
    with transaction.atomic():
        order = _locked(order)
        if order.status == OrderStatus.CANCELED:
            return order
        if not can_cancel(by_user, order):
            raise PermissionDenied("You cannot cancel this order.")
        if order.status not in CANCELABLE:
            raise DomainError(
                f"Order #{order.number} is {order.get_status_display().lower()} and can no longer be canceled.",
                code=OrderErrorCode.CANNOT_CANCEL_ORDER,
                field="id",
            )
        if order.fulfillments.filter(status__in=[FulfillmentStatus.SHIPPED, FulfillmentStatus.FULFILLED]).exists():
            # A delivery stays unfulfilled until every part is sent: the parts already sent cannot be called back.
            raise DomainError(
                f"Part of order #{order.number} is already shipped: it can no longer be canceled; refund it instead.",
                code=OrderErrorCode.CANNOT_CANCEL_ORDER,
                field="id",
            )
        lines = FulfillmentLine.objects.filter(fulfillment__order=order, is_allocated=True)
        for line in lines:
            if line.stock_id:
                Stock.objects.filter(pk=line.stock_id).update(
                    quantity_allocated=F("quantity_allocated") - line.quantity
                )
        lines.update(is_allocated=False)
        order.fulfillments.update(status=FulfillmentStatus.CANCELED)
        order.status = OrderStatus.CANCELED
        order.canceled_at = timezone.now()
        order.save(update_fields=["status", "canceled_at", "updated_at"])
        _event(
            order,
            OrderEventType.EXPIRED if reason == "not_collected" else OrderEventType.CANCELED,
            by_user,
            reason=reason,
        )
        order_id = order.pk
        order_canceled.send(sender=Order, order_id=order_id, reason=reason)  # its receivers write outbox jobs
        _announce_stock(order)
    return order


def _announce_stock(order: Order) -> None:
    product_ids = sorted({pk for pk in order.lines.values_list("variant__product_id", flat=True) if pk is not None})
    stock_changed.send(sender=Product, product_ids=product_ids)


def order_payment_update(
    *,
    order: Order,
    authorized: int,
    charged: int,
    refunded: int,
    event: OrderEventType | None = None,
    amount: int = 0,
    by_user: User | None = None,
    locked: bool = False,
) -> Order:
    """The payments package reports the order's totals; an unconfirmed order paid in full is confirmed.

    `event` (with `amount` and `by_user`, e.g. the staff member who took the cash) goes into the history.

    `locked`: the caller's transaction already holds the order's row and `order` is that row as it is
    (an order it has just placed), so it is neither read again nor written when nothing changes.
    """
    if locked:
        return _payment_totals_apply(
            order,
            authorized=authorized,
            charged=charged,
            refunded=refunded,
            event=event,
            amount=amount,
            by_user=by_user,
            lazy=True,
        )
    with transaction.atomic():
        order = _locked(order)
        return _payment_totals_apply(
            order,
            authorized=authorized,
            charged=charged,
            refunded=refunded,
            event=event,
            amount=amount,
            by_user=by_user,
            lazy=False,
        )


def _payment_totals_apply(
    order: Order,
    *,
    authorized: int,
    charged: int,
    refunded: int,
    event: OrderEventType | None,
    amount: int,
    by_user: User | None,
    lazy: bool,
) -> Order:
    """Set the totals, charge status and status; `lazy`: save only when something changed."""
    before = (
        order.total_authorized_amount,
        order.total_charged_amount,
        order.total_refunded_amount,
        order.charge_status,
        order.status,
    )
    order.total_authorized_amount = authorized
    order.total_charged_amount = charged
    order.total_refunded_amount = refunded
    net = charged - refunded
    if net <= 0 and charged == 0:
        order.charge_status = ChargeStatus.NONE
    elif net < order.total_amount:
        order.charge_status = ChargeStatus.PARTIAL if net > 0 else ChargeStatus.NONE
    elif net == order.total_amount:
        order.charge_status = ChargeStatus.FULL
    else:
        order.charge_status = ChargeStatus.OVERCHARGED
    fields = ["total_authorized_amount", "total_charged_amount", "total_refunded_amount", "charge_status"]
    if event is not None:
        _event(order, event, by_user, amount=amount)
    confirmed = order.status == OrderStatus.UNCONFIRMED and net >= order.total_amount
    if confirmed:
        order.status = OrderStatus.UNFULFILLED
        fields.append("status")
        _event(order, OrderEventType.CONFIRMED, None)
    after = (authorized, charged, refunded, order.charge_status, order.status)
    if not lazy or before != after or event is not None:
        order.save(update_fields=[*fields, "updated_at"])
    if confirmed:
        order_confirmed.send(sender=Order, order_id=order.pk)  # its receivers write outbox jobs
    if refunded > before[2]:  # the ledger reverses the order's sales by what was given back, in this transaction
        order_refunded.send(sender=Order, order_id=order.pk, refunded_before=before[2], refunded_after=refunded)
    return order
