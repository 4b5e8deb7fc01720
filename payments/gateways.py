"""The ways a buyer can pay, behind one small interface: what the storefront needs to show and start a
payment, and what the services need to move money. Amounts are whole đồng.

`StripeGateway` talks to Stripe through `payments.stripe` (never the SDK); `CashGateway` moves no money
until staff take the cash at the counter or the courier on delivery (see `payments.services`); `VietQRGateway`
shows the buyer where to transfer and waits for the bank's news of the credit (see `payments.transfers`);
`DummyGateway`, for test checkouts only (OCOP_DUMMY_PAYMENTS, which production refuses), moves none at all.
The storefront sees each under its Saleor app's id, with that app's data shapes (see `payments.models.Gateway`).
A gateway reports what the provider holds as a `PaymentState` (absolute amounts); the services turn
the difference with what we recorded into transaction events, so a state can be applied twice.
"""

from __future__ import annotations

import abc
import dataclasses
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, Literal

from django.conf import settings

from marketplace.checkout.complete import reserve_order_number
from marketplace.orders.transfer_reference import reference_for
from payments import stripe as stripe_gateway
from payments.models import Gateway, TransactionEventType, TransactionItem
from payments.vietqr.instructions import configured as transfers_configured
from payments.vietqr.instructions import instructions_for

Action = Literal["charge", "authorization"]


class GatewayError(Exception):
    """The provider refused or failed. `retryable`: it was unreachable or failing; the same request may work later."""

    def __init__(self, message: str, *, retryable: bool, key_reused: bool = False) -> None:
        super().__init__(message)
        self.message = message
        self.retryable = retryable
        self.key_reused = key_reused


@dataclasses.dataclass(frozen=True)
class GatewayConfigLine:
    field: str
    value: str | None


@dataclasses.dataclass(frozen=True)
class PaymentState:
    """What the provider holds for one payment now."""

    psp_reference: str
    status: str  # the provider's own word, e.g. Stripe's "succeeded"
    authorized: int  # held, not yet taken
    charged: int
    canceled: int


@dataclasses.dataclass(frozen=True)
class InitializedPayment:
    psp_reference: str
    status: str
    event_type: TransactionEventType
    message: str
    data: dict[str, Any] | None  # for the storefront (e.g. Stripe's client secret)
    authorized: int = 0  # what the provider already holds or took on opening (the dummy gateway at once)
    charged: int = 0


@dataclasses.dataclass(frozen=True)
class ProcessedPayment:
    state: PaymentState | None  # None: nothing the provider holds changed
    failure_message: str  # a refused attempt (a declined card), shown to the buyer
    data: dict[str, Any] | None


@dataclasses.dataclass(frozen=True)
class RefundResult:
    psp_reference: str
    amount: int
    succeeded: bool  # False: accepted, still pending at the provider


class PaymentGateway(abc.ABC):
    id: str
    name: str
    currencies: tuple[str, ...] = ("VND",)

    @abc.abstractmethod
    def config(self) -> list[GatewayConfigLine]:
        """What the storefront needs to show this gateway (Saleor's `PaymentGateway.config`)."""

    def session_data(self) -> dict[str, Any]:
        """`paymentGatewayInitialize`'s data for this gateway."""
        return {line.field: line.value for line in self.config()}

    @abc.abstractmethod
    def initialize_transaction(
        self,
        *,
        amount: int,
        currency: str,
        idempotency_key: str,
        metadata: dict[str, str],
        receipt_email: str | None,
        action: Action,
        data: dict[str, Any] | None = None,
    ) -> InitializedPayment:
        """Open a payment of `amount`; the same idempotency_key and arguments open the same one.
        `data`: what the storefront sent for this gateway (`paymentGateway.data`)."""

    @abc.abstractmethod
    def storefront_data(self, *, psp_reference: str) -> dict[str, Any]:
        """The storefront's data for a payment already opened (a repeated initialize)."""

    @abc.abstractmethod
    def process_transaction(self, *, psp_reference: str, data: dict[str, Any] | None) -> ProcessedPayment:
        """The payment's state after the buyer's step (`data`), or as it is now when there is none."""

    @abc.abstractmethod
    def refund(self, *, psp_reference: str, amount: int, idempotency_key: str) -> RefundResult:
        """Give back `amount` of a charged payment; the same key gives back at most once."""

    def cancel(self, *, psp_reference: str, amount: int) -> PaymentState:
        """Release money held and not taken (an authorization of `amount`); the state afterwards."""
        raise GatewayError(f"{self.name} holds no money to release.", retryable=False)


