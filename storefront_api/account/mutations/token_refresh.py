from __future__ import annotations

from typing import Any

import graphene

from marketplace.accounts.error_codes import AccountErrorCode
from marketplace.core.errors import DomainError
from storefront_api.account import jwt
from storefront_api.account.mutations.common import account_errors, issuer
from storefront_api.account.types import AccountError, UserType
from storefront_api.core.mutations import BaseMutation


class TokenRefresh(BaseMutation):
    """Refresh JWT token: a new access token for a refresh token."""

    token = graphene.String(description="JWT token, required to authenticate.")
    user = graphene.Field(UserType, description="A user instance.")
    errors = account_errors()

    error_type = AccountError

    class Meta:
        name = "RefreshToken"

    class Arguments:
        csrf_token = graphene.String(description="Accepted for Saleor clients; refresh tokens are never cookies here.")
        refresh_token = graphene.String(description="Refresh token.")

    @classmethod
    def perform_mutation(cls, root: Any, info: graphene.ResolveInfo, **data: Any) -> TokenRefresh:
        refresh_token = data.get("refresh_token")
        if not refresh_token:
            raise DomainError("Missing refreshToken", code=AccountErrorCode.JWT_MISSING_TOKEN, field="refreshToken")
        try:
            user, _ = jwt.user_from_token(refresh_token, token_type=jwt.REFRESH)
        except jwt.TokenExpired as error:
            raise DomainError(str(error), code=AccountErrorCode.JWT_SIGNATURE_EXPIRED, field="refreshToken") from None
        except jwt.TokenError:
            raise DomainError("Invalid token", code=AccountErrorCode.JWT_INVALID_TOKEN, field="refreshToken") from None
        return cls(token=jwt.create_access_token(user, issuer=issuer(info)), user=user)
