"""The back office's rules for stock: a producer's staff keep their variants' stock, an outlet's staff count theirs."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from marketplace.accounts.models import Role
from marketplace.accounts.permissions import ALL, VIEW_CHANGE, Resource, register_model, role_of
from marketplace.inventory.models import Stock

STOCK = Resource(
    "inventory.stock",
    grants={Role.OPERATOR: ALL, Role.PRODUCER_STAFF: ALL, Role.OUTLET_STAFF: VIEW_CHANGE},
    editable_by={
        Role.OPERATOR: frozenset({"variant", "outlet", "quantity"}),
        Role.PRODUCER_STAFF: frozenset({"variant", "outlet", "quantity"}),
        Role.OUTLET_STAFF: frozenset({"quantity"}),
    },
    fixed_after_add=frozenset({"variant", "outlet"}),
)


def scope_stock(user: Any, qs: QuerySet[Stock]) -> QuerySet[Stock]:
    role = role_of(user)
    if role == Role.OPERATOR:
        return qs
    if role == Role.PRODUCER_STAFF and user.producer_id:
        return qs.filter(variant__product__producer_id=user.producer_id)
    if role == Role.OUTLET_STAFF and user.outlet_id:
        return qs.filter(outlet_id=user.outlet_id)
    return qs.none()


register_model(Stock, scope=scope_stock)