# What the storefront may name in `paymentIntent.paymentMethod` on transactionInitialize (Saleor's Stripe app's
# key): the intents take cards only (see payments.stripe.create_payment_intent).
STRIPE_PAYMENT_METHODS = ("card",)


class StripeGateway(PaymentGateway):
    """Saleor's Stripe app, as the storefront knows it: `paymentGatewayInitialize` gives
    `{"stripePublishableKey": …}`, `transactionInitialize` takes `{"paymentIntent": {"paymentMethod": "card"}}`
    (optional here) and gives `{"paymentIntent": {"stripeClientSecret": …}}` for Stripe.js; a refusal comes
    back as `{"paymentIntent": {"errors": [{"code", "message"}]}}`."""

    id = Gateway.STRIPE.value
    name = "Stripe"

    def config(self) -> list[GatewayConfigLine]:
        return [GatewayConfigLine(field="api_key", value=stripe_gateway.publishable_key())]

    def session_data(self) -> dict[str, Any]:
        return {"stripePublishableKey": stripe_gateway.publishable_key()}

    def initialize_transaction(
        self,
        *,
        amount: int,
        currency: str,
        idempotency_key: str,
        metadata: dict[str, str],
        receipt_email: str | None,
        action: Action,
        data: dict[str, Any] | None = None,
    ) -> InitializedPayment:
        method = self._payment_method(data)
        if method is not None and method not in STRIPE_PAYMENT_METHODS:
            raise GatewayError(f"The payment method {method!r} is not supported; pay by card.", retryable=False)
        with _stripe_errors():
            intent = stripe_gateway.create_payment_intent(
                amount=amount,
                currency=currency,
                idempotency_key=idempotency_key,
                metadata=metadata,
                receipt_email=receipt_email,
                capture_method="manual" if action == "authorization" else "automatic",
            )
        return InitializedPayment(
            psp_reference=intent.id,
            status=intent.status,
            event_type=(
                TransactionEventType.AUTHORIZATION_ACTION_REQUIRED
                if action == "authorization"
                else TransactionEventType.CHARGE_ACTION_REQUIRED
            ),
            message="Waiting for the card details.",
            data=self._data(intent),
        )

    @staticmethod
    def _payment_method(data: dict[str, Any] | None) -> str | None:
        """`paymentIntent.paymentMethod` of the storefront's data, if it names one."""
        intent = (data or {}).get("paymentIntent")
        method = intent.get("paymentMethod") if isinstance(intent, dict) else None
        return method if isinstance(method, str) and method else None

    def storefront_data(self, *, psp_reference: str) -> dict[str, Any]:
        with _stripe_errors():
            intent = stripe_gateway.retrieve_payment_intent(payment_intent_id=psp_reference)
        return self._data(intent)

    def process_transaction(self, *, psp_reference: str, data: dict[str, Any] | None) -> ProcessedPayment:
        # Our own addition to the Stripe app's data: {"paymentMethod": "pm_…"} confirms server-side.
        payment_method = (data or {}).get("paymentMethod")
        failure = ""
        with _stripe_errors():
            if payment_method:
                # Stripe.js confirms in the buyer's browser; tests and the demo play its part here.
                try:
                    intent = stripe_gateway.confirm_payment_intent(
                        payment_intent_id=psp_reference, payment_method=str(payment_method)
                    )
                except stripe_gateway.CardDeclined as declined:
                    failure = declined.message
                    intent = stripe_gateway.retrieve_payment_intent(payment_intent_id=psp_reference)
            else:
                intent = stripe_gateway.retrieve_payment_intent(payment_intent_id=psp_reference)
        # Saleor's Stripe app answers a processed payment without data, a refused one with the reason.
        result = {"paymentIntent": {"errors": [{"code": "StripeCardError", "message": failure}]}} if failure else None
        return ProcessedPayment(state=self.state_of(intent), failure_message=failure, data=result)

    def refund(self, *, psp_reference: str, amount: int, idempotency_key: str) -> RefundResult:
        with _stripe_errors():
            refund = stripe_gateway.create_refund(
                payment_intent_id=psp_reference, amount=amount, idempotency_key=idempotency_key
            )
        if refund.status in ("failed", "canceled"):
            raise GatewayError(f"Stripe refused the refund ({refund.status}).", retryable=False)
        return RefundResult(psp_reference=refund.id, amount=refund.amount, succeeded=refund.status == "succeeded")

    def cancel(self, *, psp_reference: str, amount: int) -> PaymentState:
        with _stripe_errors():
            intent = stripe_gateway.cancel_payment_intent(payment_intent_id=psp_reference)
        return self.state_of(intent)

    @staticmethod
    def state_of(intent: stripe_gateway.PaymentIntent) -> PaymentState:
        authorized = charged = canceled = 0
        if intent.status == "succeeded":
            charged = intent.amount_received
        elif intent.status == "requires_capture":
            authorized = intent.amount
        elif intent.status == "canceled":
            canceled = intent.amount
        return PaymentState(
            psp_reference=intent.id, status=intent.status, authorized=authorized, charged=charged, canceled=canceled
        )

    @staticmethod
    def _data(intent: stripe_gateway.PaymentIntent) -> dict[str, Any]:
        """Saleor's Stripe app's answer to transactionInitialize: Stripe.js confirms with the client secret
        (the publishable key came with paymentGatewayInitialize)."""
        return {"paymentIntent": {"stripeClientSecret": intent.client_secret}}


