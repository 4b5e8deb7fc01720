"""Completing a checkout with what was paid for it: the bridge between transactions and the order.

The domain (`marketplace.checkout.complete`) decides whether the payments cover the checkout and
writes the order; this module says what was paid (from the checkout's transactions), and moves the
transactions onto the order, in the same database transaction.
"""

from __future__ import annotations

import uuid

from django.db import transaction
from django.db.models import Sum

from marketplace.accounts.models import User
from marketplace.checkout.complete import PaymentSummary, complete_checkout, lock_checkout
from marketplace.checkout.error_codes import CheckoutErrorCode
from marketplace.core.errors import DomainError
from marketplace.orders.models import Order, PaymentMethod
from marketplace.orders.services import order_payment_update
from payments.models import Gateway, TransactionItem


def checkout_payment_summary(*, checkout_id: uuid.UUID) -> PaymentSummary | None:
    """Card payments that cover money, or the buyer's choice of cash; None when nothing was chosen."""
    transactions = TransactionItem.objects.filter(checkout_id=checkout_id)
    card = transactions.filter(gateway=Gateway.STRIPE).aggregate(
        authorized=Sum("authorized_amount"), charged=Sum("charged_amount"), refunded=Sum("refunded_amount")
    )
    authorized, charged = card["authorized"] or 0, (card["charged"] or 0) - (card["refunded"] or 0)
    if authorized or charged > 0:
        return PaymentSummary(method=PaymentMethod.CARD, authorized=authorized, charged=max(charged, 0))
    if transactions.filter(gateway=Gateway.CASH).exists():
        return PaymentSummary(method=PaymentMethod.CASH)
    return None


def checkout_complete(*, token: uuid.UUID, user: User | None) -> Order:
    """The order the checkout becomes (or already became), with the checkout's transactions on it."""
    with transaction.atomic():
        checkout = lock_checkout(token)
        if checkout is None:
            order = Order.objects.filter(checkout_token=token).first()
            if order is not None:
                return order
            raise DomainError("Couldn't find this checkout.", code=CheckoutErrorCode.NOT_FOUND, field="id")
        payment = checkout_payment_summary(checkout_id=checkout.pk)
        if payment is None:
            raise DomainError(
                "Pay by card or choose cash at pickup before placing the order.",
                code=CheckoutErrorCode.CHECKOUT_NOT_FULLY_PAID,
                field="id",
            )
        transaction_ids = list(TransactionItem.objects.filter(checkout_id=token).values_list("pk", flat=True))
        order = complete_checkout(checkout=checkout, payment=payment, user=user)  # deletes the checkout
        TransactionItem.objects.filter(pk__in=transaction_ids).update(order=order, checkout=None)
        order = order_totals_refresh(order=order)
    return order


def order_totals_refresh(*, order: Order, event=None, amount: int = 0) -> Order:
    """Recomputes the order's payment totals from its transactions."""
    totals = TransactionItem.objects.filter(order=order).aggregate(
        authorized=Sum("authorized_amount"), charged=Sum("charged_amount"), refunded=Sum("refunded_amount")
    )
    return order_payment_update(
        order=order,
        authorized=totals["authorized"] or 0,
        charged=totals["charged"] or 0,
        refunded=totals["refunded"] or 0,
        event=event,
        amount=amount,
    )
