"""Saleor's payment error codes, plus PAYMENT_ERROR: the payment provider failed or could not be reached.

Saleor's storefront enums have no code for a provider outage (its payment apps answer in `data`); a shop
needs to tell "try again in a minute" from "this request is wrong", so PAYMENT_ERROR is added to each.
"""

import enum


class PaymentGatewayInitializeErrorCode(enum.StrEnum):
    GRAPHQL_ERROR = "GRAPHQL_ERROR"
    INVALID = "INVALID"
    NOT_FOUND = "NOT_FOUND"


class TransactionInitializeErrorCode(enum.StrEnum):
    GRAPHQL_ERROR = "GRAPHQL_ERROR"
    INVALID = "INVALID"
    NOT_FOUND = "NOT_FOUND"
    UNIQUE = "UNIQUE"
    CHECKOUT_COMPLETION_IN_PROGRESS = "CHECKOUT_COMPLETION_IN_PROGRESS"
    PAYMENT_ERROR = "PAYMENT_ERROR"


class TransactionProcessErrorCode(enum.StrEnum):
    GRAPHQL_ERROR = "GRAPHQL_ERROR"
    INVALID = "INVALID"
    NOT_FOUND = "NOT_FOUND"
    TRANSACTION_ALREADY_PROCESSED = "TRANSACTION_ALREADY_PROCESSED"
    MISSING_PAYMENT_APP_RELATION = "MISSING_PAYMENT_APP_RELATION"
    MISSING_PAYMENT_APP = "MISSING_PAYMENT_APP"
    CHECKOUT_COMPLETION_IN_PROGRESS = "CHECKOUT_COMPLETION_IN_PROGRESS"
    PAYMENT_ERROR = "PAYMENT_ERROR"


class TransferErrorCode(enum.StrEnum):
    """Refusals of the bank-transfer work: the suspense list, the differences, refunds owed, statement files."""

    INVALID = "INVALID"
    NOT_FOUND = "NOT_FOUND"
    REQUIRED = "REQUIRED"
    STATEMENT_INVALID = "STATEMENT_INVALID"
