from __future__ import annotations

import uuid
from typing import Any

import graphene

from marketplace.checkout import services
from storefront_api.checkout.mutations.base import CheckoutMutation, get_checkout


class CheckoutAddPromoCode(CheckoutMutation):
    """Adds a voucher to the checkout by its code (case is ignored); it replaces any voucher already there.
    Refusals as Saleor's: INVALID for an unknown code, VOUCHER_NOT_APPLICABLE when the voucher does not apply to
    this checkout today. We sell no gift cards, so a code is always a voucher code."""

    class Arguments:
        id = graphene.ID(description="The checkout's ID.")
        token = graphene.UUID(description="Checkout token.", deprecation_reason="Use `id` instead.")
        checkout_id = graphene.ID(description="The ID of the checkout.", deprecation_reason="Use `id` instead.")
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
        checkout = get_checkout(id=id or checkout_id, token=token)
        return cls.done(services.checkout_add_promo_code(checkout=checkout, promo_code=promo_code))
