"""Relay global ids, exactly as Saleor's: base64 of "<TypeName>:<pk>"."""

from __future__ import annotations

import binascii
import uuid

from graphql_relay import from_global_id, to_global_id

from storefront_api.core.errors import StorefrontError, StorefrontErrorCode

MAX_PK = 2**63 - 1  # PostgreSQL bigint


def global_id(type_name: str, pk: int | str | uuid.UUID) -> str:
    return to_global_id(type_name, str(pk))


def resolve_global_id(value: str, *, only_type: str, field: str) -> int:
    """The primary key behind `value`, which must be an id of `only_type`; a StorefrontError otherwise."""
    try:
        type_name, raw_pk = from_global_id(value)
        pk = int(raw_pk)
    except (binascii.Error, UnicodeDecodeError, ValueError, TypeError):
        raise StorefrontError(
            f"Couldn't resolve id: {value}.", code=StorefrontErrorCode.GRAPHQL_ERROR, field=field
        ) from None
    if type_name != only_type:
        raise StorefrontError(f"Must receive a {only_type} id.", code=StorefrontErrorCode.GRAPHQL_ERROR, field=field)
    if not 0 < pk <= MAX_PK:
        raise StorefrontError(f"Couldn't resolve id: {value}.", code=StorefrontErrorCode.GRAPHQL_ERROR, field=field)
    return pk


def resolve_global_uuid(value: str, *, only_type: str, field: str) -> uuid.UUID:
    """The UUID behind `value` (checkouts, their lines, orders, transactions), which must be an id of `only_type`."""
    try:
        type_name, raw_pk = from_global_id(value)
        pk = uuid.UUID(raw_pk)
    except (binascii.Error, UnicodeDecodeError, ValueError, TypeError, AttributeError):
        raise StorefrontError(
            f"Couldn't resolve id: {value}.", code=StorefrontErrorCode.GRAPHQL_ERROR, field=field
        ) from None
    if type_name != only_type:
        raise StorefrontError(f"Must receive a {only_type} id.", code=StorefrontErrorCode.GRAPHQL_ERROR, field=field)
    return pk
