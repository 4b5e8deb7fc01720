from __future__ import annotations

from typing import Any

import graphene

from marketplace.accounts.address_validation import ValidationRules
from storefront_api.account.types import AddressInput
from storefront_api.core.types import LanguageCodeEnum


class CheckoutLineInput(graphene.InputObjectType):
    quantity = graphene.Int(required=True, description="The number of items purchased.")
    variant_id = graphene.ID(required=True, description="ID of the product variant.")
    force_new_line = graphene.Boolean(
        default_value=False, description="Accepted for Saleor clients; a variant always has one line here."
    )


class CheckoutLineUpdateInput(graphene.InputObjectType):
    variant_id = graphene.ID(description="ID of the product variant (or use lineId).")
    quantity = graphene.Int(description="The number of items purchased. 0 removes the line.")
    line_id = graphene.ID(description="ID of the line.")


class CheckoutCreateInput(graphene.InputObjectType):
    channel = graphene.String(description="Slug of a channel in which to create a checkout.")
    lines = graphene.List(graphene.NonNull(CheckoutLineInput), description="A list of checkout lines.")
    email = graphene.String(description="The customer's email address.")
    shipping_address = graphene.Field(
        AddressInput, description="The mailing address to where the checkout will be shipped."
    )
    billing_address = graphene.Field(AddressInput, description="Billing address of the customer.")
    language_code = graphene.Field(LanguageCodeEnum, description="Checkout language code.")


class CheckoutAddressValidationRules(graphene.InputObjectType):
    check_required_fields = graphene.Boolean(
        default_value=True,
        description="Determines if an error should be raised when the provided address doesn't have all the required "
        "fields (use the `addressValidationRules` query to fetch them). Off, a partial address is kept; completing "
        "the checkout still needs a whole one.",
    )
    check_fields_format = graphene.Boolean(
        default_value=True,
        description="Determines if an error should be raised when the provided address doesn't match the expected "
        "format (a Vietnamese phone number, postal code, province and commune). Off, what is not recognised is kept "
        "as typed.",
    )
    enable_fields_normalization = graphene.Boolean(
        default_value=True,
        description="Determines if the province and commune are stored under their official names and the phone as "
        "+84….",
    )


def rules_from_input(value: dict[str, Any] | None) -> ValidationRules:
    """The domain's rules for a `CheckoutAddressValidationRules` input (all on when it is not given)."""
    value = value or {}
    return ValidationRules(
        check_required=value.get("check_required_fields", True) is not False,
        check_format=value.get("check_fields_format", True) is not False,
        normalize=value.get("enable_fields_normalization", True) is not False,
    )


SAVE_ADDRESS_DESCRIPTION = (
    "Indicates whether the address should be saved to the signed-in user's address book upon checkout completion. "
    "If not provided, the default behavior is to save the address."
)
