from __future__ import annotations

from typing import Any

import graphene

from marketplace.accounts.error_codes import AddressType
from marketplace.accounts.services import address_create
from storefront_api.account.enums import AddressTypeEnum
from storefront_api.account.mutations.common import account_errors, require_user
from storefront_api.account.types import AccountError, AddressInput, UserType, address_input_to_values
from storefront_api.account.types import AddressType as AddressNode
from storefront_api.core.mutations import BaseMutation


class AccountAddressCreate(BaseMutation):
    """Create a new address for the customer. Requires a signed-in user."""

    user = graphene.Field(UserType, description="A user instance for which the address was created.")
    address = graphene.Field(AddressNode)
    errors = account_errors()

    error_type = AccountError

    class Arguments:
        input = AddressInput(required=True, description="Fields required to create address.")
        type = AddressTypeEnum(
            description="A type of address. If provided, the new address will be automatically assigned as the "
            "customer's default address of that type."
        )

    @classmethod
    def perform_mutation(cls, root: Any, info: graphene.ResolveInfo, **data: Any) -> AccountAddressCreate:
        user = require_user(info)
        raw_type = data.get("type")
        address_type = AddressType(getattr(raw_type, "value", raw_type)) if raw_type else None
        values = address_input_to_values(data["input"], address_type=address_type)
        address = address_create(user=user, values=values, address_type=address_type)
        return cls(user=user, address=address)
