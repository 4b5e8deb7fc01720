"""Public metadata: a flat map of string keys and values that clients keep with an object (Saleor's `metadata`).

The rules of a write are here once, for every object that has metadata: keys are not blank, keys and values are
bounded, an object keeps a bounded number of keys (anyone holding a checkout's id may write its metadata).
Text is NFC-normalised on the way in.
"""

from __future__ import annotations

import enum
import unicodedata
from collections.abc import Mapping

from marketplace.core.errors import DomainError, ErrorDetail

KEY_MAX_LENGTH = 256
VALUE_MAX_LENGTH = 4096
MAX_KEYS = 100


class MetadataErrorCode(enum.StrEnum):
    """Saleor's `MetadataErrorCode`."""

    GRAPHQL_ERROR = "GRAPHQL_ERROR"
    INVALID = "INVALID"
    NOT_FOUND = "NOT_FOUND"
    REQUIRED = "REQUIRED"
    NOT_UPDATED = "NOT_UPDATED"


def metadata_merged(current: Mapping[str, str], items: Mapping[str, str], *, field: str = "input") -> dict[str, str]:
    """`current` with `items` set over it (other keys kept), or a `DomainError` with every reason."""
    cleaned = {unicodedata.normalize("NFC", key): unicodedata.normalize("NFC", value) for key, value in items.items()}
    details = []
    if any(not key.strip() for key in cleaned):
        details.append(ErrorDetail("Metadata key cannot be empty.", MetadataErrorCode.REQUIRED, field))
    if any(len(key) > KEY_MAX_LENGTH or len(value) > VALUE_MAX_LENGTH for key, value in cleaned.items()):
        details.append(
            ErrorDetail(
                f"Metadata keys are at most {KEY_MAX_LENGTH} characters long and values {VALUE_MAX_LENGTH}.",
                MetadataErrorCode.INVALID,
                field,
            )
        )
    merged = {**current, **cleaned}
    if len(merged) > MAX_KEYS:
        details.append(ErrorDetail(f"At most {MAX_KEYS} metadata keys are kept.", MetadataErrorCode.INVALID, field))
    if details:
        raise DomainError(details=details)
    return merged
