from __future__ import annotations

from typing import Any

import graphene

from marketplace.checkout import services
from marketplace.core.errors import PermissionDenied
from storefront_api.checkout.mutations.base import CheckoutMutation, get_checkout, user_of


class CheckoutCustomerAttach(CheckoutMutation):
    """Sets the customer as the owner of the checkout (the logged-in user)."""

    class Arguments:
        id = graphene.ID(description="The checkout's ID.")

    @classmethod
    def perform_mutation(cls, root: Any, info: graphene.ResolveInfo, id: str | None = None) -> CheckoutMutation:
        user = user_of(info)
        if user is None:
            raise PermissionDenied("Log in to attach the checkout to your account.")
        return cls.done(services.checkout_customer_attach(checkout=get_checkout(user=user, id=id), user=user))
