from __future__ import annotations

import uuid
from typing import Any

import graphene

from marketplace.checkout import services
from marketplace.core.errors import PermissionDenied
from storefront_api.checkout.mutations.base import CheckoutMutation, find_checkout, user_of
from storefront_api.core.descriptions import DEPRECATED_INPUT_USE_ID


class CheckoutCustomerDetach(CheckoutMutation):
    """Removes the user assigned as the owner of the checkout (the signed-in user, who must own it)."""

    class Arguments:
        id = graphene.ID(description="The checkout's ID.")
        token = graphene.UUID(description=f"Checkout token.{DEPRECATED_INPUT_USE_ID}")
        checkout_id = graphene.ID(description=f"The ID of the checkout.{DEPRECATED_INPUT_USE_ID}")

    @classmethod
    def perform_mutation(
        cls,
        root: Any,
        info: graphene.ResolveInfo,
        id: str | None = None,
        token: uuid.UUID | None = None,
        checkout_id: str | None = None,
    ) -> CheckoutMutation:
        user = user_of(info)
        if user is None:
            raise PermissionDenied("Log in to detach the checkout from your account.")
        checkout = find_checkout(id=id or checkout_id, token=token)
        return cls.done(services.checkout_customer_detach(checkout=checkout, user=user))
