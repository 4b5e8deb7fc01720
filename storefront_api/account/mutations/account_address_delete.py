from __future__ import annotations

from typing import Any

import graphene

from marketplace.accounts.services import address_delete
from storefront_api.account.mutations.common import account_errors, address_by_id, require_user
from storefront_api.account.types import AccountError, UserType
from storefront_api.account.types import AddressType as AddressNode
from storefront_api.core.mutations import BaseMutation


class AccountAddressDelete(BaseMutation):
    """Delete an address of the signed-in user."""

    user = graphene.Field(UserType, description="A user instance for which the address was deleted.")
    address = graphene.Field(AddressNode)
    errors = account_errors()

    error_type = AccountError

    class Arguments:
        id = graphene.ID(required=True, description="ID of the address to delete.")

    @classmethod
    def perform_mutation(cls, root: Any, info: graphene.ResolveInfo, **data: Any) -> AccountAddressDelete:
        user = require_user(info)
        address = address_by_id(data["id"])
        pk = address.pk
        address_delete(user=user, address=address)
        address.pk = pk  # answered with the id it had, as Saleor does
        return cls(user=user, address=address)
