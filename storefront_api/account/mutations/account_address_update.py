from __future__ import annotations

from typing import Any

import graphene
from django.forms.models import model_to_dict

from marketplace.accounts.address_validation import INPUT_FIELDS
from marketplace.accounts.services import address_update
from storefront_api.account.mutations.common import account_errors, address_by_id, require_user
from storefront_api.account.types import AccountError, AddressInput, UserType, address_input_to_values
from storefront_api.account.types import AddressType as AddressNode
from storefront_api.core.mutations import BaseMutation


class AccountAddressUpdate(BaseMutation):
    """Updates an address of the signed-in user; fields left out of `input` keep their values."""

    user = graphene.Field(UserType, description="A user object for which the address was edited.")
    address = graphene.Field(AddressNode)
    errors = account_errors()

    error_type = AccountError

    class Arguments:
        id = graphene.ID(required=True, description="ID of the address to update.")
        input = AddressInput(required=True, description="Fields required to update the address.")

    @classmethod
    def perform_mutation(cls, root: Any, info: graphene.ResolveInfo, **data: Any) -> AccountAddressUpdate:
        user = require_user(info)
        address = address_by_id(data["id"])
        current = model_to_dict(address, fields=INPUT_FIELDS)
        given = {key: value for key, value in dict(data["input"]).items() if value is not None}
        values = address_input_to_values({**current, **given})
        address = address_update(user=user, address=address, values=values)
        return cls(user=user, address=address)
