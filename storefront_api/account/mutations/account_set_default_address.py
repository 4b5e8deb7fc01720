from __future__ import annotations

from typing import Any

import graphene

from marketplace.accounts.error_codes import AddressType
from marketplace.accounts.services import user_set_default_address
from storefront_api.account.enums import AddressTypeEnum
from storefront_api.account.mutations.common import account_errors, address_by_id, require_user
from storefront_api.account.types import AccountError, UserType
from storefront_api.core.mutations import BaseMutation


class AccountSetDefaultAddress(BaseMutation):
    """Sets a default address for the signed-in user."""

    user = graphene.Field(UserType, description="An updated user instance.")
    errors = account_errors()

    error_type = AccountError

    class Arguments:
        id = graphene.ID(required=True, description="ID of the address to set as default.")
        type = AddressTypeEnum(required=True, description="The type of address.")

    @classmethod
    def perform_mutation(cls, root: Any, info: graphene.ResolveInfo, **data: Any) -> AccountSetDefaultAddress:
        user = require_user(info)
        address = address_by_id(data["id"])
        address_type = AddressType(getattr(data["type"], "value", data["type"]))
        user = user_set_default_address(user=user, address=address, address_type=address_type)
        return cls(user=user)
