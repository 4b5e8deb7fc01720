from __future__ import annotations

from typing import Any

import graphene

from marketplace.accounts.throttling import user_log_in_throttled
from marketplace.core.throttling import client_address
from storefront_api.account import jwt
from storefront_api.account.mutations.common import account_errors, issuer
from storefront_api.account.types import AccountError, UserType
from storefront_api.core.mutations import BaseMutation


class TokenCreate(BaseMutation):
    """Create JWT tokens: an access token for `Authorization: Bearer …` and a refresh token.

    Too many wrong passwords for the account or from the client address suspend signing in for a while
    (`LOGIN_ATTEMPT_DELAYED`), as Saleor does."""

    token = graphene.String(description="JWT token, required to authenticate.")
    refresh_token = graphene.String(description="JWT refresh token, required to re-generate access token.")
    csrf_token = graphene.String(description="CSRF token required to re-generate access token.")
    user = graphene.Field(UserType, description="A user instance.")
    errors = account_errors()

    error_type = AccountError

    class Meta:
        name = "CreateToken"

    class Arguments:
        email = graphene.String(required=True, description="Email of a user.")
        password = graphene.String(required=True, description="Password of a user.")
        audience = graphene.String(description="Accepted for Saleor clients; not included in the tokens.")

    @classmethod
    def perform_mutation(cls, root: Any, info: graphene.ResolveInfo, **data: Any) -> TokenCreate:
        user = user_log_in_throttled(
            email=data["email"], password=data["password"], client_address=client_address(info.context)
        )
        csrf_token = jwt.new_csrf_token()
        return cls(
            token=jwt.create_access_token(user, issuer=issuer(info)),
            refresh_token=jwt.create_refresh_token(user, issuer=issuer(info), csrf_token=csrf_token),
            csrf_token=csrf_token,
            user=user,
        )
