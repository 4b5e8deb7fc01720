import enum


class PortalErrorCode(enum.StrEnum):
    """Why a producer's change to its own products is refused (Saleor's product error codes where they fit)."""

    INVALID = "INVALID"
    NOT_FOUND = "NOT_FOUND"
    BELOW_ALLOCATED = "BELOW_ALLOCATED"
