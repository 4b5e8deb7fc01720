"""What the console calls the orders' statuses and history events, in the staff's language."""

from __future__ import annotations

from typing import Any

from django.utils.functional import Promise
from django.utils.translation import get_language, pgettext_lazy

from marketplace.orders.models import OrderEventType, OrderStatus

# Keyed by value: the orders' fields hold plain strings.
STATUS_LABELS: dict[str, Promise] = {
    OrderStatus.UNCONFIRMED: pgettext_lazy("order status", "Awaiting payment"),
    OrderStatus.UNFULFILLED: pgettext_lazy("order status", "To prepare"),
    OrderStatus.READY_FOR_PICKUP: pgettext_lazy("order status", "Ready for pickup"),
    OrderStatus.SHIPPED: pgettext_lazy("order status", "Shipped"),
    OrderStatus.PICKED_UP: pgettext_lazy("order status", "Handed over"),
    OrderStatus.DELIVERED: pgettext_lazy("order status", "Delivered"),
    OrderStatus.CANCELED: pgettext_lazy("order status", "Canceled"),
}

EVENT_LABELS: dict[str, Promise] = {
    OrderEventType.PLACED: pgettext_lazy("order history", "Order placed"),
    OrderEventType.CONFIRMED: pgettext_lazy("order history", "Order confirmed"),
    OrderEventType.PAYMENT_AUTHORIZED: pgettext_lazy("order history", "Card payment authorized"),
    OrderEventType.PAYMENT_CHARGED: pgettext_lazy("order history", "Card payment received"),
    OrderEventType.PAYMENT_FAILED: pgettext_lazy("order history", "Payment failed"),
    OrderEventType.PAYMENT_REFUNDED: pgettext_lazy("order history", "Payment refunded"),
    OrderEventType.CASH_RECEIVED: pgettext_lazy("order history", "Cash received"),
    OrderEventType.READY_FOR_PICKUP: pgettext_lazy("order history", "Marked ready for pickup"),
    OrderEventType.SHIPPED: pgettext_lazy("order history", "Shipped"),
    OrderEventType.PICKED_UP: pgettext_lazy("order history", "Handed over to the buyer"),
    OrderEventType.DELIVERED: pgettext_lazy("order history", "Delivered"),
    OrderEventType.CANCELED: pgettext_lazy("order history", "Canceled"),
    OrderEventType.EXPIRED: pgettext_lazy("order history", "Canceled: not collected in time"),
    OrderEventType.EMAIL_SENT: pgettext_lazy("order history", "E-mail sent to the buyer"),
    OrderEventType.PICKUP_REFUSED: pgettext_lazy("order history", "Pickup code refused"),
    OrderEventType.NOTE: pgettext_lazy("order history", "Note"),
}


def status_label(status: str) -> str:
    return str(STATUS_LABELS.get(status, status))


def event_label(event_type: str) -> str:
    return str(EVENT_LABELS.get(event_type, event_type))


def _english() -> bool:
    return (get_language() or "vi").startswith("en")


def line_name(line: Any) -> str:
    """An order line's product name as sold, in English when the page is and the product has one."""
    return line.product_name_en if _english() and line.product_name_en else line.product_name


def outlet_name(outlet: Any) -> str:
    """An outlet's name, in English when the page is and the outlet has one."""
    if outlet is None:
        return ""
    return outlet.name_en if _english() and outlet.name_en else outlet.name


def product_name(product: Any) -> str:
    """A product's name, in English when the page is and the product has one."""
    return product.name_en if _english() and product.name_en else product.name


def buyer_name(order: Any) -> str:
    """The buyer's name from the order's billing address or account; empty when neither has one."""
    if order.billing_address_id and order.billing_address.full_name:
        return order.billing_address.full_name
    return order.user.get_full_name() if order.user_id else ""
