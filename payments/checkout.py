"""Completing a checkout with what was paid for it: the bridge between transactions and the order.

The domain (`marketplace.checkout.complete`) decides whether the payments cover the checkout and
writes the order; this module says what was paid (from the checkout's transactions), and moves the
transactions onto the order, in the same database transaction.
"""

from __future__ import annotations

import uuid
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.db.models import Sum

from marketplace.accounts.models import User
from marketplace.checkout.complete import PaymentSummary, place_order
from marketplace.checkout.error_codes import CheckoutErrorCode
from marketplace.checkout.selectors import checkout_locked
from marketplace.core.errors import DomainError
from marketplace.ledger.fees import gateway_fee
from marketplace.ledger.services import gateway_fee_post_for_payment
from marketplace.orders.models import Order, OrderEventType, PaymentMethod
from marketplace.orders.services import order_payment_update
from marketplace.orders.transfer_reference import PREFIX
from payments.models import Gateway, TransactionEvent, TransactionEventType, TransactionItem

_AMOUNTS = ("pk", "gateway", "authorized_amount", "charged_amount", "refunded_amount", "psp_reference")


def _summary(rows: list[tuple]) -> PaymentSummary | None:
    """Card payments (or test payments, which stand for them) that cover money, or else the buyer's last choice of
    a bank transfer (with what the bank has credited, and the order number its reference carries) or cash (a
    transfer the bank has credited wins); None when nothing was chosen. From the checkout's transactions, given as
    (pk, gateway, authorized, charged, refunded, psp_reference) rows, oldest first."""
    card = [row for row in rows if row[1] in Gateway.moving_money()]
    authorized = sum(row[2] for row in card)
    charged = sum(row[3] for row in card) - sum(row[4] for row in card)
    if authorized or charged > 0:
        return PaymentSummary(method=PaymentMethod.CARD, authorized=authorized, charged=max(charged, 0))
    transfers = [row for row in rows if row[1] == Gateway.VIETQR]
    transferred = max(sum(row[3] - row[4] for row in transfers), 0)
    chosen = [row for row in rows if row[1] in (Gateway.VIETQR, Gateway.CASH)]
    if not chosen:
        return None
    if chosen[-1][1] == Gateway.VIETQR or transferred:  # the buyer's last choice, unless money came already
        return PaymentSummary(
            method=PaymentMethod.TRANSFER, charged=transferred, order_number=int(transfers[-1][5].removeprefix(PREFIX))
        )
    return PaymentSummary(method=PaymentMethod.CASH)


def checkout_complete(*, token: uuid.UUID, user: User | None) -> Order:
    """The order the checkout becomes (or already became), with the checkout's transactions on it.

    When the payments recorded do not cover the checkout but some card payment is still waiting for Stripe's
    word (the buyer paid in the browser and the webhook is late, or lost), those payments are read from Stripe,
    outside any lock, and completing is tried again. Stripe unreachable then: PAYMENT_ERROR, nothing placed, the
    checkout as it was (the reconciliation places the order later if the money was taken).
    """
    try:
        return checkout_complete_as_recorded(token=token, user=user)
    except DomainError as refusal:
        if not any(detail.code == CheckoutErrorCode.CHECKOUT_NOT_FULLY_PAID for detail in refusal.details):
            raise
        from payments.services import checkout_card_payments_refresh  # payments.services imports this module

        if not checkout_card_payments_refresh(checkout_token=token):
            raise
    return checkout_complete_as_recorded(token=token, user=user)


def checkout_complete_as_recorded(*, token: uuid.UUID, user: User | None) -> Order:
    """`checkout_complete` with the payments as recorded, never asking Stripe (the reconciliation, which has
    just read them, calls it under its own lock of the checkout)."""
    with transaction.atomic():
        checkout = checkout_locked(token=token)
        if checkout is None:
            order = Order.objects.filter(checkout_token=token).first()
            if order is not None:
                return order
            raise DomainError("Couldn't find this checkout.", code=CheckoutErrorCode.NOT_FOUND, field="id")
        # Locked until commit: a webhook changing one of them waits, then finds it on the order and refreshes it.
        rows = list(
            TransactionItem.objects.select_for_update()
            .filter(checkout_id=token)
            .order_by("created_at")
            .values_list(*_AMOUNTS)
        )
        payment = _summary(rows)
        if payment is None:
            raise DomainError(
                "Pay by card, or choose a bank transfer or cash, before placing the order.",
                code=CheckoutErrorCode.CHECKOUT_NOT_FULLY_PAID,
                field="id",
            )
        order, placed_now = place_order(checkout=checkout, payment=payment, user=user)  # deletes the checkout
        TransactionItem.objects.filter(pk__in=[row[0] for row in rows]).update(order=order, checkout=None)
        if not placed_now:
            return order_totals_refresh(order=order)
        # The order is new, so the transactions just moved are all it has, and their amounts are locked.
        order = order_payment_update(
            order=order,
            authorized=sum(row[2] for row in rows),
            charged=sum(row[3] for row in rows),
            refunded=sum(row[4] for row in rows),
            locked=True,
        )
        if any(row[3] for row in rows):
            gateway_fees_post(order=order)
    return order


def order_totals_refresh(
    *, order: Order, event: OrderEventType | None = None, amount: int = 0, by_user: User | None = None
) -> Order:
    """Recomputes the order's payment totals from its transactions (and records the gateways' fees on what they
    charged, in the payout ledger)."""
    totals = TransactionItem.objects.filter(order=order).aggregate(
        authorized=Sum("authorized_amount"), charged=Sum("charged_amount"), refunded=Sum("refunded_amount")
    )
    if totals["charged"]:
        gateway_fees_post(order=order)
    return order_payment_update(
        order=order,
        authorized=totals["authorized"] or 0,
        charged=totals["charged"] or 0,
        refunded=totals["refunded"] or 0,
        event=event,
        amount=amount,
        by_user=by_user,
    )


def gateway_fees_post(*, order: Order) -> int:
    """Each charge of the order's payments by a gateway that takes a fee (`OCOP_GATEWAY_FEES`) has its fee in the
    payout ledger: the platform's cost, never a producer's. One entry per charge event, so a charge is never
    charged a fee twice however often this runs; a refund leaves the fee where it is (Stripe keeps it). Returns
    the đồng newly recorded."""
    charging = [
        gateway for gateway, (percent, fixed) in settings.OCOP_GATEWAY_FEES.items() if Decimal(percent) or fixed
    ]
    if not charging:
        return 0
    recorded = 0
    charges = TransactionEvent.objects.filter(
        transaction__order=order, transaction__gateway__in=charging, type=TransactionEventType.CHARGE_SUCCESS
    ).values_list("pk", "transaction__gateway", "amount")
    for event_id, gateway, amount in charges:
        entry = gateway_fee_post_for_payment(order_id=order.pk, gateway=gateway, paid=amount, key=f"charge-{event_id}")
        if entry is not None:
            recorded += gateway_fee(gateway=gateway, amount=amount)
    return recorded
