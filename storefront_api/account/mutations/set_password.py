from __future__ import annotations

from typing import Any

import graphene

from marketplace.accounts.services import password_reset_set
from storefront_api.account import jwt
from storefront_api.account.mutations.common import account_errors, issuer
from storefront_api.account.types import AccountError, UserType
from storefront_api.core.mutations import BaseMutation


class SetPassword(BaseMutation):
    """Sets the user's password from the token sent by email using the RequestPasswordReset mutation, and signs
    the user in (tokens as `tokenCreate` gives them). Earlier tokens of the user stop working."""

    token = graphene.String(description="JWT token, required to authenticate.")
    refresh_token = graphene.String(description="JWT refresh token, required to re-generate access token.")
    csrf_token = graphene.String(description="CSRF token required to re-generate access token.")
    user = graphene.Field(UserType, description="A user instance.")
    errors = account_errors()

    error_type = AccountError

    class Arguments:
        token = graphene.String(required=True, description="A one-time token required to set the password.")
        email = graphene.String(required=True, description="Email of a user.")
        password = graphene.String(required=True, description="Password of a user.")

    @classmethod
    def perform_mutation(cls, root: Any, info: graphene.ResolveInfo, **data: Any) -> SetPassword:
        user = password_reset_set(email=data["email"], token=data["token"], password=data["password"])
        csrf_token = jwt.new_csrf_token()
        return cls(
            token=jwt.create_access_token(user, issuer=issuer(info)),
            refresh_token=jwt.create_refresh_token(user, issuer=issuer(info), csrf_token=csrf_token),
            csrf_token=csrf_token,
            user=user,
        )
