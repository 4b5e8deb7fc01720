"""How services refuse: a `DomainError` carrying one or more `{field, code, message}` details.

Codes come from each domain's `error_codes.py` enum; the storefront API turns the details into
Saleor's `errors { field code message }` without interpreting them.
"""

from __future__ import annotations

import dataclasses
import enum


@dataclasses.dataclass(frozen=True)
class ErrorDetail:
    message: str
    code: enum.StrEnum
    field: str | None = None
    lines: tuple[str, ...] = ()  # ids (pks) of the checkout/order lines at fault
    variants: tuple[int, ...] = ()  # pks of the variants at fault
    extra: dict[str, str] = dataclasses.field(default_factory=dict)


class DomainError(Exception):
    def __init__(
        self,
        message: str = "",
        *,
        code: enum.StrEnum | None = None,
        field: str | None = None,
        lines: tuple[str, ...] = (),
        variants: tuple[int, ...] = (),
        details: list[ErrorDetail] | None = None,
        extra: dict[str, str] | None = None,
    ) -> None:
        if details is None:
            if code is None:
                raise TypeError("DomainError needs a code or details")
            details = [ErrorDetail(message, code, field, tuple(lines), tuple(variants), dict(extra or {}))]
        super().__init__("; ".join(detail.message for detail in details))
        self.details = details


class PermissionDenied(Exception):
    """The user may not do this; the API answers with a GraphQL error, as Saleor does."""
