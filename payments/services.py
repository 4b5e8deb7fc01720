"""Writes of the payments package: opening and processing transactions, Stripe's webhooks, refunds and cash.

What a gateway reports is a state (absolute amounts); `_apply_state` records the difference with what we
hold as events, under a row lock, so the same state applied twice (the buyer's browser and the webhook,
a redelivered event) is recorded once. A transaction that belongs to an order refreshes the order's
payment totals whenever its amounts move. Amounts are whole đồng.
"""

from __future__ import annotations

import enum
import logging
import uuid
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F, QuerySet, Sum

from marketplace.accounts.models import Role, User
from marketplace.checkout.error_codes import CheckoutErrorCode
from marketplace.checkout.models import Checkout
from marketplace.checkout.selectors import checkout_info
from marketplace.core.errors import DomainError, PermissionDenied
from marketplace.orders.error_codes import OrderErrorCode
from marketplace.orders.models import Order, OrderEventType, OrderStatus, PaymentMethod
from marketplace.orders.services import order_for_pickup_code, order_hand_over
from marketplace.outlets.models import Outlet
from payments import stripe as stripe_gateway
from payments.checkout import order_totals_refresh
from payments.error_codes import TransactionInitializeErrorCode, TransactionProcessErrorCode
from payments.gateways import (
    Action,
    CashGateway,
    GatewayError,
    InitializedPayment,
    PaymentGateway,
    PaymentState,
    StripeGateway,
    available_gateways,
    gateway_by_id,
)
from payments.models import Gateway, StripeWebhookEvent, TransactionEvent, TransactionEventType, TransactionItem
from payments.transfers import transfer_refund_owe, transfer_refunds_owe

logger = logging.getLogger(__name__)

FAILURE_EVENTS = (TransactionEventType.CHARGE_FAILURE, TransactionEventType.AUTHORIZATION_FAILURE)


# --- opening and processing a checkout's payment ---


# The storefront gets back the transaction, its first event and the gateway's data for the browser.
InitializedTransaction = tuple[TransactionItem, TransactionEvent | None, dict[str, Any] | None]


def transaction_initialize(
    *,
    checkout: Checkout,
    gateway_id: str,
    amount: int | None = None,
    idempotency_key: str | None = None,
    data: dict[str, Any] | None = None,
    user: User | None = None,
    action: Action = "charge",
) -> InitializedTransaction:
    """Open a payment of the checkout's total (or `amount`) with a gateway; returns the transaction, its first
    event and the storefront's data (Stripe: the PaymentIntent's client secret and the publishable key).

    The same idempotency key for the same checkout returns the same transaction (and Stripe the same intent).
    Nothing is written when the gateway fails. `data` is the storefront's data for the gateway (Stripe: the
    payment method; the dummy gateway: the outcome to record).
    """
    gateway = _offered_gateway(checkout, gateway_id=gateway_id)
    _check_requested_amount(amount)
    key = (idempotency_key or "").strip()[:200]
    earlier = _initialized_before(checkout, gateway=gateway, key=key, amount=amount)
    if earlier is not None:
        return earlier
    amount = _amount_to_open(checkout, gateway=gateway, requested=amount)
    key = key or uuid.uuid4().hex
    opened = _open_with_gateway(gateway, checkout=checkout, amount=amount, key=key, action=action, data=data)
    return _record_opened(checkout, gateway=gateway, opened=opened, amount=amount, key=key, user=user)


def _offered_gateway(checkout: Checkout, *, gateway_id: str) -> PaymentGateway:
    """The gateway asked for, if it takes the checkout's currency (Stripe only when it is configured)."""
    gateway = gateway_by_id(gateway_id)
    if gateway is None or gateway not in available_gateways(currency=checkout.currency):
        raise DomainError(
            f"Unknown payment gateway: {gateway_id}.",
            code=TransactionInitializeErrorCode.NOT_FOUND,
            field="paymentGateway",
        )
    return gateway


def _check_requested_amount(amount: int | None) -> None:
    if amount is not None and (isinstance(amount, bool) or not isinstance(amount, int) or amount <= 0):
        raise DomainError(
            "The amount must be a positive whole number of đồng.",
            code=TransactionInitializeErrorCode.INVALID,
            field="amount",
        )


