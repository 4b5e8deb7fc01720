"""Turning `CheckoutLineInput`s into the service's line requests."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from marketplace.checkout.error_codes import CheckoutErrorCode
from marketplace.checkout.services import LineRequest
from marketplace.core.errors import DomainError, ErrorDetail
from storefront_api.core.errors import StorefrontError
from storefront_api.core.ids import resolve_global_id, resolve_global_uuid


def line_requests(lines: Iterable[Any], *, field: str = "lines") -> list[LineRequest]:
    requests, details = [], []
    for line in lines:
        try:
            variant_id = resolve_global_id(line.variant_id, only_type="ProductVariant", field="variantId")
        except StorefrontError as error:
            details.append(ErrorDetail(error.message, CheckoutErrorCode.GRAPHQL_ERROR, "variantId"))
            continue
        requests.append(LineRequest(variant_id=variant_id, quantity=line.quantity))
    if details:
        raise DomainError(details=details)
    return requests


def line_id(value: str, *, field: str) -> str:
    try:
        return str(resolve_global_uuid(value, only_type="CheckoutLine", field=field))
    except StorefrontError as error:
        raise DomainError(error.message, code=CheckoutErrorCode.GRAPHQL_ERROR, field=field) from None
