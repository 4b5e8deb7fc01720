"""Reads of payments: a checkout's transactions and what they cover."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Prefetch, QuerySet

from payments.models import Gateway, TransactionEvent, TransactionItem


def checkout_transactions(*, checkout_id) -> QuerySet[TransactionItem]:
    return TransactionItem.objects.filter(checkout_id=checkout_id).prefetch_related(
        Prefetch("events", queryset=TransactionEvent.objects.order_by("created_at", "id"))
    )


def transaction_by_token(*, token) -> TransactionItem | None:
    return TransactionItem.objects.filter(pk=token).first()


def payment_totals(transactions: Iterable[TransactionItem]) -> tuple[int, int]:
    """(authorized, charged net of refunds) of card transactions; cash promises cover nothing until paid."""
    authorized = charged = 0
    for item in transactions:
        if item.gateway == Gateway.STRIPE or item.charged_amount:
            authorized += item.authorized_amount
            charged += item.charged_amount - item.refunded_amount
    return authorized, charged