def _initialized_before(
    checkout: Checkout, *, gateway: PaymentGateway, key: str, amount: int | None
) -> InitializedTransaction | None:
    """A repeated call's answer: the transaction opened with the same key, or the checkout's cash promise
    (a checkout has one); None when this is a new payment."""
    if key:
        existing = TransactionItem.objects.filter(checkout=checkout, idempotency_key=key).first()
        if existing is not None:
            return _initialized_again(existing, gateway_id=gateway.id, amount=amount)
    if isinstance(gateway, CashGateway):
        existing = TransactionItem.objects.filter(checkout=checkout, gateway=Gateway.CASH).first()
        if existing is not None:
            return existing, existing.events.first(), {}
    return None


def _amount_to_open(checkout: Checkout, *, gateway: PaymentGateway, requested: int | None) -> int:
    """Cash: the whole total, paid at pickup or on delivery. A card: `requested`, or else what the checkout's
    card payments do not cover yet."""
    info = checkout_info(checkout=checkout)
    if not info.lines:
        raise DomainError("The checkout has no lines.", code=TransactionInitializeErrorCode.INVALID, field="id")
    if isinstance(gateway, CashGateway):
        return info.total
    if requested is not None:
        return requested
    outstanding = info.total - _covered(checkout)
    if outstanding <= 0:
        raise DomainError("The checkout is already paid.", code=TransactionInitializeErrorCode.INVALID, field="amount")
    return outstanding


def _open_with_gateway(
    gateway: PaymentGateway,
    *,
    checkout: Checkout,
    amount: int,
    key: str,
    action: Action,
    data: dict[str, Any] | None,
) -> InitializedPayment:
    """The gateway opens the payment (Stripe: a PaymentIntent keyed by the checkout and `key`)."""
    try:
        return gateway.initialize_transaction(
            amount=amount,
            currency=checkout.currency,
            idempotency_key=f"checkout-{checkout.token}-{key}",
            metadata={"checkout_token": str(checkout.token), "idempotency_key": key},
            receipt_email=checkout.email or None,
            action=action,
            data=data,
        )
    except GatewayError as error:
        if error.key_reused:
            raise DomainError(
                "This idempotency key was already used for a different payment.",
                code=TransactionInitializeErrorCode.UNIQUE,
                field="idempotencyKey",
            ) from error
        logger.warning("transactionInitialize: %s failed: %s", gateway.id, error.message)
        raise DomainError(
            "Card payments are unavailable right now; nothing was charged. Please try again in a minute."
            if error.retryable
            else f"The payment could not be started: {error.message}",
            code=TransactionInitializeErrorCode.PAYMENT_ERROR,
            field="paymentGateway",
        ) from error


def _record_opened(
    checkout: Checkout,
    *,
    gateway: PaymentGateway,
    opened: InitializedPayment,
    amount: int,
    key: str,
    user: User | None,
) -> InitializedTransaction:
    """The transaction and its first event, with what the gateway took on opening (the dummy gateway's
    charge). Another request that wrote the same key first wins: its transaction is the answer."""
    if isinstance(gateway, CashGateway):
        message = "Cash at pickup." if checkout.collection_point_id else "Cash on delivery."
    else:
        message = opened.message
    try:
        with transaction.atomic():
            item = TransactionItem.objects.create(
                gateway=gateway.id,
                checkout=checkout,
                psp_reference=opened.psp_reference,
                currency=checkout.currency,
                amount_requested=amount,
                authorized_amount=opened.authorized,
                charged_amount=opened.charged,
                status=opened.status,
                message=message,
                idempotency_key=key,
            )
            event = TransactionEvent.objects.create(
                transaction=item,
                type=opened.event_type,
                amount=amount,
                psp_reference=opened.psp_reference,
                message=message,
                idempotency_key=key,
                created_by=user,
            )
    except IntegrityError:
        # The same key, at the same moment, from another request: that one wrote it.
        existing = TransactionItem.objects.get(checkout=checkout, idempotency_key=key)
        return _initialized_again(existing, gateway_id=gateway.id, amount=amount)
    return item, event, opened.data


