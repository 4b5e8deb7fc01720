"""Reads of payments: a transaction by its token, and what transactions cover."""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from payments.models import Gateway, TransactionItem


def transaction_by_token(*, token: uuid.UUID) -> TransactionItem | None:
    return TransactionItem.objects.filter(pk=token).first()


def payment_totals(transactions: Iterable[TransactionItem]) -> tuple[int, int]:
    """(authorized, charged net of refunds) of card (and test) transactions; cash promises cover nothing until
    paid."""
    authorized = charged = 0
    for item in transactions:
        if item.gateway in Gateway.moving_money() or item.charged_amount:
            authorized += item.authorized_amount
            charged += item.charged_amount - item.refunded_amount
    return authorized, charged
