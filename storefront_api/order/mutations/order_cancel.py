from __future__ import annotations

from typing import Any

import graphene

from marketplace.orders import services
from storefront_api.order.mutations.base import OrderMutation, order_by_id, signed_in_user


class OrderCancel(OrderMutation):
    """Cancel an order not yet handed over or shipped: stock is released and payments refunded. Buyers may
    cancel their own orders until they are ready; staff their outlet's; operators any."""

    class Arguments:
        id = graphene.ID(required=True, description="ID of the order to cancel.")

    @classmethod
    def perform_mutation(cls, root: Any, info: graphene.ResolveInfo, id: str) -> OrderCancel:
        user = signed_in_user(info)
        return cls(order=services.order_cancel(order=order_by_id(id), by_user=user, reason="canceled"))