def _initialized_again(item: TransactionItem, *, gateway_id: str, amount: int | None) -> InitializedTransaction:
    """A repeated initialize gets the transaction back, with fresh storefront data, if it asks for the same."""
    if item.gateway != gateway_id or (amount is not None and amount != item.amount_requested):
        raise DomainError(
            "This idempotency key was already used for a different payment.",
            code=TransactionInitializeErrorCode.UNIQUE,
            field="idempotencyKey",
        )
    gateway = gateway_by_id(item.gateway)
    try:
        data = gateway.storefront_data(psp_reference=item.psp_reference) if gateway and item.psp_reference else {}
    except GatewayError as error:
        raise DomainError(
            "Card payments are unavailable right now. Please try again in a minute.",
            code=TransactionInitializeErrorCode.PAYMENT_ERROR,
            field="paymentGateway",
        ) from error
    return item, item.events.first(), data


def _covered(checkout: Checkout) -> int:
    """What the checkout's card (or test) transactions already hold or took (net of refunds)."""
    totals = TransactionItem.objects.filter(checkout=checkout, gateway__in=Gateway.moving_money()).aggregate(
        authorized=Sum("authorized_amount"), charged=Sum("charged_amount"), refunded=Sum("refunded_amount")
    )
    return (totals["authorized"] or 0) + (totals["charged"] or 0) - (totals["refunded"] or 0)


def transaction_process(
    *, transaction: TransactionItem, data: dict[str, Any] | None = None
) -> tuple[TransactionItem, TransactionEvent | None, dict[str, Any] | None]:
    """The buyer's step after initialize: Stripe's intent is read (or, with data {"paymentMethod": "pm_..."},
    confirmed server-side, as Stripe.js would in the browser) and its state applied to the transaction.

    A declined card is not an error of the mutation: the transaction gets a CHARGE_FAILURE event and the
    data says why. A transaction already charged in full, or canceled, is returned as it is.
    """
    item = transaction
    gateway = gateway_by_id(item.gateway)
    if gateway is None:
        raise DomainError(
            "This transaction's gateway is gone.", code=TransactionProcessErrorCode.MISSING_PAYMENT_APP, field="id"
        )
    finished = item.canceled_amount > 0 or item.charged_amount >= item.amount_requested
    if isinstance(gateway, CashGateway) or finished:
        return item, item.events.last(), None
    try:
        processed = gateway.process_transaction(psp_reference=item.psp_reference, data=data)
    except GatewayError as error:
        logger.warning("transactionProcess: %s failed: %s", gateway.id, error.message)
        raise DomainError(
            "Card payments are unavailable right now; nothing was charged. Please try again in a minute."
            if error.retryable
            else f"The payment could not be processed: {error.message}",
            code=TransactionProcessErrorCode.PAYMENT_ERROR,
            field="data",
        ) from error
    event = None
    if processed.state is not None:
        item, event = _apply_state(item, processed.state, failure_message=processed.failure_message)
    return item, event or item.events.last(), processed.data


def checkout_card_payments_refresh(*, checkout_token: uuid.UUID) -> bool:
    """Read from Stripe the checkout's card payments still waiting for its word (nothing charged, held or
    canceled yet) and record what moved; True when any did. Stripe unreachable: PAYMENT_ERROR."""
    moved = False
    for item in awaiting_provider(TransactionItem.objects.filter(checkout_id=checkout_token)):
        try:
            moved = settle_from_provider(item) or moved
        except GatewayError as error:
            if not error.retryable:
                logger.warning("Transaction %s could not be read: %s", item.pk, error.message)
                continue
            raise DomainError(
                "Stripe could not be reached to confirm the card payment, so no order was placed and nothing "
                "more was charged. Please try again in a minute; if the payment went through, the order is "
                "placed within a few minutes anyway.",
                code=CheckoutErrorCode.PAYMENT_ERROR,
                field="id",
            ) from error
    return moved


def awaiting_provider(items: QuerySet[TransactionItem]) -> QuerySet[TransactionItem]:
    """Card payments whose outcome only the provider knows yet: opened, nothing charged in full or canceled."""
    return items.filter(gateway=Gateway.STRIPE, canceled_amount=0, charged_amount__lt=F("amount_requested")).exclude(
        psp_reference=""
    )


