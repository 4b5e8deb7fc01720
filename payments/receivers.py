"""What payments does when the domain announces something (connected in PaymentsConfig.ready)."""

from __future__ import annotations

from typing import Any

from django.db import transaction


def refund_canceled_order(sender: Any, *, order_id: Any, **kwargs: Any) -> None:
    """`order_canceled`: queue the refund of the order's card payments, once the cancel is committed."""
    from payments.tasks import refund_order_task

    transaction.on_commit(lambda: refund_order_task.delay(str(order_id)))
