"""Who is asking: the storefront API knows its users by their access token, never by a session cookie.

`JWTAuthenticationMiddleware` sets `request.user` of `/graphql/` requests from `Authorization: Bearer <access
token>`, lazily (one query, and only when something looks at the user). There a request without a token is
anonymous even if it carries an admin session: the endpoint is exempt from CSRF, so a session must not act
there. Elsewhere a token is ignored: the pages, consoles and back office know their users by the session.

A token that does not authenticate (expired, garbled, revoked) leaves the request anonymous, and resolvers
that ask for the user through `request_user` answer as Saleor does: a GraphQL error whose
`extensions.exception.code` is `ExpiredSignatureError` or `InvalidTokenError`.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from typing import cast

import graphene
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from graphql import GraphQLError

from marketplace.accounts.models import User
from storefront_api.account import jwt

_ERROR_ATTR = "_storefront_token_error"


@lru_cache(maxsize=1)
def _api_path() -> str:
    return reverse("graphql")


def bearer_token(request: HttpRequest) -> str | None:
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    return token.strip()


def _user_from_token(request: HttpRequest, token: str) -> User | AnonymousUser:
    try:
        user, _ = jwt.user_from_token(token, token_type=jwt.ACCESS)
    except jwt.TokenError as error:
        setattr(request, _ERROR_ATTR, error)
        return AnonymousUser()
    return user


class JWTAuthenticationMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path_info != _api_path():
            # The pages, the consoles and the back office know their users by the session alone: a token
            # (taken from a storefront, say) opens none of them.
            return self.get_response(request)
        token = bearer_token(request)
        if token is not None:
            # A proxy that finds the user when first used, as Django's AuthenticationMiddleware sets it.
            request.user = cast(User | AnonymousUser, SimpleLazyObject(lambda: _user_from_token(request, token)))
        else:
            request.user = AnonymousUser()
        return self.get_response(request)


def request_user(request: HttpRequest) -> User | None:
    """The signed-in user of a storefront request, None when anonymous; a GraphQL error for a bad token."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        error = getattr(request, _ERROR_ATTR, None)
        if error is not None:
            raise GraphQLError(str(error), extensions={"exception": {"code": error.code}})
        return None
    return user


def info_user(info: graphene.ResolveInfo) -> User | None:
    return request_user(info.context)