class CashGateway(PaymentGateway):
    """Cash at the outlet's counter or to the courier: nothing to open, nothing to refund by machine."""

    id = Gateway.CASH.value
    name = "Cash"

    def config(self) -> list[GatewayConfigLine]:
        return []

    def initialize_transaction(
        self,
        *,
        amount: int,
        currency: str,
        idempotency_key: str,
        metadata: dict[str, str],
        receipt_email: str | None,
        action: Action,
        data: dict[str, Any] | None = None,
    ) -> InitializedPayment:
        return InitializedPayment(
            psp_reference="", status="pending", event_type=TransactionEventType.INFO, message="", data={}
        )

    def storefront_data(self, *, psp_reference: str) -> dict[str, Any]:
        return {}

    def process_transaction(self, *, psp_reference: str, data: dict[str, Any] | None) -> ProcessedPayment:
        return ProcessedPayment(state=None, failure_message="", data={})

    def refund(self, *, psp_reference: str, amount: int, idempotency_key: str) -> RefundResult:
        raise GatewayError("Cash is given back at the counter, not by the system.", retryable=False)


TRANSFER_AWAITED = "awaiting_transfer"


class VietQRGateway(PaymentGateway):
    """A bank transfer to the platform's collection account, by VietQR code or typed by hand.

    Opening it draws the order's number ahead (the order is placed afterwards, by checkoutComplete) and the
    reference "OCOP<number>"; the storefront's data is `{"vietqr": {bank, account, amount, reference, payload,
    qrCodeDataUri}}` (`payments.vietqr.instructions`). Nothing moves until the bank tells us of the credit (a
    signed notification or a statement, `payments.transfers`); refunds are owed to the buyer and paid by an
    operator, never by the system.
    """

    id = Gateway.VIETQR.value
    name = "VietQR"

    def config(self) -> list[GatewayConfigLine]:
        return [
            GatewayConfigLine(field="bankBin", value=settings.OCOP_VIETQR_BANK_BIN),
            GatewayConfigLine(field="bankName", value=settings.OCOP_VIETQR_BANK_NAME),
            GatewayConfigLine(field="accountNumber", value=settings.OCOP_VIETQR_ACCOUNT_NUMBER),
            GatewayConfigLine(field="accountName", value=settings.OCOP_VIETQR_ACCOUNT_NAME),
            GatewayConfigLine(field="holdHours", value=str(settings.OCOP_TRANSFER_HOLD_HOURS)),
        ]

    def initialize_transaction(
        self,
        *,
        amount: int,
        currency: str,
        idempotency_key: str,
        metadata: dict[str, str],
        receipt_email: str | None,
        action: Action,
        data: dict[str, Any] | None = None,
    ) -> InitializedPayment:
        reference = reference_for(reserve_order_number())
        return InitializedPayment(
            psp_reference=reference,
            status=TRANSFER_AWAITED,
            event_type=TransactionEventType.CHARGE_ACTION_REQUIRED,
            message="Waiting for the bank transfer.",
            data=instructions_for(reference=reference, amount=amount).as_data(),
        )

    def storefront_data(self, *, psp_reference: str) -> dict[str, Any]:
        item = TransactionItem.objects.filter(gateway=self.id, psp_reference=psp_reference).first()
        if item is None:
            return {}
        return instructions_for(reference=psp_reference, amount=item.amount_requested).as_data()

    def process_transaction(self, *, psp_reference: str, data: dict[str, Any] | None) -> ProcessedPayment:
        return ProcessedPayment(state=None, failure_message="", data=self.storefront_data(psp_reference=psp_reference))

    def refund(self, *, psp_reference: str, amount: int, idempotency_key: str) -> RefundResult:
        raise GatewayError("A transfer is given back by an operator, to the account the buyer gives.", retryable=False)


