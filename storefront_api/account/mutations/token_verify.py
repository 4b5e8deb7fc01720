from __future__ import annotations

from typing import Any

import graphene
from graphene.types.generic import GenericScalar

from marketplace.accounts.error_codes import AccountErrorCode
from marketplace.core.errors import DomainError, ErrorDetail
from storefront_api.account import jwt
from storefront_api.account.mutations.common import account_errors
from storefront_api.account.types import AccountError, UserType
from storefront_api.core.mutations import BaseMutation


class TokenVerify(BaseMutation):
    """Verify an access token: whether it authenticates, whom, and its claims."""

    user = graphene.Field(UserType, description="User assigned to token.")
    is_valid = graphene.Boolean(required=True, description="Determine if token is valid or not.")
    payload = GenericScalar(description="JWT payload.")
    errors = account_errors()

    error_type = AccountError

    class Meta:
        name = "VerifyToken"

    class Arguments:
        token = graphene.String(required=True, description="JWT token to validate.")

    @classmethod
    def perform_mutation(cls, root: Any, info: graphene.ResolveInfo, **data: Any) -> TokenVerify:
        try:
            user, payload = jwt.user_from_token(data["token"], token_type=jwt.ACCESS)
        except jwt.TokenExpired as error:
            raise DomainError(str(error), code=AccountErrorCode.JWT_SIGNATURE_EXPIRED, field="token") from None
        except jwt.TokenUndecodable as error:
            raise DomainError(str(error), code=AccountErrorCode.JWT_DECODE_ERROR, field="token") from None
        except jwt.TokenError:
            raise DomainError("Invalid token", code=AccountErrorCode.JWT_INVALID_TOKEN, field="token") from None
        return cls(user=user, is_valid=True, payload=payload)

    @classmethod
    def failure(cls, info: graphene.ResolveInfo, details: list[ErrorDetail]) -> TokenVerify:
        result = super().failure(info, details)
        result.is_valid = False
        return result
