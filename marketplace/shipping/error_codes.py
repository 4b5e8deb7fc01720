import enum


class DeliveryOptionsCalculateErrorCode(enum.StrEnum):
    """Saleor's `DeliveryOptionsCalculateErrorCode`: calculating a checkout's delivery options."""

    GRAPHQL_ERROR = "GRAPHQL_ERROR"
    INVALID = "INVALID"
    NOT_FOUND = "NOT_FOUND"
