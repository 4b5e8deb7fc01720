"""JSON Web Tokens as Saleor issues them (HS256), and the only module that imports PyJWT.

Access tokens authenticate requests (`Authorization: Bearer …`), refresh tokens get new access tokens.
Both carry the user's `jwt_token_key`: a new password gives the user a new key, and every token issued
before stops working.
"""

from __future__ import annotations

import secrets
from datetime import UTC, datetime, timedelta
from typing import Any

import jwt
from django.conf import settings

from marketplace.accounts.models import User
from marketplace.accounts.selectors import user_by_pk
from storefront_api.core.errors import StorefrontError
from storefront_api.core.ids import global_id, resolve_global_id

ALGORITHM = "HS256"
ACCESS = "access"
REFRESH = "refresh"
OWNER = "ocop"


class TokenError(Exception):
    """A token that does not authenticate anyone; `code` is the name Saleor's API gives the error."""

    code = "InvalidTokenError"


class TokenExpired(TokenError):
    code = "ExpiredSignatureError"


class TokenUndecodable(TokenError):
    """Not a token signed by us at all (garbled, or signed with another key)."""


class TokenRevoked(TokenError):
    """Well signed, but of the wrong type, for an unknown or inactive user, or from before a password change."""


def _secret() -> str:
    return getattr(settings, "JWT_SECRET", "") or settings.SECRET_KEY


def _encode(user: User, token_type: str, ttl_seconds: int, issuer: str, extra: dict[str, Any]) -> str:
    now = datetime.now(tz=UTC)
    payload = {
        "iat": now,
        "exp": now + timedelta(seconds=ttl_seconds),
        "iss": issuer,
        "owner": OWNER,
        "token": user.jwt_token_key,
        "email": user.email,
        "type": token_type,
        "user_id": global_id("User", user.pk),
        "is_staff": user.is_staff,
        **extra,
    }
    return jwt.encode(payload, _secret(), algorithm=ALGORITHM)


def create_access_token(user: User, *, issuer: str) -> str:
    return _encode(user, ACCESS, settings.JWT_ACCESS_TTL_SECONDS, issuer, {})


def create_refresh_token(user: User, *, issuer: str, csrf_token: str) -> str:
    return _encode(user, REFRESH, settings.JWT_REFRESH_TTL_SECONDS, issuer, {"csrfToken": csrf_token})


def new_csrf_token() -> str:
    return secrets.token_urlsafe(32)


def decode(token: str) -> dict[str, Any]:
    """The payload of a token we signed that has not expired; TokenExpired or TokenUndecodable otherwise."""
    try:
        return jwt.decode(token, _secret(), algorithms=[ALGORITHM], options={"require": ["exp", "iat"]})
    except jwt.ExpiredSignatureError:
        raise TokenExpired("Signature has expired") from None
    except jwt.InvalidTokenError:
        raise TokenUndecodable("Error decoding signature") from None


def user_from_payload(payload: dict[str, Any], *, token_type: str) -> User:
    """The active user a decoded token of `token_type` stands for; TokenRevoked if none (any more)."""
    if payload.get("type") != token_type:
        raise TokenRevoked("Invalid token")
    try:
        pk = resolve_global_id(str(payload.get("user_id", "")), only_type="User", field="token")
    except StorefrontError:
        raise TokenRevoked("Invalid token") from None
    user = user_by_pk(pk)
    if user is None or not user.is_active or not payload.get("token") or payload["token"] != user.jwt_token_key:
        raise TokenRevoked("Invalid token. Create new one by using tokenCreate mutation.")
    return user


def user_from_token(token: str, *, token_type: str) -> tuple[User, dict[str, Any]]:
    payload = decode(token)
    return user_from_payload(payload, token_type=token_type), payload
