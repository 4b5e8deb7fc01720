"""What payments does when the domain announces something (connected in PaymentsConfig.ready)."""

from __future__ import annotations

from typing import Any

from marketplace.outbox.services import enqueue


def refund_canceled_order(sender: Any, *, order_id: Any, **kwargs: Any) -> None:
    """`order_canceled` (sent in the cancel's transaction): the refund of the order's card payments goes into the
    outbox with the cancel, and runs once it is committed."""
    from payments.tasks import refund_order_task

    enqueue(refund_order_task, str(order_id))
