from __future__ import annotations

from typing import Any

import graphene

from payments.error_codes import TransactionInitializeErrorCode
from payments.services import transaction_initialize
from storefront_api.account.middleware import info_user
from storefront_api.core.mutations import BaseMutation, error_type
from storefront_api.payment.enums import (
    TransactionFlowStrategy,
    TransactionFlowStrategyEnum,
    TransactionInitializeErrorCodeEnum,
)
from storefront_api.payment.mutations.checkout_lookup import checkout_for_id, whole_amount
from storefront_api.payment.mutations.payment_gateway_initialize import PaymentGatewayToInitialize
from storefront_api.payment.scalars import JSON, PositiveDecimal
from storefront_api.payment.types import TransactionEvent, TransactionItem

TransactionInitializeError = error_type("TransactionInitializeError", TransactionInitializeErrorCodeEnum)


class TransactionInitialize(BaseMutation):
    """Initializes a transaction for the checkout. Stripe: a PaymentIntent for the checkout's total in đồng,
    whose client secret comes back in `data.paymentIntent.client_secret`; cash: the promise to pay at pickup or
    on delivery."""

    transaction = graphene.Field(TransactionItem, description="The initialized transaction.")
    transaction_event = graphene.Field(
        TransactionEvent, description="The event created for the initialized transaction."
    )
    data = JSON(description="The JSON data required to finalize the payment.")
    errors = graphene.NonNull(graphene.List(graphene.NonNull(TransactionInitializeError)))
    error_type = TransactionInitializeError

    class Arguments:
        id = graphene.ID(required=True, description="The ID of the checkout.")
        payment_gateway = PaymentGatewayToInitialize(
            required=True, description="Payment gateway used to initialize the transaction."
        )
        amount = PositiveDecimal(
            description="The amount requested; by default what the checkout's payments do not cover yet."
        )
        action = TransactionFlowStrategyEnum(description="CHARGE (default) or AUTHORIZATION (capture later).")
        idempotency_key = graphene.String(description="The same key returns the same transaction.")
        customer_ip_address = graphene.String(description="The customer's IP address (not used).")

    @classmethod
    def perform_mutation(cls, root: Any, info: graphene.ResolveInfo, **data: Any) -> TransactionInitialize:
        checkout = checkout_for_id(data["id"], user=info_user(info), not_found=TransactionInitializeErrorCode.NOT_FOUND)
        amount = whole_amount(data.get("amount"), invalid=TransactionInitializeErrorCode.INVALID)
        gateway = data["payment_gateway"]
        user = info.context.user if getattr(info.context, "user", None) and info.context.user.is_authenticated else None
        action = data.get("action")
        item, event, result = transaction_initialize(
            checkout=checkout,
            gateway_id=gateway["id"],
            amount=amount,
            idempotency_key=data.get("idempotency_key"),
            data=gateway.get("data"),
            user=user,
            action="authorization" if action == TransactionFlowStrategy.AUTHORIZATION else "charge",
        )
        return cls(transaction=item, transaction_event=event, data=result, errors=[])
