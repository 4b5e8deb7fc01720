"""Reads of payments: a transaction by its token, what transactions cover, how many stand where."""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from django.db.models import Count

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


def transaction_counts_by_status() -> dict[tuple[str, str], int]:
    """How many payment transactions there are by (gateway, the provider's last status), for the metrics."""
    rows = TransactionItem.objects.values("gateway", "status").annotate(n=Count("pk")).order_by()
    return {(row["gateway"], row["status"] or "none"): row["n"] for row in rows}