def settle_from_provider(item: TransactionItem) -> bool:
    """Record what the provider holds for the payment now; True when something moved. GatewayError as raised."""
    gateway = gateway_by_id(item.gateway)
    if gateway is None:
        return False
    processed = gateway.process_transaction(psp_reference=item.psp_reference, data=None)
    if processed.state is None:
        return False
    _, event = _apply_state(item, processed.state, failure_message=processed.failure_message)
    return event is not None


def apply_payment_intent(
    *, transaction: TransactionItem, intent: stripe_gateway.PaymentIntent, failure_message: str = ""
) -> tuple[TransactionItem, TransactionEvent | None]:
    """Record what Stripe holds for the transaction's intent; applying the same intent again records nothing.

    succeeded → charged = amount_received (CHARGE_SUCCESS once); requires_capture → authorized
    (AUTHORIZATION_SUCCESS); canceled → canceled (CANCEL_SUCCESS); a failure_message (a declined attempt) →
    CHARGE_FAILURE, once per failed attempt. Returns the last event recorded (None: nothing changed).
    """
    if intent.id != transaction.psp_reference:
        raise ValueError(f"Intent {intent.id} is not transaction {transaction.pk}'s ({transaction.psp_reference}).")
    return _apply_state(transaction, StripeGateway.state_of(intent), failure_message=failure_message)


def _apply_state(
    item: TransactionItem, state: PaymentState, *, failure_message: str = ""
) -> tuple[TransactionItem, TransactionEvent | None]:
    with transaction.atomic():
        item = TransactionItem.objects.select_for_update().get(pk=item.pk)
        if state.charged < item.charged_amount or state.canceled < item.canceled_amount:
            return item, None  # an older state read before a newer one was applied
        events: list[tuple[TransactionEventType, int, str]] = []
        order_event: OrderEventType | None = None
        order_amount = 0
        if state.charged > item.charged_amount:
            delta = state.charged - item.charged_amount
            events.append((TransactionEventType.CHARGE_SUCCESS, delta, "Charged."))
            order_event, order_amount = OrderEventType.PAYMENT_CHARGED, delta
        if state.authorized > item.authorized_amount:
            events.append((TransactionEventType.AUTHORIZATION_SUCCESS, state.authorized, "Authorized."))
            order_event = order_event or OrderEventType.PAYMENT_AUTHORIZED
            order_amount = order_amount or state.authorized
        if state.canceled > item.canceled_amount:
            events.append((TransactionEventType.CANCEL_SUCCESS, state.canceled - item.canceled_amount, "Canceled."))
        if failure_message:
            last = item.events.order_by("-created_at", "-id").first()
            if last is None or last.type not in FAILURE_EVENTS:
                events.append((TransactionEventType.CHARGE_FAILURE, item.amount_requested, failure_message))
                order_event = order_event or OrderEventType.PAYMENT_FAILED
                order_amount = order_amount or item.amount_requested
        amounts_moved = (state.charged, state.authorized, state.canceled) != (
            item.charged_amount,
            item.authorized_amount,
            item.canceled_amount,
        )
        item.charged_amount, item.authorized_amount, item.canceled_amount = (
            state.charged,
            state.authorized,
            state.canceled,
        )
        item.status = state.status
        if events:
            item.message = events[-1][2][:512]
        item.save()
        recorded = [
            TransactionEvent.objects.create(
                transaction=item, type=type_, amount=amount, psp_reference=state.psp_reference, message=message[:512]
            )
            for type_, amount, message in events
        ]
        if amounts_moved or recorded:
            _refresh_order_totals(item, event=order_event, amount=order_amount)
    return item, recorded[-1] if recorded else None


# --- Stripe's webhooks ---


class WebhookOutcome(enum.StrEnum):
    APPLIED = "applied"
    DUPLICATE = "duplicate"  # this event id was handled before
    UNKNOWN_REFERENCE = "unknown_reference"  # about a payment that is not ours (or not any more)
    IGNORED = "ignored"  # a type we do not act on


PAYMENT_INTENT_EVENTS = {
    "payment_intent.succeeded",
    "payment_intent.payment_failed",
    "payment_intent.canceled",
    "payment_intent.amount_capturable_updated",
    "payment_intent.processing",
    "payment_intent.requires_action",
}


