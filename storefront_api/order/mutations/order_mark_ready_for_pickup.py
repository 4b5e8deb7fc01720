from __future__ import annotations

from typing import Any

import graphene

from marketplace.orders import services
from storefront_api.order.mutations.base import OrderMutation, order_by_id, signed_in_user


class OrderMarkReadyForPickup(OrderMutation):
    """Outlet staff: the order is put aside. The buyer gets an e-mail with the pickup code and the last day."""

    class Arguments:
        id = graphene.ID(required=True, description="ID of the order.")

    @classmethod
    def perform_mutation(cls, root: Any, info: graphene.ResolveInfo, id: str) -> OrderMarkReadyForPickup:
        user = signed_in_user(info)
        return cls(order=services.order_mark_ready_for_pickup(order=order_by_id(id), by_user=user))
