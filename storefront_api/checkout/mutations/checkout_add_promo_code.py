from __future__ import annotations

import uuid
from typing import Any

import graphene

from marketplace.checkout import services
from storefront_api.checkout.mutations.base import CheckoutMutation, get_checkout, user_of
from storefront_api.core.descriptions import DEPRECATED_INPUT_USE_ID


class CheckoutAddPromoCode(CheckoutMutation):
    """Adds a voucher to the checkout by its code (case is ignored); it replaces any voucher already there.
    Refusals as Saleor's: INVALID for an unknown code, VOUCHER_NOT_APPLICABLE when the voucher does not apply to
    this checkout today. We sell no gift cards, so a code is always a voucher code."""

    class Arguments:
        id = graphene.ID(description="The checkout's ID.")
        token = graphene.UUID(description=f"Checkout token.{DEPRECATED_INPUT_USE_ID}")
        checkout_id = graphene.ID(description=f"The ID of the checkout.{DEPRECATED_INPUT_USE_ID}")
        promo_code = graphene.String(required=True, description="Gift card code or voucher code.")

    @classmethod
    def perform_mutation(
        cls,
        root: Any,
        info: graphene.ResolveInfo,
        promo_code: str,
        id: str | None = None,
        token: uuid.UUID | None = None,
        checkout_id: str | None = None,
    ) -> CheckoutMutation:
        checkout = get_checkout(user=user_of(info), id=id or checkout_id, token=token)
        return cls.done(services.checkout_add_promo_code(checkout=checkout, promo_code=promo_code))
