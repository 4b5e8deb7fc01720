import enum


class TradeErrorCode(enum.StrEnum):
    """Why the trade console refuses a change."""

    INVALID = "INVALID"
    REQUIRED = "REQUIRED"
    ALREADY_HANDLED = "ALREADY_HANDLED"