def handle_stripe_webhook(*, payload: bytes, signature_header: str) -> WebhookOutcome:
    """Apply one signed Stripe event, once per event id.

    Raises InvalidWebhookSignature / InvalidWebhookPayload (answer 400) and StripeUnavailable when the
    intent could not be read back (answer 5xx: Stripe delivers again later, and nothing was recorded).
    The amounts come from Stripe's API, not from the event body (which may be stale, or out of order).
    """
    event = stripe_gateway.parse_webhook_event(payload=payload, signature_header=signature_header)
    if StripeWebhookEvent.objects.filter(event_id=event.id).exists():
        return WebhookOutcome.DUPLICATE
    obj = event.data_object
    item: TransactionItem | None = None
    intent = charge = None
    if event.type in PAYMENT_INTENT_EVENTS:
        item = _stripe_transaction(obj.get("id"))
        if item is not None:
            intent = stripe_gateway.retrieve_payment_intent(payment_intent_id=item.psp_reference)
    elif event.type == "charge.refunded":
        intent_id = obj.get("payment_intent")
        item = _stripe_transaction(intent_id if isinstance(intent_id, str) else None)
        if item is not None:
            charge = stripe_gateway.retrieve_charge(charge_id=str(obj.get("id")))
    with transaction.atomic():
        try:
            with transaction.atomic():
                StripeWebhookEvent.objects.create(
                    event_id=event.id,
                    type=event.type,
                    payload={"id": event.id, "type": event.type, "created": event.created, "data": {"object": obj}},
                )
        except IntegrityError:
            return WebhookOutcome.DUPLICATE
        if intent is not None and item is not None:
            failure = ""
            if event.type == "payment_intent.payment_failed":
                error = obj.get("last_payment_error") or {}
                failure = (error.get("message") if isinstance(error, dict) else None) or "The payment failed."
            apply_payment_intent(transaction=item, intent=intent, failure_message=failure)
            return WebhookOutcome.APPLIED
        if charge is not None and item is not None:
            _apply_refunded_total(item, refunded=charge.amount_refunded, psp_reference=charge.id)
            return WebhookOutcome.APPLIED
    if event.type in PAYMENT_INTENT_EVENTS or event.type == "charge.refunded":
        logger.info("Stripe event %s (%s) is about no transaction of ours", event.id, event.type)
        return WebhookOutcome.UNKNOWN_REFERENCE
    return WebhookOutcome.IGNORED


def _stripe_transaction(psp_reference: str | None) -> TransactionItem | None:
    if not psp_reference:
        return None
    return TransactionItem.objects.filter(gateway=Gateway.STRIPE, psp_reference=psp_reference).first()


def _apply_refunded_total(item: TransactionItem, *, refunded: int, psp_reference: str) -> TransactionEvent | None:
    """Stripe says `refunded` of this payment was given back in all (a refund from the dashboard, say)."""
    with transaction.atomic():
        item = TransactionItem.objects.select_for_update().get(pk=item.pk)
        refunded = min(refunded, item.charged_amount)
        if refunded <= item.refunded_amount:
            return None
        delta = refunded - item.refunded_amount
        item.refunded_amount = refunded
        item.message = "Refunded."
        item.save(update_fields=["refunded_amount", "message", "modified_at"])
        event = TransactionEvent.objects.create(
            transaction=item, type=TransactionEventType.REFUND_SUCCESS, amount=delta, psp_reference=psp_reference
        )
        _refresh_order_totals(item, event=OrderEventType.PAYMENT_REFUNDED, amount=delta)
    return event


def _refresh_order_totals(item: TransactionItem, *, event: OrderEventType | None, amount: int) -> None:
    """A transaction that belongs to an order moves the order's payment totals (a checkout's has none yet)."""
    order = item.order if item.order_id else None
    if order is not None:
        order_totals_refresh(order=order, event=event, amount=amount)


# --- refunds ---


