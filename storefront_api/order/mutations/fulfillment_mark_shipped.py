from __future__ import annotations

from typing import Any

import graphene

from marketplace.core.errors import DomainError
from marketplace.orders import services
from marketplace.orders.error_codes import OrderErrorCode
from marketplace.orders.models import Fulfillment
from storefront_api.core.errors import StorefrontError
from storefront_api.core.ids import resolve_global_id
from storefront_api.order.mutations.base import OrderMutation, signed_in_user


class FulfillmentMarkShipped(OrderMutation):
    """Producer staff: their part of a delivery order has been sent."""

    class Arguments:
        id = graphene.ID(required=True, description="ID of the fulfilment.")
        tracking_number = graphene.String(description="The courier's tracking number.")

    @classmethod
    def perform_mutation(
        cls, root: Any, info: graphene.ResolveInfo, id: str, tracking_number: str | None = ""
    ) -> FulfillmentMarkShipped:
        user = signed_in_user(info)
        order = services.fulfillment_mark_shipped(
            fulfillment=_fulfillment_by_id(id), by_user=user, tracking_number=tracking_number or ""
        )
        return cls(order=order)


def _fulfillment_by_id(id: str) -> Fulfillment:
    try:
        pk = resolve_global_id(id, only_type="Fulfillment", field="id")
    except StorefrontError as error:
        raise DomainError(error.message, code=OrderErrorCode.GRAPHQL_ERROR, field="id") from None
    fulfillment = Fulfillment.objects.select_related("order").filter(pk=pk).first()
    if fulfillment is None:
        raise DomainError(f"Couldn't resolve to a node: {id}", code=OrderErrorCode.NOT_FOUND, field="id")
    return fulfillment
