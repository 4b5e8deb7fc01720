from __future__ import annotations

from typing import Any

import graphene

from marketplace.accounts.services import account_confirm
from storefront_api.account.mutations.common import account_errors
from storefront_api.account.types import AccountError, UserType
from storefront_api.core.mutations import BaseMutation


class ConfirmAccount(BaseMutation):
    """Confirm user account with token sent by email during registration; the account can then sign in."""

    user = graphene.Field(UserType, description="An activated user account.")
    errors = account_errors()

    error_type = AccountError

    class Arguments:
        email = graphene.String(required=True, description="E-mail of the user performing account confirmation.")
        password = graphene.String(description="Accepted for Saleor clients; confirming needs only the token here.")
        token = graphene.String(required=True, description="A one-time token required to confirm the account.")

    @classmethod
    def perform_mutation(cls, root: Any, info: graphene.ResolveInfo, **data: Any) -> ConfirmAccount:
        return cls(user=account_confirm(email=data["email"], token=data["token"]))
