"""The marketplace's only conversation with Stripe: typed calls in, small frozen values out, our own exceptions.

Configuration comes from Django settings, read on every call (so tests can point it at localstripe):
STRIPE_SECRET_KEY, STRIPE_PUBLISHABLE_KEY, STRIPE_WEBHOOK_SECRET and STRIPE_API_BASE (empty = Stripe's own API).
No global state of the `stripe` module is touched: each call goes through a `stripe.StripeClient` built for
the current key and base address.

Money: amounts are whole đồng. VND is a zero-decimal currency for Stripe, so 150 000 ₫ is sent as
`amount=150000`, never multiplied by 100. Only zero-decimal currencies are accepted here, so that nobody can
pass whole dollars where Stripe expects cents.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Literal

import stripe
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from payments.stripe.errors import (
    CardDeclined,
    IdempotencyKeyReused,
    InvalidWebhookPayload,
    InvalidWebhookSignature,
    StripeGatewayError,
    StripeUnavailable,
)

# https://docs.stripe.com/currencies#zero-decimal
ZERO_DECIMAL_CURRENCIES = frozenset(
    {"bif", "clp", "djf", "gnf", "jpy", "kmf", "krw", "mga", "pyg", "rwf", "ugx", "vnd", "vuv", "xaf", "xof", "xpf"}
)

# Seconds to wait for one answer from Stripe once connected (settings.STRIPE_CONNECT_TIMEOUT_SECONDS bounds the
# connection itself, so that a silent network fails a payment in seconds, not minutes); the stripe library
# retries connection errors, timeouts, 409 and 5xx this many times, re-sending the same Idempotency-Key, before
# we report StripeUnavailable.
TIMEOUT_SECONDS = 30
MAX_NETWORK_RETRIES = 2

CaptureMethod = Literal["automatic", "manual"]


@dataclass(frozen=True)
class PaymentIntent:
    id: str
    client_secret: str
    status: str  # requires_payment_method, requires_confirmation, requires_action, processing,
    # requires_capture, canceled, succeeded
    amount: int
    amount_received: int
    currency: str
    metadata: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Refund:
    id: str
    status: str  # pending, requires_action, succeeded, failed, canceled
    amount: int


@dataclass(frozen=True)
class Charge:
    id: str
    payment_intent_id: str | None
    amount: int
    amount_refunded: int


@dataclass(frozen=True)
class WebhookEvent:
    id: str
    type: str
    created: int
    data_object: dict[str, Any]


def publishable_key() -> str:
    """The key the browser's Stripe.js is initialised with."""
    return settings.STRIPE_PUBLISHABLE_KEY


def create_payment_intent(
    *,
    amount: int,
    currency: str,
    idempotency_key: str,
    metadata: dict[str, str],
    receipt_email: str | None,
    capture_method: CaptureMethod = "automatic",
) -> PaymentIntent:
    """Open a card payment of `amount` (whole units of a zero-decimal currency, e.g. đồng).

    The same idempotency_key with the same arguments returns the intent created the first time.
    """
    if capture_method not in ("automatic", "manual"):
        raise ValueError(f"capture_method must be 'automatic' or 'manual', not {capture_method!r}.")
    currency = _zero_decimal_currency(currency)
    params: stripe.PaymentIntentService.CreateParams = {
        "amount": _whole_amount(amount),
        "currency": currency,
        "metadata": _string_metadata(metadata),
        "capture_method": capture_method,
        # Cards only: with Stripe's default automatic payment methods a server-side confirmation would also need
        # a return_url for redirect-based methods, which a pickup order never uses.
        "payment_method_types": ["card"],
    }
    if receipt_email:
        params["receipt_email"] = receipt_email
    with _gateway_errors():
        intent = _client().v1.payment_intents.create(params, {"idempotency_key": _key(idempotency_key)})
    return _payment_intent(intent)


def retrieve_payment_intent(*, payment_intent_id: str) -> PaymentIntent:
    with _gateway_errors():
        intent = _client().v1.payment_intents.retrieve(payment_intent_id)
    return _payment_intent(intent)


def confirm_payment_intent(*, payment_intent_id: str, payment_method: str) -> PaymentIntent:
    """Confirm with a payment method, as Stripe.js does in the buyer's browser (tests and the demo use it).

    Raises CardDeclined when the card is refused; the intent is then back in requires_payment_method.
    """
    with _gateway_errors():
        intent = _client().v1.payment_intents.confirm(payment_intent_id, {"payment_method": payment_method})
    return _payment_intent(intent)


def cancel_payment_intent(*, payment_intent_id: str) -> PaymentIntent:
    with _gateway_errors():
        intent = _client().v1.payment_intents.cancel(payment_intent_id)
    return _payment_intent(intent)


def capture_payment_intent(*, payment_intent_id: str, amount: int | None = None) -> PaymentIntent:
    """Take the money held by a manual-capture intent: all of it, or `amount` (the rest is released)."""
    params: stripe.PaymentIntentService.CaptureParams = {}
    if amount is not None:
        params["amount_to_capture"] = _whole_amount(amount)
    with _gateway_errors():
        intent = _client().v1.payment_intents.capture(payment_intent_id, params)
    return _payment_intent(intent)


def create_refund(*, payment_intent_id: str, amount: int | None, idempotency_key: str) -> Refund:
    """Give back `amount` (in the intent's currency, whole units), or everything not yet refunded when None."""
    params: stripe.RefundService.CreateParams = {"payment_intent": payment_intent_id}
    if amount is not None:
        params["amount"] = _whole_amount(amount)
    with _gateway_errors():
        refund = _client().v1.refunds.create(params, {"idempotency_key": _key(idempotency_key)})
    return Refund(id=refund.id, status=refund.status or "pending", amount=refund.amount)


