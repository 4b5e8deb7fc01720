from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import Any

import graphene

from marketplace.checkout import services
from marketplace.checkout.error_codes import CheckoutErrorCode
from marketplace.checkout.models import Checkout, CheckoutLine
from marketplace.core.errors import DomainError
from storefront_api.checkout.mutations._lines import line_id
from storefront_api.checkout.mutations.base import CheckoutMutation, get_checkout, user_of
from storefront_api.checkout.mutations.inputs import CheckoutLineUpdateInput
from storefront_api.core.descriptions import DEPRECATED_INPUT_USE_ID
from storefront_api.core.errors import StorefrontError
from storefront_api.core.ids import resolve_global_id


class CheckoutLinesUpdate(CheckoutMutation):
    """Updates checkout lines: sets their quantities (0 removes a line) and accepts today's prices."""

    class Arguments:
        id = graphene.ID(description="The checkout's ID.")
        token = graphene.UUID(description=f"Checkout token.{DEPRECATED_INPUT_USE_ID}")
        lines = graphene.List(graphene.NonNull(CheckoutLineUpdateInput), required=True)

    @classmethod
    def perform_mutation(
        cls,
        root: Any,
        info: graphene.ResolveInfo,
        lines: list[Any],
        id: str | None = None,
        token: uuid.UUID | None = None,
    ) -> CheckoutMutation:
        checkout = get_checkout(user=user_of(info), id=id, token=token)
        quantities = _quantities_by_line(checkout, lines)
        return cls.done(services.checkout_lines_update(checkout=checkout, quantities=quantities), read_again=False)


def _quantities_by_line(checkout: Checkout, lines: Iterable[Any]) -> dict[str, int]:
    """The new quantity of each line (by the line's id), each line named by `lineId` or by `variantId`."""
    by_variant = {line.variant_id: line for line in checkout.lines.all()}
    quantities: dict[str, int] = {}
    for line in lines:
        if line.get("quantity") is None:
            raise DomainError("Provide the quantity.", code=CheckoutErrorCode.REQUIRED, field="quantity")
        if line.get("quantity") < 0:
            raise DomainError(
                "The quantity cannot be negative.", code=CheckoutErrorCode.ZERO_QUANTITY, field="quantity"
            )
        if line.get("line_id"):
            key = line_id(line["line_id"], field="lineId")
        elif line.get("variant_id"):
            key = str(_line_of_variant(by_variant, line["variant_id"]).pk)
        else:
            raise DomainError("Provide lineId or variantId.", code=CheckoutErrorCode.REQUIRED, field="lineId")
        quantities[key] = line["quantity"]
    return quantities


def _line_of_variant(by_variant: dict[int, CheckoutLine], variant_id: str) -> CheckoutLine:
    try:
        variant_pk = resolve_global_id(variant_id, only_type="ProductVariant", field="variantId")
    except StorefrontError as error:
        raise DomainError(error.message, code=CheckoutErrorCode.GRAPHQL_ERROR, field="variantId") from None
    if variant_pk not in by_variant:
        raise DomainError(
            "This variant is not in the checkout.",
            code=CheckoutErrorCode.NOT_FOUND,
            field="variantId",
            variants=(variant_pk,),
        )
    return by_variant[variant_pk]
