"""Saleor's payment types: PaymentGateway, TransactionItem and TransactionEvent. Amounts are whole đồng."""

from __future__ import annotations

import graphene
from graphql_relay import to_global_id

from payments.gateways import GatewayConfigLine as GatewayConfigLineValue
from payments.gateways import PaymentGateway as PaymentGatewayValue
from payments.gateways import gateway_by_id
from payments.models import Gateway
from payments.models import TransactionEvent as TransactionEventModel
from payments.models import TransactionItem as TransactionItemModel
from storefront_api.core.execution import plain
from storefront_api.core.types import Money
from storefront_api.payment.enums import TransactionActionEnum, TransactionEventTypeEnum
from storefront_api.payment.resolvers import (  # the checkout type imports these from here
    checkout_authorize_status,
    checkout_charge_status,
    resolve_available_payment_gateways,
    resolve_checkout_transactions,
)

__all__ = [
    "GatewayConfigLine",
    "PaymentGateway",
    "TransactionEvent",
    "TransactionItem",
    "checkout_authorize_status",
    "checkout_charge_status",
    "resolve_available_payment_gateways",
    "resolve_checkout_transactions",
]


def _money(amount: int, currency: str) -> Money:
    return Money(currency=currency, amount=float(amount))


class GatewayConfigLine(graphene.ObjectType):
    field = graphene.String(required=True, description="Gateway config key.")
    value = graphene.String(description="Gateway config value for key.")


class PaymentGateway(graphene.ObjectType):
    """Available payment gateway backend with configuration necessary to setup client."""

    name = graphene.String(required=True, description="Payment gateway name.")
    id = graphene.ID(required=True, description="Payment gateway ID.")
    config = graphene.NonNull(
        graphene.List(graphene.NonNull(GatewayConfigLine)), description="Payment gateway client configuration."
    )
    currencies = graphene.NonNull(
        graphene.List(graphene.NonNull(graphene.String)), description="Payment gateway supported currencies."
    )

    @staticmethod
    def resolve_config(root: PaymentGatewayValue, info: graphene.ResolveInfo) -> list[GatewayConfigLineValue]:
        return root.config()

    @staticmethod
    def resolve_currencies(root: PaymentGatewayValue, info: graphene.ResolveInfo) -> list[str]:
        return list(root.currencies)


class TransactionEvent(graphene.ObjectType):
    """Represents a transaction event."""

    id = graphene.ID(required=True)
    created_at = graphene.DateTime(required=True)
    psp_reference = graphene.String(required=True, description="PSP reference of transaction.")
    message = graphene.String(required=True, description="Message related to the transaction's event.")
    external_url = graphene.String(required=True)
    amount = graphene.Field(Money, required=True, description="The amount related to this event.")
    type = graphene.Field(TransactionEventTypeEnum, description="The type of action related to this event.")
    idempotency_key = graphene.String(description="Idempotency key assigned to the event.")

    @staticmethod
    @plain
    def resolve_id(root: TransactionEventModel, info: graphene.ResolveInfo) -> str:
        return to_global_id("TransactionEvent", str(root.pk))

    @staticmethod
    @plain
    def resolve_external_url(root: TransactionEventModel, info: graphene.ResolveInfo) -> str:
        return ""

    @staticmethod
    @plain
    def resolve_type(root: TransactionEventModel, info: graphene.ResolveInfo) -> str:
        return str(root.type.value if hasattr(root.type, "value") else root.type)  # a fresh instance holds the member

    @staticmethod
    def resolve_amount(root: TransactionEventModel, info: graphene.ResolveInfo) -> Money:
        return _money(root.amount, root.transaction.currency)


class TransactionItem(graphene.ObjectType):
    """Represents a payment transaction."""

    id = graphene.ID(required=True)
    token = graphene.UUID(required=True, description="The transaction token.")
    created_at = graphene.DateTime(required=True)
    modified_at = graphene.DateTime(required=True)
    actions = graphene.NonNull(
        graphene.List(graphene.NonNull(TransactionActionEnum)),
        description="List of actions that can be performed in the current state of a payment.",
    )
    authorized_amount = graphene.Field(Money, required=True, description="Total amount authorized for this payment.")
    authorize_pending_amount = graphene.Field(Money, required=True)
    refunded_amount = graphene.Field(Money, required=True, description="Total amount refunded for this payment.")
    refund_pending_amount = graphene.Field(Money, required=True)
    canceled_amount = graphene.Field(Money, required=True, description="Total amount canceled for this payment.")
    cancel_pending_amount = graphene.Field(Money, required=True)
    charged_amount = graphene.Field(Money, required=True, description="Total amount charged for this payment.")
    charge_pending_amount = graphene.Field(Money, required=True)
    name = graphene.String(required=True, description="Name of the transaction.")
    message = graphene.String(required=True, description="Message related to the transaction.")
    psp_reference = graphene.String(required=True, description="PSP reference of transaction.")
    events = graphene.NonNull(
        graphene.List(graphene.NonNull(TransactionEvent)), description="List of all transaction's events."
    )
    external_url = graphene.String(required=True)

    @staticmethod
    @plain
    def resolve_id(root: TransactionItemModel, info: graphene.ResolveInfo) -> str:
        return to_global_id("TransactionItem", str(root.token))

    @staticmethod
    def resolve_actions(root: TransactionItemModel, info: graphene.ResolveInfo) -> list[str]:
        if root.gateway not in Gateway.moving_money():
            return []
        actions = []
        if root.authorized_amount:
            actions += ["CHARGE", "CANCEL"]
        if root.charged_amount > root.refunded_amount:
            actions.append("REFUND")
        return actions

    @staticmethod
    def resolve_authorized_amount(root: TransactionItemModel, info: graphene.ResolveInfo) -> Money:
        return _money(root.authorized_amount, root.currency)

    @staticmethod
    def resolve_charged_amount(root: TransactionItemModel, info: graphene.ResolveInfo) -> Money:
        return _money(root.charged_amount, root.currency)

    @staticmethod
    def resolve_refunded_amount(root: TransactionItemModel, info: graphene.ResolveInfo) -> Money:
        return _money(root.refunded_amount, root.currency)

    @staticmethod
    def resolve_canceled_amount(root: TransactionItemModel, info: graphene.ResolveInfo) -> Money:
        return _money(root.canceled_amount, root.currency)

    # Stripe answers card payments at once: nothing is ever pending here.
    @staticmethod
    def resolve_authorize_pending_amount(root: TransactionItemModel, info: graphene.ResolveInfo) -> Money:
        return _money(0, root.currency)

    resolve_charge_pending_amount = resolve_authorize_pending_amount
    resolve_refund_pending_amount = resolve_authorize_pending_amount
    resolve_cancel_pending_amount = resolve_authorize_pending_amount

    @staticmethod
    @plain
    def resolve_name(root: TransactionItemModel, info: graphene.ResolveInfo) -> str:
        gateway = gateway_by_id(root.gateway)
        return gateway.name if gateway is not None else root.gateway

    @staticmethod
    @plain
    def resolve_external_url(root: TransactionItemModel, info: graphene.ResolveInfo) -> str:
        return ""

    @staticmethod
    def resolve_events(root: TransactionItemModel, info: graphene.ResolveInfo) -> list[TransactionEventModel]:
        return list(root.events.all())