def retrieve_charge(*, charge_id: str) -> Charge:
    """A charge as Stripe holds it now: how much of it was refunded, from anywhere (the dashboard included)."""
    with _gateway_errors():
        charge = _client().v1.charges.retrieve(charge_id)
    payment_intent = charge.payment_intent
    if payment_intent is not None and not isinstance(payment_intent, str):
        payment_intent = payment_intent.id
    return Charge(
        id=charge.id, payment_intent_id=payment_intent, amount=charge.amount, amount_refunded=charge.amount_refunded
    )


def parse_webhook_event(*, payload: bytes, signature_header: str, tolerance_seconds: int = 300) -> WebhookEvent:
    """Check the Stripe-Signature header against the raw request body, then read the event.

    Raises InvalidWebhookSignature for a missing, malformed or wrong signature and for a timestamp older than
    tolerance_seconds (a replayed delivery); InvalidWebhookPayload for a signed body that is not an event.
    """
    secret = settings.STRIPE_WEBHOOK_SECRET
    if not secret:
        # An empty secret would make every signature forgeable: refuse loudly rather than accept.
        raise ImproperlyConfigured("Set the environment variable STRIPE_WEBHOOK_SECRET.")
    try:
        body = payload.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InvalidWebhookSignature("The webhook body is not UTF-8.") from exc
    try:
        stripe.WebhookSignature.verify_header(body, signature_header or "", secret, tolerance_seconds)
    except stripe.SignatureVerificationError as exc:
        raise InvalidWebhookSignature(str(exc.user_message or exc)) from exc
    try:
        event = json.loads(body)
        data_object = event["data"]["object"]
        parsed = WebhookEvent(
            id=event["id"], type=event["type"], created=int(event["created"]), data_object=data_object
        )
    except (ValueError, KeyError, TypeError) as exc:
        raise InvalidWebhookPayload("The signed webhook body is not a Stripe event.") from exc
    if not isinstance(data_object, dict):
        raise InvalidWebhookPayload("The webhook event has no data.object.")
    return parsed


@lru_cache(maxsize=4)
def _stripe_client(secret_key: str, api_base: str, connect_timeout: float) -> stripe.StripeClient:
    return stripe.StripeClient(
        secret_key,
        base_addresses={"api": api_base} if api_base else {},
        max_network_retries=MAX_NETWORK_RETRIES,
        http_client=stripe.RequestsClient(timeout=(connect_timeout, TIMEOUT_SECONDS)),
    )


def _client() -> stripe.StripeClient:
    if not settings.STRIPE_SECRET_KEY:
        raise ImproperlyConfigured("Set the environment variable STRIPE_SECRET_KEY.")
    return _stripe_client(
        settings.STRIPE_SECRET_KEY,
        settings.STRIPE_API_BASE.rstrip("/"),
        float(settings.STRIPE_CONNECT_TIMEOUT_SECONDS),
    )


def _payment_intent(intent: stripe.PaymentIntent) -> PaymentIntent:
    return PaymentIntent(
        id=intent.id,
        client_secret=intent.client_secret or "",
        status=intent.status,
        amount=intent.amount,
        amount_received=intent.amount_received,
        currency=intent.currency,
        metadata=dict(intent.metadata or {}),
    )


def _whole_amount(amount: int) -> int:
    # bool is an int to Python, and a Decimal or float here means someone forgot that đồng have no minor unit.
    if isinstance(amount, bool) or not isinstance(amount, int):
        raise TypeError(f"Amounts are whole units as int, not {type(amount).__name__} ({amount!r}).")
    if amount <= 0:
        raise ValueError(f"Amounts must be positive, not {amount}.")
    return amount


def _zero_decimal_currency(currency: str) -> str:
    code = currency.lower()
    if code not in ZERO_DECIMAL_CURRENCIES:
        raise ValueError(f"Only zero-decimal currencies (VND) are supported, not {currency!r}.")
    return code


def _string_metadata(metadata: dict[str, str]) -> dict[str, str]:
    for key, value in metadata.items():
        if not isinstance(key, str) or not isinstance(value, str):
            raise TypeError(f"Stripe metadata keys and values are strings: {key!r}: {value!r}.")
    return dict(metadata)


def _key(idempotency_key: str) -> str:
    if not idempotency_key:
        raise ValueError("An idempotency key is required.")
    return idempotency_key


@contextmanager
def _gateway_errors() -> Iterator[None]:
    """Translate the stripe library's exceptions into ours."""
    try:
        yield
    except stripe.CardError as exc:
        error = exc.error
        intent = getattr(error, "payment_intent", None) if error else None
        raise CardDeclined(
            exc.user_message or "Your card was declined.",
            code=exc.code,
            decline_code=error.decline_code if error else None,
            payment_intent_id=intent.get("id") if isinstance(intent, dict) else None,
            http_status=exc.http_status,
        ) from exc
    except (stripe.APIConnectionError, stripe.RateLimitError) as exc:
        raise StripeUnavailable(exc.user_message or str(exc), code=exc.code, http_status=exc.http_status) from exc
    except stripe.IdempotencyError as exc:
        raise IdempotencyKeyReused(exc.user_message or str(exc), code=exc.code, http_status=exc.http_status) from exc
    except stripe.StripeError as exc:
        status = exc.http_status
        error_class = StripeUnavailable if status is None or status >= 500 else StripeGatewayError
        raise error_class(exc.user_message or str(exc), code=exc.code, http_status=status) from exc
