from __future__ import annotations

from typing import Any

import graphene

from marketplace.accounts.error_codes import AddressType
from marketplace.accounts.services import account_update
from storefront_api.account.mutations.common import account_errors, language_value, require_user
from storefront_api.account.types import AccountError, AddressInput, UserType, address_input_to_values
from storefront_api.core.ids import resolve_global_id
from storefront_api.core.metadata import MetadataInput, metadata_input_to_dict
from storefront_api.core.mutations import BaseMutation, permission_denied
from storefront_api.core.types import LanguageCodeEnum


class AccountInput(graphene.InputObjectType):
    first_name = graphene.String(description="Given name.")
    last_name = graphene.String(description="Family name.")
    language_code = graphene.Argument(LanguageCodeEnum, description="User language code.")
    default_billing_address = AddressInput(description="Billing address of the customer.")
    default_shipping_address = AddressInput(description="Shipping address of the customer.")
    metadata = graphene.List(
        graphene.NonNull(MetadataInput),
        description="Fields required to update the user metadata. Can be read by any API client authorized to "
        "read the object it's attached to.",
    )

    class Meta:
        description = "Fields required to update the user."


class AccountUpdate(BaseMutation):
    """Updates the account of the logged-in user. A default address given is saved among the user's addresses
    and becomes the default of its kind; metadata keys given are set, the others kept."""

    user = graphene.Field(UserType)
    errors = account_errors()

    error_type = AccountError

    class Arguments:
        customer_id = graphene.ID(description="ID of a customer to update; only the signed-in user's own here.")
        input = AccountInput(required=True, description="Fields required to update the account of the logged-in user.")

    @classmethod
    def perform_mutation(cls, root: Any, info: graphene.ResolveInfo, **data: Any) -> AccountUpdate:
        user = require_user(info)
        customer_id = data.get("customer_id")
        if customer_id and resolve_global_id(customer_id, only_type="User", field="customerId") != user.pk:
            raise permission_denied()
        given = data["input"]
        billing = given.get("default_billing_address")
        shipping = given.get("default_shipping_address")
        metadata = given.get("metadata")
        user = account_update(
            user=user,
            first_name=given.get("first_name"),
            last_name=given.get("last_name"),
            language_code=language_value(given.get("language_code")),
            default_billing_address=None
            if billing is None
            else address_input_to_values(billing, address_type=AddressType.BILLING),
            default_shipping_address=None
            if shipping is None
            else address_input_to_values(shipping, address_type=AddressType.SHIPPING),
            metadata=None if metadata is None else metadata_input_to_dict(metadata),
        )
        return cls(user=user)
