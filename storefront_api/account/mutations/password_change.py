from __future__ import annotations

from typing import Any

import graphene

from marketplace.accounts.services import password_change
from storefront_api.account.mutations.common import account_errors, require_user
from storefront_api.account.types import AccountError, UserType
from storefront_api.core.mutations import BaseMutation


class PasswordChange(BaseMutation):
    """Change the password of the logged in user. Its tokens, the one of this request too, stop working: the
    client signs in again with the new password."""

    user = graphene.Field(UserType, description="A user instance with a new password.")
    errors = account_errors()

    error_type = AccountError

    class Arguments:
        old_password = graphene.String(description="Current user password.")
        new_password = graphene.String(required=True, description="New user password.")

    @classmethod
    def perform_mutation(cls, root: Any, info: graphene.ResolveInfo, **data: Any) -> PasswordChange:
        user = require_user(info)
        user = password_change(user=user, old_password=data.get("old_password"), new_password=data["new_password"])
        return cls(user=user)
