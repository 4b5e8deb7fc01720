from __future__ import annotations

import uuid
from typing import Any

import graphene

from marketplace.checkout import services
from storefront_api.checkout.mutations._lines import line_requests
from storefront_api.checkout.mutations.base import CheckoutMutation, get_checkout, user_of
from storefront_api.checkout.mutations.inputs import CheckoutLineInput
from storefront_api.core.descriptions import DEPRECATED_INPUT_USE_ID


class CheckoutLinesAdd(CheckoutMutation):
    """Adds a checkout line to the existing checkout. If the line of this variant is in the checkout, its
    quantity is increased."""

    class Arguments:
        id = graphene.ID(description="The checkout's ID.")
        token = graphene.UUID(description=f"Checkout token.{DEPRECATED_INPUT_USE_ID}")
        lines = graphene.List(graphene.NonNull(CheckoutLineInput), required=True)

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
        return cls.done(services.checkout_lines_add(checkout=checkout, lines=line_requests(lines)), read_again=False)
