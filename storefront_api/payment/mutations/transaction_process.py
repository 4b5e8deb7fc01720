from __future__ import annotations

import uuid
from typing import Any

import graphene

from marketplace.checkout.selectors import checkout_open_to
from marketplace.core.errors import DomainError
from payments.error_codes import TransactionProcessErrorCode
from payments.selectors import transaction_by_token
from payments.services import transaction_process
from storefront_api.account.middleware import info_user
from storefront_api.core.ids import resolve_global_uuid
from storefront_api.core.mutations import BaseMutation, error_type
from storefront_api.payment.enums import TransactionProcessErrorCodeEnum
from storefront_api.payment.scalars import JSON
from storefront_api.payment.types import TransactionEvent, TransactionItem

TransactionProcessError = error_type("TransactionProcessError", TransactionProcessErrorCodeEnum)


class TransactionProcess(BaseMutation):
    """Processes a transaction after the buyer's step: reads the payment's state from Stripe and records it.
    For tests and the demo, data {"paymentMethod": "pm_card_visa"} confirms the intent server-side (the part
    Stripe.js plays in the browser)."""

    transaction = graphene.Field(TransactionItem, description="The processed transaction.")
    transaction_event = graphene.Field(TransactionEvent, description="The event created for the processed transaction.")
    data = JSON(description="The json data required to finalize the payment.")
    errors = graphene.NonNull(graphene.List(graphene.NonNull(TransactionProcessError)))
    error_type = TransactionProcessError

    class Arguments:
        id = graphene.ID(description="The ID of the transaction to process. One of field id or token is required.")
        token = graphene.UUID(
            description="The token of the transaction to process. One of field id or token is required."
        )
        data = JSON(description="The data that will be passed to the payment gateway.")
        customer_ip_address = graphene.String(description="The customer's IP address (not used).")

    @classmethod
    def perform_mutation(cls, root: Any, info: graphene.ResolveInfo, **data: Any) -> TransactionProcess:
        token: uuid.UUID | None = data.get("token")
        if data.get("id"):
            token = resolve_global_uuid(data["id"], only_type="TransactionItem", field="id")
        if token is None:
            raise DomainError(
                "Give the transaction's id or token.", code=TransactionProcessErrorCode.INVALID, field="id"
            )
        item = transaction_by_token(token=token)
        if item is None or (
            item.checkout is not None
            and not checkout_open_to(checkout=item.checkout, user=info_user(info), change=True)
        ):
            raise DomainError("Couldn't find this transaction.", code=TransactionProcessErrorCode.NOT_FOUND, field="id")
        payload = data.get("data")
        if payload is not None and not isinstance(payload, dict):
            raise DomainError("data must be an object.", code=TransactionProcessErrorCode.INVALID, field="data")
        item, event, result = transaction_process(transaction=item, data=payload)
        return cls(transaction=item, transaction_event=event, data=result, errors=[])
