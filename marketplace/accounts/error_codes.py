import enum


class AccountErrorCode(enum.StrEnum):
    """Saleor's account error codes, those this shop raises and those Saleor's clients test for.

    `LOGIN_ATTEMPT_DELAYED` refuses signing in (and password reset requests) after too many tries for an account
    or from a client address (`marketplace.accounts.throttling`).
    """

    ACCOUNT_NOT_CONFIRMED = "ACCOUNT_NOT_CONFIRMED"
    CHANNEL_INACTIVE = "CHANNEL_INACTIVE"
    DELETE_STAFF_ACCOUNT = "DELETE_STAFF_ACCOUNT"
    GRAPHQL_ERROR = "GRAPHQL_ERROR"
    INACTIVE = "INACTIVE"
    INVALID = "INVALID"
    INVALID_CREDENTIALS = "INVALID_CREDENTIALS"
    INVALID_PASSWORD = "INVALID_PASSWORD"
    JWT_DECODE_ERROR = "JWT_DECODE_ERROR"
    JWT_INVALID_TOKEN = "JWT_INVALID_TOKEN"
    JWT_MISSING_TOKEN = "JWT_MISSING_TOKEN"
    JWT_SIGNATURE_EXPIRED = "JWT_SIGNATURE_EXPIRED"
    LOGIN_ATTEMPT_DELAYED = "LOGIN_ATTEMPT_DELAYED"
    MISSING_CHANNEL_SLUG = "MISSING_CHANNEL_SLUG"
    NOT_FOUND = "NOT_FOUND"
    PASSWORD_ENTIRELY_NUMERIC = "PASSWORD_ENTIRELY_NUMERIC"
    PASSWORD_TOO_COMMON = "PASSWORD_TOO_COMMON"
    PASSWORD_TOO_SHORT = "PASSWORD_TOO_SHORT"
    PASSWORD_TOO_SIMILAR = "PASSWORD_TOO_SIMILAR"
    REQUIRED = "REQUIRED"
    UNIQUE = "UNIQUE"


class AddressType(enum.StrEnum):
    """Which default address: Saleor's `AddressTypeEnum` values."""

    BILLING = "billing"
    SHIPPING = "shipping"
