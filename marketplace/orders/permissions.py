"""Who may see which orders and which of their lines.

Buyers see their own orders; outlet staff the orders collected at their outlet; producer staff the
orders holding their products, and only their own lines; operators everything. Trade staff
monitor certified sellers, not buyers' orders.

In the back office (the admin) orders are read-only: they change only through their services (the
storefront API, the consoles). Operators see every order, an outlet's staff those collected there.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from marketplace.accounts.models import Role, User
from marketplace.accounts.permissions import VIEW, Resource, is_operator, register_model, role_of
from marketplace.orders.models import Fulfillment, Order, OrderEvent, OrderLine


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
        return lines.filter(producer_id=user.producer_id) if user.producer_id is not None else lines.none()
    return lines


# --- the back office -----------------------------------------------------------------------------------------

ORDER = Resource("orders.order", grants={Role.OPERATOR: VIEW, Role.OUTLET_STAFF: VIEW})


def scope_orders(user: Any, qs: QuerySet[Order]) -> QuerySet[Order]:
    """Operators see every order; an outlet's staff the orders collected at their outlet."""
    role = role_of(user)
    if role == Role.OPERATOR:
        return qs
    if role == Role.OUTLET_STAFF and user.outlet_id:
        return qs.filter(collection_point_id=user.outlet_id)
    return qs.none()


def scope_order_parts(user: Any, qs: QuerySet[Any]) -> QuerySet[Any]:
    """Lines, fulfilments and events of the orders the user may see."""
    return qs.filter(order__in=scope_orders(user, Order.objects.all()))


register_model(Order, scope=scope_orders)
register_model(OrderLine, scope=scope_order_parts)
register_model(Fulfillment, scope=scope_order_parts)
register_model(OrderEvent, scope=scope_order_parts)
