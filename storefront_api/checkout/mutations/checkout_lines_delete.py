from __future__ import annotations

import uuid
from typing import Any

import graphene

from marketplace.checkout import services
from storefront_api.checkout.mutations._lines import line_id
from storefront_api.checkout.mutations.base import CheckoutMutation, get_checkout, user_of
from storefront_api.core.descriptions import DEPRECATED_INPUT_USE_ID


class CheckoutLinesDelete(CheckoutMutation):
    """Deletes checkout lines."""

    class Arguments:
        id = graphene.ID(description="The checkout's ID.")
        token = graphene.UUID(description=f"Checkout token.{DEPRECATED_INPUT_USE_ID}")
        lines_ids = graphene.List(graphene.NonNull(graphene.ID), required=True, description="A list of checkout lines.")

    @classmethod
    def perform_mutation(
        cls,
        root: Any,
        info: graphene.ResolveInfo,
        lines_ids: list[str],
        id: str | None = None,
        token: uuid.UUID | None = None,
    ) -> CheckoutMutation:
        checkout = get_checkout(user=user_of(info), id=id, token=token)
        ids = [line_id(value, field="linesIds") for value in lines_ids]
        return cls.done(services.checkout_lines_delete(checkout=checkout, line_ids=ids), read_again=False)
