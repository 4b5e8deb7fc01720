from __future__ import annotations

from typing import Any

import graphene

from marketplace.accounts.error_codes import AddressType
from marketplace.checkout import services
from marketplace.checkout.error_codes import CheckoutErrorCode
from storefront_api.account.types import AddressInput, address_input_to_values
from storefront_api.checkout.mutations.base import CheckoutMutation, get_checkout


class CheckoutShippingAddressUpdate(CheckoutMutation):
    """Update shipping address in the existing checkout (province and commune of today's units)."""

    class Arguments:
        id = graphene.ID(description="The checkout's ID.")
        shipping_address = AddressInput(
            required=True, description="The mailing address to where the checkout will be shipped."
        )

    @classmethod
    def perform_mutation(
        cls, root: Any, info: graphene.ResolveInfo, shipping_address: dict[str, Any], id: str | None = None
    ) -> CheckoutMutation:
        checkout = get_checkout(id=id)
        values = address_input_to_values(
            shipping_address, code_enum=CheckoutErrorCode, address_type=AddressType.SHIPPING
        )
        return cls.done(services.checkout_shipping_address_update(checkout=checkout, address_values=values))
