"""The idempotency key a console's form carries: drawn when the page is drawn, so the same form sent twice (a double
tap, a dropped connection retried) is one sale, receipt, count or transfer. The services keep it unique per outlet."""

from __future__ import annotations

from enum import StrEnum

from marketplace.core.errors import DomainError

MAX_KEY = 64  # the model fields that keep the key are this long


def form_key(idempotency_key: str, *, form: str, code: StrEnum) -> str:
    """The key stripped, or a refusal (`code`, field idempotencyKey) naming `form` when it is missing or too long."""
    key = (idempotency_key or "").strip()
    if not key or len(key) > MAX_KEY:
        raise DomainError(
            f"The {form}'s key is missing (1 to {MAX_KEY} characters).", code=code, field="idempotencyKey"
        )
    return key
