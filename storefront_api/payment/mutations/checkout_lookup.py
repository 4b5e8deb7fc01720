"""Finding the checkout a payment mutation names, and reading its amount argument, the same way in each."""

from __future__ import annotations

import enum
from decimal import Decimal
from typing import Any

from marketplace.checkout.models import Checkout
from marketplace.checkout.selectors import checkout_by_token, checkout_open_to
from marketplace.core.errors import DomainError
from storefront_api.core.ids import resolve_global_uuid


def checkout_for_id(value: str, *, user: Any, not_found: enum.StrEnum, field: str = "id") -> Checkout:
    """The checkout of id `value`, if `user` (None for a guest) may change it (a signed-in buyer's is theirs)."""
    token = resolve_global_uuid(value, only_type="Checkout", field=field)
    checkout = checkout_by_token(token=token)
    if checkout is None or not checkout_open_to(checkout=checkout, user=user, change=True):
        raise DomainError(f"Couldn't resolve to a node: {value}", code=not_found, field=field)
    return checkout


def whole_amount(amount: Decimal | None, *, invalid: enum.StrEnum) -> int | None:
    """An amount in đồng, which have no minor unit: 150000 or 150000.0, never 1500.5."""
    if amount is None:
        return None
    if amount != amount.to_integral_value() or amount <= 0:
        raise DomainError("The amount must be a positive whole number of đồng.", code=invalid, field="amount")
    return int(amount)
