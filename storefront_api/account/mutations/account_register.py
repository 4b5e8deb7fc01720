from __future__ import annotations

from typing import Any

import graphene

from marketplace.accounts.models import User
from marketplace.accounts.services import user_register
from storefront_api.account.mutations.common import account_errors
from storefront_api.account.types import AccountError, UserType
from storefront_api.core.mutations import BaseMutation
from storefront_api.core.types import LanguageCodeEnum


class AccountRegisterInput(graphene.InputObjectType):
    first_name = graphene.String(description="Given name.")
    last_name = graphene.String(description="Family name.")
    language_code = graphene.Argument(LanguageCodeEnum, description="User language code.")
    email = graphene.String(required=True, description="The email address of the user.")
    password = graphene.String(required=True, description="Password.")
    redirect_url = graphene.String(description="Accepted for Saleor clients; accounts need no confirmation here.")
    channel = graphene.String(description="Accepted for Saleor clients; the shop has one channel.")

    class Meta:
        description = "Fields required to create a user."


class AccountRegister(BaseMutation):
    """Register a new consumer account; it can sign in at once (no confirmation)."""

    requires_confirmation = graphene.Boolean(description="Informs whether users need to confirm their email address.")
    user = graphene.Field(UserType)
    errors = account_errors()

    error_type = AccountError

    class Arguments:
        input = AccountRegisterInput(required=True, description="Fields required to create a user.")

    @classmethod
    def perform_mutation(cls, root: Any, info: graphene.ResolveInfo, **data: Any) -> AccountRegister:
        given = data["input"]
        language = given.get("language_code")
        user: User = user_register(
            email=given["email"],
            password=given["password"],
            first_name=given.get("first_name") or "",
            last_name=given.get("last_name") or "",
            language_code=str(getattr(language, "value", language) or "vi").split("-")[0],
        )
        return cls(user=user, requires_confirmation=False)
