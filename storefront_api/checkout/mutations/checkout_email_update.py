from __future__ import annotations

from typing import Any

import graphene

from marketplace.checkout import services
from storefront_api.checkout.mutations.base import CheckoutMutation, get_checkout, user_of


class CheckoutEmailUpdate(CheckoutMutation):
    """Updates email address in the existing checkout object."""

    class Arguments:
        id = graphene.ID(description="The checkout's ID.")
        email = graphene.String(required=True, description="email.")

    @classmethod
    def perform_mutation(
        cls, root: Any, info: graphene.ResolveInfo, email: str, id: str | None = None
    ) -> CheckoutMutation:
        return cls.done(services.checkout_email_update(checkout=get_checkout(user=user_of(info), id=id), email=email))
