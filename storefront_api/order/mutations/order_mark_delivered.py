from __future__ import annotations

from typing import Any

import graphene

from marketplace.orders import services
from storefront_api.order.mutations.base import OrderMutation, order_by_id, signed_in_user


class OrderMarkDelivered(OrderMutation):
    """Operators: the courier delivered the order (taking `cashAmount` for cash on delivery)."""

    class Arguments:
        id = graphene.ID(required=True, description="ID of the order.")
        cash_amount = graphene.Int(description="Cash collected on delivery, in đồng.")

    @classmethod
    def perform_mutation(
        cls, root: Any, info: graphene.ResolveInfo, id: str, cash_amount: int | None = None
    ) -> OrderMarkDelivered:
        user = signed_in_user(info)
        order = order_by_id(id)
        if cash_amount is not None:
            from payments.services import order_record_cash_on_delivery

            order = order_record_cash_on_delivery(order=order, by_user=user, cash_amount=cash_amount)
        return cls(order=services.order_mark_delivered(order=order, by_user=user))
