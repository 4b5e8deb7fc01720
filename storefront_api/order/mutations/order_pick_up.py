from __future__ import annotations

from typing import Any

import graphene

from marketplace.accounts.models import User
from marketplace.core.errors import DomainError
from marketplace.orders.error_codes import OrderErrorCode
from marketplace.outlets.models import Outlet
from storefront_api.core.errors import StorefrontError
from storefront_api.core.ids import resolve_global_id
from storefront_api.order.mutations.base import OrderMutation, signed_in_user


class OrderPickUp(OrderMutation):
    """Outlet staff at the counter: the buyer's pickup code (typed or scanned) releases the order. A cash
    order must be paid in full (`cashAmount`). A wrong code, another outlet's order or a second handover is
    refused."""

    class Arguments:
        pickup_code = graphene.String(required=True, description="The 6-character code, or the QR code's text.")
        outlet_id = graphene.ID(description="The counter's outlet (`Warehouse` id); defaults to the staff's outlet.")
        cash_amount = graphene.Int(description="Cash taken at the counter, in đồng, for orders paid at pickup.")

    @classmethod
    def perform_mutation(
        cls,
        root: Any,
        info: graphene.ResolveInfo,
        pickup_code: str,
        outlet_id: str | None = None,
        cash_amount: int | None = None,
    ) -> OrderPickUp:
        user = signed_in_user(info)
        outlet = _counter_outlet(user, outlet_id)
        from payments.services import order_hand_over_with_cash

        order = order_hand_over_with_cash(outlet=outlet, code=pickup_code, by_user=user, cash_amount=cash_amount)
        return cls(order=order)


def _counter_outlet(user: User, outlet_id: str | None) -> Outlet:
    """The outlet `outlet_id` names, or else the staff's own outlet."""
    outlet_pk: int | None
    if outlet_id:
        try:
            outlet_pk = resolve_global_id(outlet_id, only_type="Warehouse", field="outletId")
        except StorefrontError as error:
            raise DomainError(error.message, code=OrderErrorCode.GRAPHQL_ERROR, field="outletId") from None
    else:
        outlet_pk = user.outlet_id
    outlet = Outlet.objects.filter(pk=outlet_pk).first() if outlet_pk else None
    if outlet is None:
        raise DomainError("Say which outlet's counter this is.", code=OrderErrorCode.REQUIRED, field="outletId")
    return outlet
