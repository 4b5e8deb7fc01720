"""Celery tasks of payments: they take ids, call a service, and can run twice without harm."""

from __future__ import annotations

from celery import shared_task

from marketplace.counter.services import counter_transfers_cancel_unpaid
from marketplace.orders.models import Order
from payments.gateways import GatewayError
from payments.reconciliation import reconcile_payments
from payments.services import order_refund
from payments.transfers import transfers_cancel_unpaid

REFUND_MAX_RETRIES = 8  # with backoff: about 1, 2, 4 … 10 minutes apart, some 40 minutes in all


@shared_task(
    autoretry_for=(GatewayError,),
    retry_backoff=60,
    retry_backoff_max=600,
    retry_jitter=True,
    max_retries=REFUND_MAX_RETRIES,
)
def refund_order_task(order_id: str) -> None:
    """Refund a canceled order's card payments. Stripe unreachable: each failure is recorded, then retried."""
    order = Order.objects.filter(pk=order_id).first()
    if order is None:
        return
    order_refund(order=order)


@shared_task
def reconcile_payments_task() -> None:
    """Celery beat, every minute: settle what a lost webhook or a crash left (payments.reconciliation)."""
    reconcile_payments()


@shared_task
def cancel_unpaid_transfers_task() -> list[int]:
    """Celery beat, every 5 minutes: orders whose transfer did not come within the hold are cancelled
    (payments.transfers.transfers_cancel_unpaid), and so are VietQR sales at the counter whose buyer did not
    transfer (counter.services.counter_transfers_cancel_unpaid); the orders' ids."""
    counter_transfers_cancel_unpaid()
    return transfers_cancel_unpaid()
