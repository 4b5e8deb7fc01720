from __future__ import annotations

from typing import Any

import graphene

from marketplace.accounts.services import account_delete
from storefront_api.account.mutations.common import account_errors, require_user
from storefront_api.account.types import AccountError, UserType
from storefront_api.core.mutations import BaseMutation


class AccountDelete(BaseMutation):
    """Remove user account: the signed-in user's, with the token e-mailed by `accountRequestDeletion`. Orders
    placed stay, with the names and addresses written on them."""

    user = graphene.Field(UserType)
    errors = account_errors()

    error_type = AccountError

    class Arguments:
        token = graphene.String(
            required=True,
            description="A one-time token required to remove account. Sent by email using AccountRequestDeletion "
            "mutation.",
        )

    @classmethod
    def perform_mutation(cls, root: Any, info: graphene.ResolveInfo, **data: Any) -> AccountDelete:
        user = require_user(info)
        pk = user.pk
        account_delete(user=user, token=data["token"])
        user.pk = pk  # answered with the id it had, as Saleor does
        return cls(user=user)