def order_refund(*, order: Order) -> Order:
    """Give back every card (or test) payment of the order that is not refunded yet, and owe the buyer what its
    bank transfers brought (an operator pays it back: `payments.transfers`); safe to run again.

    Each transaction is refunded with the key `refund-<token>-<charged>`, so a repeated run (or a retry
    after a crash between Stripe's answer and our write) never refunds twice. A refusal is recorded as a
    REFUND_FAILURE event; when Stripe was unreachable the GatewayError is raised after the others were
    tried, so that the task retries.
    """
    transfer_refunds_owe(order=order, reason="The order was cancelled.")
    unavailable: GatewayError | None = None
    refunded_now = 0
    for item in TransactionItem.objects.filter(order=order, gateway__in=Gateway.moving_money()).order_by("created_at"):
        delta, error = _refund_transaction(item, what=f"order #{order.number}")
        refunded_now += delta
        unavailable = unavailable or error
    if refunded_now:
        order = order_totals_refresh(order=order, event=OrderEventType.PAYMENT_REFUNDED, amount=refunded_now)
    if unavailable is not None:
        raise unavailable
    return order


def transactions_release(*, items: list[TransactionItem], reason: str) -> int:
    """Give back what payments that became no order hold: each charge refunded in full, each authorization
    canceled, each transfer owed back to the buyer (a checkout paid but refused at completion, a payment whose
    checkout is gone). Safe to run again
    (the same refund keys as `order_refund`). Returns the đồng given back or released; raises the GatewayError
    after trying them all when the provider was unreachable, so that the caller tries again later."""
    unavailable: GatewayError | None = None
    released = 0
    for item in items:
        if item.gateway == Gateway.VIETQR:  # an operator transfers it back (payments.transfers)
            released += transfer_refund_owe(item=item, reason=reason.capitalize() + ".")
            continue
        if item.gateway not in Gateway.moving_money():
            continue
        delta, error = _refund_transaction(item, what=reason)
        released += delta
        unavailable = unavailable or error
        if item.authorized_amount > 0:
            try:
                released += _cancel_authorization(item)
            except GatewayError as cancel_error:
                logger.error("Releasing the authorization of transaction %s failed: %s", item.pk, cancel_error.message)
                if cancel_error.retryable:
                    unavailable = unavailable or cancel_error
    if unavailable is not None:
        raise unavailable
    return released


def _refund_transaction(item: TransactionItem, *, what: str) -> tuple[int, GatewayError | None]:
    """Refund what the transaction charged and nobody gave back yet: (đồng recorded as refunded now, the
    error when the provider was unreachable)."""
    outstanding = item.charged_amount - item.refunded_amount
    gateway = gateway_by_id(item.gateway)
    if outstanding <= 0 or gateway is None:
        return 0, None
    key = f"refund-{item.token}-{item.charged_amount}"
    try:
        result = gateway.refund(psp_reference=item.psp_reference, amount=outstanding, idempotency_key=key)
    except GatewayError as error:
        TransactionEvent.objects.create(
            transaction=item,
            type=TransactionEventType.REFUND_FAILURE,
            amount=outstanding,
            psp_reference=item.psp_reference,
            message=error.message[:512],
            idempotency_key=key,
        )
        logger.error("Refund of %s, transaction %s failed: %s", what, item.pk, error.message)
        return 0, error if error.retryable else None
    with transaction.atomic():
        item = TransactionItem.objects.select_for_update().get(pk=item.pk)
        if TransactionEvent.objects.filter(transaction=item, psp_reference=result.psp_reference).exists():
            return 0, None  # recorded already (a replayed refund)
        delta = min(result.amount, item.charged_amount - item.refunded_amount)
        item.refunded_amount += delta
        item.message = "Refunded." if result.succeeded else "Refund pending."
        item.save(update_fields=["refunded_amount", "message", "modified_at"])
        TransactionEvent.objects.create(
            transaction=item,
            type=TransactionEventType.REFUND_SUCCESS if result.succeeded else TransactionEventType.REFUND_REQUEST,
            amount=result.amount,
            psp_reference=result.psp_reference,
            idempotency_key=key,
        )
    return delta, None


def _cancel_authorization(item: TransactionItem) -> int:
    """Release money held and not taken (a manual-capture payment); returns the đồng released."""
    gateway = gateway_by_id(item.gateway)
    if gateway is None:
        return 0
    state = gateway.cancel(psp_reference=item.psp_reference, amount=item.authorized_amount)
    held = item.authorized_amount
    _apply_state(item, state)
    return held


# --- cash ---


