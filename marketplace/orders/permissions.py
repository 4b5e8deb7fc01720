"""Who may see which orders and which of their lines.

Buyers see their own orders; outlet staff the orders collected at their outlet; producer staff the
orders holding their products, and only their own lines; operators everything. Trade staff
monitor certified sellers, not buyers' orders.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from marketplace.accounts.models import Role, User
from marketplace.accounts.permissions import is_operator
from marketplace.orders.models import Order, OrderLine


def visible_orders(user: User | None) -> QuerySet[Order]:
    orders = Order.objects.all()
    if user is None or not user.is_authenticated:
        return orders.none()
    if is_operator(user):
        return orders
    if user.role == Role.OUTLET_STAFF:
        return orders.filter(collection_point_id=user.outlet_id)
    if user.role == Role.PRODUCER_STAFF:
        return orders.filter(Q(lines__producer_id=user.producer_id)).distinct()
    return orders.filter(user=user)


def visible_lines(user: User | None, order: Order) -> QuerySet[OrderLine]:
    """The lines of `order` this user may see: a producer's staff only their producer's."""
    lines = order.lines.all()
    if user is not None and user.is_authenticated and user.role == Role.PRODUCER_STAFF:
        return lines.filter(producer_id=user.producer_id)
    return lines
