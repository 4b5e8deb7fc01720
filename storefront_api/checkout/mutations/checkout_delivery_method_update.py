from __future__ import annotations

import uuid
from typing import Any

import graphene

from marketplace.checkout import services
from marketplace.checkout.error_codes import CheckoutErrorCode
from marketplace.core.errors import DomainError
from storefront_api.checkout.mutations.base import CheckoutMutation, get_checkout, user_of
from storefront_api.checkout.types import CheckoutView
from storefront_api.core.descriptions import DEPRECATED_INPUT_USE_ID
from storefront_api.core.errors import StorefrontError
from storefront_api.core.ids import resolve_global_id


class CheckoutDeliveryMethodUpdate(CheckoutMutation):
    """Updates the delivery method (a shipping method, or an outlet as collection point) of the checkout."""

    class Arguments:
        id = graphene.ID(description="The checkout's ID.")
        token = graphene.UUID(description=f"Checkout token.{DEPRECATED_INPUT_USE_ID}")
        delivery_method_id = graphene.ID(
            description="Delivery Method ID (`Warehouse` ID for a pickup, `CheckoutDelivery` ID from "
            "`deliveryOptionsCalculate` or `ShippingMethod` ID for home delivery)."
        )

    @classmethod
    def perform_mutation(
        cls,
        root: Any,
        info: graphene.ResolveInfo,
        id: str | None = None,
        token: uuid.UUID | None = None,
        delivery_method_id: str | None = None,
    ) -> CheckoutMutation:
        checkout = get_checkout(user=user_of(info), id=id, token=token)
        view = CheckoutView(checkout)  # its lines and stock, read once: choosing a delivery leaves them as they are
        if not delivery_method_id:
            raise DomainError(
                "Provide a delivery method id.", code=CheckoutErrorCode.REQUIRED, field="deliveryMethodId"
            )
        try:
            outlet_id = resolve_global_id(delivery_method_id, only_type="Warehouse", field="deliveryMethodId")
        except StorefrontError:
            pass  # not an outlet: a shipping method
        else:
            services.checkout_delivery_method_update(checkout=checkout, outlet_id=outlet_id, info=view.info)
            return cls(checkout=view, errors=[])
        method_id = _shipping_method_id(delivery_method_id)
        services.checkout_delivery_method_update(checkout=checkout, shipping_method_id=method_id, info=view.info)
        return cls(checkout=view, errors=[])


def _shipping_method_id(value: str) -> int:
    """The shipping method a `CheckoutDelivery` id (`Delivery.id`, from `deliveryOptionsCalculate`) or a
    `ShippingMethod` id names."""
    for type_name in ("CheckoutDelivery", "ShippingMethod"):
        try:
            return resolve_global_id(value, only_type=type_name, field="deliveryMethodId")
        except StorefrontError:
            continue
    raise DomainError(
        "ID does not belong to Warehouse, ShippingMethod, or CheckoutDelivery.",
        code=CheckoutErrorCode.GRAPHQL_ERROR,
        field="deliveryMethodId",
    )
