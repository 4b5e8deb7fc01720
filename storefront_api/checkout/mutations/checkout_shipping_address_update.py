from __future__ import annotations

import uuid
from typing import Any

import graphene

from marketplace.accounts.error_codes import AddressType
from marketplace.checkout import services
from marketplace.checkout.error_codes import CheckoutErrorCode
from storefront_api.account.types import AddressInput, address_input_to_values
from storefront_api.checkout.mutations.base import CheckoutMutation, get_checkout, user_of
from storefront_api.checkout.mutations.inputs import (
    SAVE_ADDRESS_DESCRIPTION,
    CheckoutAddressValidationRules,
    rules_from_input,
)
from storefront_api.core.descriptions import DEPRECATED_INPUT_USE_ID


class CheckoutShippingAddressUpdate(CheckoutMutation):
    """Update shipping address in the existing checkout (province and commune of today's units)."""

    class Arguments:
        id = graphene.ID(description="The checkout's ID.")
        token = graphene.UUID(description=f"Checkout token.{DEPRECATED_INPUT_USE_ID}")
        shipping_address = AddressInput(
            required=True, description="The mailing address to where the checkout will be shipped."
        )
        save_address = graphene.Boolean(default_value=True, description=SAVE_ADDRESS_DESCRIPTION)
        validation_rules = CheckoutAddressValidationRules(
            description="The rules for changing validation for received shipping address data."
        )

    @classmethod
    def perform_mutation(
        cls,
        root: Any,
        info: graphene.ResolveInfo,
        shipping_address: dict[str, Any],
        id: str | None = None,
        token: uuid.UUID | None = None,
        save_address: bool | None = True,
        validation_rules: dict[str, Any] | None = None,
    ) -> CheckoutMutation:
        checkout = get_checkout(user=user_of(info), id=id, token=token)
        values = address_input_to_values(
            shipping_address,
            code_enum=CheckoutErrorCode,
            address_type=AddressType.SHIPPING,
            rules=rules_from_input(validation_rules),
        )
        return cls.done(
            services.checkout_shipping_address_update(
                checkout=checkout, address_values=values, save_address=save_address is not False
            )
        )
