"""Saleor's payment enums and error codes."""

from __future__ import annotations

import enum

import graphene

from payments.error_codes import (
    PaymentGatewayInitializeErrorCode,
    TransactionInitializeErrorCode,
    TransactionProcessErrorCode,
)

# Saleor's members, in Saleor's order; the values are what payments.models.TransactionEventType stores.
_EVENT_TYPES = [
    "AUTHORIZATION_SUCCESS",
    "AUTHORIZATION_FAILURE",
    "AUTHORIZATION_ADJUSTMENT",
    "AUTHORIZATION_REQUEST",
    "AUTHORIZATION_ACTION_REQUIRED",
    "CHARGE_ACTION_REQUIRED",
    "CHARGE_SUCCESS",
    "CHARGE_FAILURE",
    "CHARGE_BACK",
    "CHARGE_REQUEST",
    "REFUND_SUCCESS",
    "REFUND_FAILURE",
    "REFUND_REVERSE",
    "REFUND_REQUEST",
    "CANCEL_SUCCESS",
    "CANCEL_FAILURE",
    "CANCEL_REQUEST",
    "INFO",
]
TransactionEventTypeEnum = graphene.Enum("TransactionEventTypeEnum", [(name, name.lower()) for name in _EVENT_TYPES])


class TransactionActionEnum(graphene.Enum):
    CHARGE = "CHARGE"
    REFUND = "REFUND"
    CANCEL = "CANCEL"


class TransactionFlowStrategy(enum.StrEnum):
    AUTHORIZATION = "AUTHORIZATION"
    CHARGE = "CHARGE"


class TransactionFlowStrategyEnum(graphene.Enum):
    class Meta:
        enum = TransactionFlowStrategy


PaymentGatewayInitializeErrorCodeEnum = graphene.Enum.from_enum(
    PaymentGatewayInitializeErrorCode, name="PaymentGatewayInitializeErrorCode"
)
PaymentGatewayConfigErrorCodeEnum = graphene.Enum.from_enum(
    PaymentGatewayInitializeErrorCode, name="PaymentGatewayConfigErrorCode"
)
TransactionInitializeErrorCodeEnum = graphene.Enum.from_enum(
    TransactionInitializeErrorCode, name="TransactionInitializeErrorCode"
)
TransactionProcessErrorCodeEnum = graphene.Enum.from_enum(
    TransactionProcessErrorCode, name="TransactionProcessErrorCode"
)
