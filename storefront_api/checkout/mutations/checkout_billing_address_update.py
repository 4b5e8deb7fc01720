from __future__ import annotations

from typing import Any

import graphene

from marketplace.accounts.error_codes import AddressType
from marketplace.checkout import services
from marketplace.checkout.error_codes import CheckoutErrorCode
from storefront_api.account.types import AddressInput, address_input_to_values
from storefront_api.checkout.mutations.base import CheckoutMutation, get_checkout


class CheckoutBillingAddressUpdate(CheckoutMutation):
    """Update billing address in the existing checkout."""

    class Arguments:
        id = graphene.ID(description="The checkout's ID.")
        billing_address = AddressInput(required=True, description="The billing address of the checkout.")

    @classmethod
    def perform_mutation(
        cls, root: Any, info: graphene.ResolveInfo, billing_address: dict[str, Any], id: str | None = None
    ) -> CheckoutMutation:
        checkout = get_checkout(id=id)
        values = address_input_to_values(
            billing_address, code_enum=CheckoutErrorCode, address_type=AddressType.BILLING, require_street=False
        )
        return cls.done(services.checkout_billing_address_update(checkout=checkout, address_values=values))
