from __future__ import annotations

import dataclasses
from typing import Any

import graphene

from marketplace.checkout.selectors import available_shipping_methods
from marketplace.core.errors import DomainError, ErrorDetail
from marketplace.shipping.error_codes import DeliveryOptionsCalculateErrorCode
from storefront_api.checkout.mutations.base import get_checkout, user_of
from storefront_api.checkout.types import CheckoutView, Delivery
from storefront_api.core.mutations import BaseMutation, error_type

DeliveryOptionsCalculateError = error_type(
    "DeliveryOptionsCalculateError",
    graphene.Enum.from_enum(DeliveryOptionsCalculateErrorCode, name="DeliveryOptionsCalculateErrorCode"),
)


class DeliveryOptionsCalculate(BaseMutation):
    """Calculates available delivery options for a checkout: the channel's flat-rate shipping methods that serve
    its address and order (none before the shipping address is set). Pickup at an outlet is offered by
    `Checkout.availableCollectionPoints`."""

    deliveries = graphene.List(
        graphene.NonNull(Delivery), required=True, description="List of the available deliveries."
    )
    errors = graphene.List(graphene.NonNull(DeliveryOptionsCalculateError), required=True)

    error_type = DeliveryOptionsCalculateError

    class Arguments:
        id = graphene.ID(required=True, description="The ID of the checkout.")

    @classmethod
    def perform_mutation(cls, root: Any, info: graphene.ResolveInfo, id: str) -> DeliveryOptionsCalculate:
        try:
            checkout = get_checkout(user=user_of(info), id=id)
        except DomainError as error:
            raise DomainError(details=[_as_delivery_error(detail) for detail in error.details]) from None
        return cls(deliveries=available_shipping_methods(info=CheckoutView(checkout).info), errors=[])

    @classmethod
    def failure(cls, info: graphene.ResolveInfo, details: list[ErrorDetail]) -> BaseMutation:
        payload = super().failure(info, details)
        payload.deliveries = []  # never null, as in Saleor
        return payload


def _as_delivery_error(detail: ErrorDetail) -> ErrorDetail:
    """A refusal to find the checkout under this mutation's codes (the same names; INVALID for the others)."""
    codes = DeliveryOptionsCalculateErrorCode.__members__
    return dataclasses.replace(detail, code=codes.get(detail.code.name, DeliveryOptionsCalculateErrorCode.INVALID))
