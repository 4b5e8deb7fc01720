"""Stripe, behind one module: the only package in the project that imports the stripe library.

from payments import stripe as stripe_gateway
intent = stripe_gateway.create_payment_intent(amount=150_000, currency="vnd", ...)
"""

from payments.stripe.client import (
    Charge,
    PaymentIntent,
    Refund,
    WebhookEvent,
    cancel_payment_intent,
    capture_payment_intent,
    confirm_payment_intent,
    create_payment_intent,
    create_refund,
    parse_webhook_event,
    publishable_key,
    retrieve_charge,
    retrieve_payment_intent,
)
from payments.stripe.errors import (
    CardDeclined,
    IdempotencyKeyReused,
    InvalidWebhookPayload,
    InvalidWebhookSignature,
    StripeGatewayError,
    StripeUnavailable,
)

__all__ = [
    "CardDeclined",
    "Charge",
    "IdempotencyKeyReused",
    "InvalidWebhookPayload",
    "InvalidWebhookSignature",
    "PaymentIntent",
    "Refund",
    "StripeGatewayError",
    "StripeUnavailable",
    "WebhookEvent",
    "cancel_payment_intent",
    "capture_payment_intent",
    "confirm_payment_intent",
    "create_payment_intent",
    "create_refund",
    "parse_webhook_event",
    "publishable_key",
    "retrieve_charge",
    "retrieve_payment_intent",
]