# The outcomes a test checkout may ask the dummy gateway for (`data.event.type`), and what each holds.
DUMMY_OUTCOMES: dict[str, TransactionEventType] = {
    "CHARGE_SUCCESS": TransactionEventType.CHARGE_SUCCESS,
    "AUTHORIZATION_SUCCESS": TransactionEventType.AUTHORIZATION_SUCCESS,
    "CHARGE_FAILURE": TransactionEventType.CHARGE_FAILURE,
    "AUTHORIZATION_FAILURE": TransactionEventType.AUTHORIZATION_FAILURE,
}


class DummyGateway(PaymentGateway):
    """Saleor's Dummy Payment app, for test checkouts (the demo, the storefront's test journey): no money moves.

    transactionInitialize's data `{"event": {"type": "CHARGE_SUCCESS", "includePspReference": true}}` records
    that outcome at once for the whole amount (AUTHORIZATION_SUCCESS holds it; the failures hold nothing); data
    it cannot read is a failure, as the app answers it. Offered only when settings.OCOP_DUMMY_PAYMENTS is on,
    which production settings refuse.
    """

    id = Gateway.DUMMY.value
    name = "Dummy Payment App"

    def config(self) -> list[GatewayConfigLine]:
        return []

    def initialize_transaction(
        self,
        *,
        amount: int,
        currency: str,
        idempotency_key: str,
        metadata: dict[str, str],
        receipt_email: str | None,
        action: Action,
        data: dict[str, Any] | None = None,
    ) -> InitializedPayment:
        event = (data or {}).get("event")
        outcome = DUMMY_OUTCOMES.get(str(event.get("type"))) if isinstance(event, dict) else None
        if outcome is None or not isinstance(event, dict):
            failure = (
                TransactionEventType.AUTHORIZATION_FAILURE
                if action == "authorization"
                else TransactionEventType.CHARGE_FAILURE
            )
            return InitializedPayment(
                psp_reference="",
                status="failure",
                event_type=failure,
                message=f"data.event.type must be one of {', '.join(DUMMY_OUTCOMES)}.",
                data=None,
            )
        reference = f"dummy-{idempotency_key}" if event.get("includePspReference") else ""
        return InitializedPayment(
            psp_reference=reference,
            status=outcome.value,
            event_type=outcome,
            message="Test payment: no money moved.",
            data=None,
            authorized=amount if outcome == TransactionEventType.AUTHORIZATION_SUCCESS else 0,
            charged=amount if outcome == TransactionEventType.CHARGE_SUCCESS else 0,
        )

    def storefront_data(self, *, psp_reference: str) -> dict[str, Any]:
        return {}

    def process_transaction(self, *, psp_reference: str, data: dict[str, Any] | None) -> ProcessedPayment:
        return ProcessedPayment(state=None, failure_message="", data=None)

    def refund(self, *, psp_reference: str, amount: int, idempotency_key: str) -> RefundResult:
        return RefundResult(psp_reference=f"dummy-{idempotency_key}", amount=amount, succeeded=True)

    def cancel(self, *, psp_reference: str, amount: int) -> PaymentState:
        return PaymentState(psp_reference=psp_reference, status="canceled", authorized=0, charged=0, canceled=amount)


GATEWAYS: dict[str, PaymentGateway] = {
    gateway.id: gateway for gateway in (StripeGateway(), CashGateway(), VietQRGateway(), DummyGateway())
}


def gateway_by_id(gateway_id: str) -> PaymentGateway | None:
    return GATEWAYS.get(gateway_id)


def available_gateways(*, currency: str) -> list[PaymentGateway]:
    """The gateways that take `currency`: Stripe only when it is configured (a secret key is set), VietQR only
    when the collection account is, the dummy gateway only when test payments are on (OCOP_DUMMY_PAYMENTS)."""
    return [gateway for gateway in GATEWAYS.values() if currency.upper() in gateway.currencies and _enabled(gateway)]


def _enabled(gateway: PaymentGateway) -> bool:
    if gateway.id == Gateway.STRIPE:
        return bool(settings.STRIPE_SECRET_KEY)
    if gateway.id == Gateway.DUMMY:
        return bool(settings.OCOP_DUMMY_PAYMENTS)
    if gateway.id == Gateway.VIETQR:
        return transfers_configured()
    return True


@contextmanager
def _stripe_errors() -> Iterator[None]:
    try:
        yield
    except stripe_gateway.IdempotencyKeyReused as exc:
        raise GatewayError(exc.message, retryable=False, key_reused=True) from exc
    except stripe_gateway.StripeUnavailable as exc:
        raise GatewayError(exc.message, retryable=True) from exc
    except stripe_gateway.StripeGatewayError as exc:
        raise GatewayError(exc.message, retryable=False) from exc
