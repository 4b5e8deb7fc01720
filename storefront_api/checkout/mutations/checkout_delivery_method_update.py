from __future__ import annotations

from typing import Any

import graphene

from marketplace.checkout import services
from marketplace.checkout.error_codes import CheckoutErrorCode
from marketplace.core.errors import DomainError
from storefront_api.checkout.mutations.base import CheckoutMutation, get_checkout
from storefront_api.core.errors import StorefrontError
from storefront_api.core.ids import resolve_global_id


class CheckoutDeliveryMethodUpdate(CheckoutMutation):
    """Updates the delivery method (a shipping method, or an outlet as collection point) of the checkout."""

    class Arguments:
        id = graphene.ID(description="The checkout's ID.")
        delivery_method_id = graphene.ID(description="Delivery Method ID (`Warehouse` ID or `ShippingMethod` ID).")

    @classmethod
    def perform_mutation(
        cls, root: Any, info: graphene.ResolveInfo, id: str | None = None, delivery_method_id: str | None = None
    ) -> CheckoutMutation:
        checkout = get_checkout(id=id)
        if not delivery_method_id:
            raise DomainError(
                "Provide a delivery method id.", code=CheckoutErrorCode.REQUIRED, field="deliveryMethodId"
            )
        try:
            outlet_id = resolve_global_id(delivery_method_id, only_type="Warehouse", field="deliveryMethodId")
        except StorefrontError:
            pass  # not an outlet: a shipping method
        else:
            return cls.done(services.checkout_delivery_method_update(checkout=checkout, outlet_id=outlet_id))
        try:
            method_id = resolve_global_id(delivery_method_id, only_type="ShippingMethod", field="deliveryMethodId")
        except StorefrontError as error:
            raise DomainError(
                "Must receive a Warehouse or a ShippingMethod id.",
                code=CheckoutErrorCode.GRAPHQL_ERROR,
                field="deliveryMethodId",
            ) from error
        return cls.done(services.checkout_delivery_method_update(checkout=checkout, shipping_method_id=method_id))
