"""Errors the Saleor way: a message, plus a machine-readable `code` from an enum (and the `field` at fault)."""

from __future__ import annotations

import enum

from graphql import GraphQLError


class StorefrontErrorCode(enum.StrEnum):
    """Codes of the errors the storefront API raises, named as Saleor names them."""

    GRAPHQL_ERROR = "GRAPHQL_ERROR"
    INVALID = "INVALID"
    NOT_FOUND = "NOT_FOUND"
    REQUIRED = "REQUIRED"
    PERMISSION_DENIED = "PERMISSION_DENIED"


class StorefrontError(GraphQLError):
    """A GraphQL error carrying `{field, code}` in its extensions, e.g. for a wrong id or an unknown channel."""

    def __init__(self, message: str, *, code: StorefrontErrorCode, field: str | None = None) -> None:
        super().__init__(message, extensions={"exception": {"code": code.value}, "field": field})
        self.code = code
        self.field = field
