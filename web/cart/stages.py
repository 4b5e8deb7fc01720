"""Where an order stands, in the buyer's words (the order page and "my orders")."""

from __future__ import annotations

from collections.abc import Callable

from django.utils.translation import gettext as _

from marketplace.orders.models import Order, OrderStatus, PaymentMethod

STAGES: dict[str, Callable[[bool], str]] = {  # by the value of `Order.status`
    OrderStatus.UNCONFIRMED: lambda pickup: _("Waiting for your card payment to be confirmed."),
    OrderStatus.UNFULFILLED: lambda pickup: (
        _("Placed. The outlet is preparing your order.")
        if pickup
        else _("Placed. Your order is being prepared for delivery.")
    ),
    OrderStatus.READY_FOR_PICKUP: lambda pickup: _("Ready for pickup. Bring your pickup code."),
    OrderStatus.SHIPPED: lambda pickup: _("On its way to you."),
    OrderStatus.PICKED_UP: lambda pickup: _("Picked up. Thank you!"),
    OrderStatus.DELIVERED: lambda pickup: _("Delivered. Thank you!"),
    OrderStatus.CANCELED: lambda pickup: _("Canceled."),
}


def order_stage(order: Order) -> str:
    if order.status == OrderStatus.UNCONFIRMED and order.payment_method == PaymentMethod.TRANSFER:
        return _("Waiting for your bank transfer. The goods are held for you until then.")
    return STAGES[order.status](order.is_pickup)
