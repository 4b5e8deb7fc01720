from __future__ import annotations

import uuid
from typing import Any

import graphene

from marketplace.checkout import services
from marketplace.checkout.error_codes import CheckoutErrorCode
from marketplace.core.errors import DomainError
from storefront_api.checkout.mutations._lines import line_id as line_pk
from storefront_api.checkout.mutations.base import CheckoutMutation, get_checkout, user_of
from storefront_api.core.descriptions import DEPRECATED_INPUT_USE_ID


class CheckoutLineDelete(CheckoutMutation):
    """Deletes a CheckoutLine (Saleor's older one-line form of `checkoutLinesDelete`, which Saleor's own storefront
    still declares)."""

    class Arguments:
        id = graphene.ID(description="The checkout's ID.")
        line_id = graphene.ID(description="ID of the checkout line to delete.")
        token = graphene.UUID(description=f"Checkout token.{DEPRECATED_INPUT_USE_ID}")
        checkout_id = graphene.ID(description=f"The ID of the checkout.{DEPRECATED_INPUT_USE_ID}")

    @classmethod
    def perform_mutation(
        cls,
        root: Any,
        info: graphene.ResolveInfo,
        id: str | None = None,
        line_id: str | None = None,
        token: uuid.UUID | None = None,
        checkout_id: str | None = None,
    ) -> CheckoutMutation:
        checkout = get_checkout(user=user_of(info), id=id or checkout_id, token=token)
        if not line_id:
            raise DomainError("Provide the line to delete.", code=CheckoutErrorCode.REQUIRED, field="lineId")
        ids = [line_pk(line_id, field="lineId")]
        checkout = services.checkout_lines_delete(checkout=checkout, line_ids=ids, field="lineId")
        return cls.done(checkout, read_again=False)
