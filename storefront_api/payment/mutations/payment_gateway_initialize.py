from __future__ import annotations

from typing import Any

import graphene

from payments.error_codes import PaymentGatewayInitializeErrorCode
from payments.gateways import available_gateways, gateway_by_id
from storefront_api.account.middleware import info_user
from storefront_api.core.mutations import BaseMutation, error_type
from storefront_api.payment.enums import PaymentGatewayConfigErrorCodeEnum, PaymentGatewayInitializeErrorCodeEnum
from storefront_api.payment.mutations.checkout_lookup import checkout_for_id, whole_amount
from storefront_api.payment.scalars import JSON, PositiveDecimal

PaymentGatewayInitializeError = error_type("PaymentGatewayInitializeError", PaymentGatewayInitializeErrorCodeEnum)
PaymentGatewayConfigError = error_type("PaymentGatewayConfigError", PaymentGatewayConfigErrorCodeEnum)


class PaymentGatewayToInitialize(graphene.InputObjectType):
    id = graphene.String(required=True, description="The identifier of the payment gateway app to initialize.")
    data = JSON(description="The data that will be passed to the payment gateway.")


class PaymentGatewayConfig(graphene.ObjectType):
    id = graphene.String(required=True)
    data = JSON()
    errors = graphene.List(graphene.NonNull(PaymentGatewayConfigError))


class PaymentGatewayInitialize(BaseMutation):
    """Initializes payment gateways for the checkout: what each needs to show its payment form
    (Stripe: the publishable key)."""

    gateway_configs = graphene.List(graphene.NonNull(PaymentGatewayConfig))
    errors = graphene.NonNull(graphene.List(graphene.NonNull(PaymentGatewayInitializeError)))
    error_type = PaymentGatewayInitializeError

    class Arguments:
        id = graphene.ID(required=True, description="The ID of the checkout or order.")
        amount = PositiveDecimal(description="The amount requested for initializing the payment gateway.")
        payment_gateways = graphene.List(
            graphene.NonNull(PaymentGatewayToInitialize), description="List of payment gateways to initialize."
        )

    @classmethod
    def perform_mutation(cls, root: Any, info: graphene.ResolveInfo, **data: Any) -> PaymentGatewayInitialize:
        checkout = checkout_for_id(
            data["id"], user=info_user(info), not_found=PaymentGatewayInitializeErrorCode.NOT_FOUND
        )
        whole_amount(data.get("amount"), invalid=PaymentGatewayInitializeErrorCode.INVALID)
        available = available_gateways(currency=checkout.currency)
        requested = data.get("payment_gateways")
        ids = [gateway["id"] for gateway in requested] if requested else [gateway.id for gateway in available]
        configs = []
        for gateway_id in ids:
            gateway = gateway_by_id(gateway_id)
            if gateway is None or gateway not in available:
                configs.append(
                    PaymentGatewayConfig(
                        id=gateway_id,
                        data=None,
                        errors=[
                            PaymentGatewayConfigError(
                                field="id",
                                message=f"Active app with `HANDLE_PAYMENT` permissions or app webhook not found: "
                                f"{gateway_id}.",
                                code=PaymentGatewayInitializeErrorCode.NOT_FOUND.value,
                            )
                        ],
                    )
                )
            else:
                configs.append(PaymentGatewayConfig(id=gateway.id, data=gateway.session_data(), errors=[]))
        return cls(gateway_configs=configs, errors=[])