def order_hand_over_with_cash(*, outlet: Outlet, code: str, by_user: User, cash_amount: int | None) -> Order:
    """The pickup counter: the order behind `code` is handed over, after the cash still due is taken.

    When something is due, `cash_amount` is what the buyer handed over: at least that (CASH_AMOUNT_MISMATCH
    otherwise, and nothing is recorded; the rest is given back as change, `cash_change`); what was due is recorded
    as a charge by `by_user`, then the goods are handed over, in one database transaction.
    """
    with transaction.atomic():
        order = order_for_pickup_code(code=code, outlet=outlet, by_user=by_user)
        order = Order.objects.select_for_update(of=("self",)).get(pk=order.pk)
        due = order.amount_due
        if due > 0:
            _check_cash_received(order, cash_amount=cash_amount, due=due)
            order = _record_cash(order, by_user=by_user, amount=due)
        return order_hand_over(order=order, by_user=by_user)


def cash_change(*, due: int, cash_amount: int | None) -> int:
    """What the counter gives back when the buyer hands over `cash_amount` for `due`."""
    return max((cash_amount or 0) - due, 0)


def _check_cash_received(order: Order, *, cash_amount: int | None, due: int) -> None:
    """The buyer handed over at least what is due (the counter gives the change)."""
    if isinstance(cash_amount, bool) or cash_amount is None or cash_amount < due:
        entered = "nothing" if cash_amount is None else _dong(int(cash_amount))
        raise DomainError(
            f"{_dong(due)} are due on order #{order.number}; {entered} was handed over.",
            code=OrderErrorCode.CASH_AMOUNT_MISMATCH,
            field="cashAmount",
        )


def order_record_cash_on_delivery(*, order: Order, by_user: User, cash_amount: int) -> Order:
    """An operator records the cash the courier collected for a shipped cash order (before marking it delivered)."""
    if not (by_user.is_superuser or by_user.role == Role.OPERATOR):
        raise PermissionDenied("Only operators record cash collected on delivery.")
    with transaction.atomic():
        order = Order.objects.select_for_update(of=("self",)).get(pk=order.pk)
        if order.payment_method != PaymentMethod.CASH or order.status not in (
            OrderStatus.SHIPPED,
            OrderStatus.DELIVERED,
        ):
            raise DomainError(
                f"Order #{order.number} is not a shipped cash order.", code=OrderErrorCode.INVALID, field="id"
            )
        due = order.amount_due
        if due <= 0:
            raise DomainError(
                f"Nothing is due on order #{order.number}.", code=OrderErrorCode.INVALID, field="cashAmount"
            )
        _check_cash_amount(order, cash_amount=cash_amount, due=due)
        return _record_cash(order, by_user=by_user, amount=due)


def _check_cash_amount(order: Order, *, cash_amount: int | None, due: int) -> None:
    if cash_amount != due or isinstance(cash_amount, bool):
        entered = "nothing" if cash_amount is None else _dong(cash_amount)
        raise DomainError(
            f"{_dong(due)} are due on order #{order.number}; {entered} was entered.",
            code=OrderErrorCode.CASH_AMOUNT_MISMATCH,
            field="cashAmount",
        )


def _dong(amount: int) -> str:
    return f"{amount:,} đồng".replace(",", ".")


def _record_cash(order: Order, *, by_user: User, amount: int) -> Order:
    """A cash charge on the order's cash transaction (the buyer's promise made at checkout, or a new one)."""
    item = (
        TransactionItem.objects.select_for_update()
        .filter(order=order, gateway=Gateway.CASH)
        .order_by("created_at")
        .first()
    )
    if item is None:
        item = TransactionItem.objects.create(
            gateway=Gateway.CASH, order=order, currency=order.currency, amount_requested=amount
        )
    item.charged_amount += amount
    item.status = "paid"
    item.message = "Cash received."
    item.save(update_fields=["charged_amount", "status", "message", "modified_at"])
    TransactionEvent.objects.create(
        transaction=item,
        type=TransactionEventType.CHARGE_SUCCESS,
        amount=amount,
        message="Cash received.",
        created_by=by_user,
    )
    return order_totals_refresh(order=order, event=OrderEventType.CASH_RECEIVED, amount=amount, by_user=by_user)
