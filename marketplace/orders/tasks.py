"""Order e-mails and the daily pickup jobs. Tasks take ids, and running one twice does no harm.

- The confirmation, "ready" and "cancelled" e-mails are skipped when the order is no longer in the
  state they describe, or when the same e-mail was already recorded as sent for this state (an
  EMAIL_SENT event since `ready_at` / `canceled_at`). Two copies of the same task racing each
  other can still both send: acceptable for these.
- The reminder is sent at most once: `reminder_sent_at` is claimed with a conditional UPDATE
  before sending, and released again only if the e-mail backend refused the message, so that
  the retry can send it.
- Expiry cancels through `services.order_cancel`, which returns the stock and refunds; one
  order's failure is logged and does not stop the others, and the next hourly run tries again.
"""

import logging
import uuid

from celery import shared_task
from django.utils import timezone

from marketplace.core.dates import local_today
from marketplace.orders import emails, selectors
from marketplace.orders.models import Order, OrderStatus

logger = logging.getLogger(__name__)

# A refused or unreachable mail server is worth retrying: after about 1, 2, 4 … minutes, up to an hour apart.
_EMAIL_RETRIES = {
    "autoretry_for": (emails.EmailDeliveryError,),
    "retry_backoff": 60,
    "retry_backoff_max": 60 * 60,
    "retry_jitter": True,
    "max_retries": 8,
}

NOT_COLLECTED = "not_collected"


@shared_task(**_EMAIL_RETRIES)
def send_order_confirmation_task(order_id: uuid.UUID | str) -> None:
    order = selectors.order_get_for_email(order_id=order_id)
    if order is None or order.status == OrderStatus.CANCELED:
        logger.info("order %s is gone or cancelled: no confirmation", order_id)
        return
    if selectors.order_email_sent(order=order, kind=emails.EmailKind.ORDER_CONFIRMATION):
        return
    emails.send_order_confirmation(order)


@shared_task(**_EMAIL_RETRIES)
def send_ready_for_pickup_task(order_id: uuid.UUID | str) -> None:
    order = selectors.order_get_for_email(order_id=order_id)
    if order is None or order.status != OrderStatus.READY_FOR_PICKUP:
        logger.info("order %s is not waiting for pickup: no ready e-mail", order_id)
        return
    if selectors.order_email_sent(order=order, kind=emails.EmailKind.READY_FOR_PICKUP, since=order.ready_at):
        return
    emails.send_ready_for_pickup(order)


@shared_task(**_EMAIL_RETRIES)
def send_payment_received_task(order_id: uuid.UUID | str) -> None:
    order = selectors.order_get_for_email(order_id=order_id)
    if order is None or order.status in (OrderStatus.UNCONFIRMED, OrderStatus.CANCELED):
        logger.info("order %s is not paid and standing: no payment e-mail", order_id)
        return
    if selectors.order_email_sent(order=order, kind=emails.EmailKind.PAYMENT_RECEIVED):
        return
    emails.send_payment_received(order)


@shared_task(**_EMAIL_RETRIES)
def send_outlet_order_paid_task(order_id: uuid.UUID | str) -> None:
    order = selectors.order_get_for_email(order_id=order_id)
    if order is None or order.status != OrderStatus.UNFULFILLED:
        return
    if selectors.order_email_sent(order=order, kind=emails.EmailKind.OUTLET_ORDER_PAID):
        return
    emails.send_outlet_order_paid(order)


@shared_task(**_EMAIL_RETRIES)
def send_order_canceled_task(order_id: uuid.UUID | str, reason: str) -> None:
    order = selectors.order_get_for_email(order_id=order_id)
    if order is None or order.status != OrderStatus.CANCELED:
        logger.info("order %s is not cancelled: no cancellation e-mail", order_id)
        return
    if selectors.order_email_sent(order=order, kind=emails.EmailKind.ORDER_CANCELED, since=order.canceled_at):
        return
    emails.send_order_canceled(order, reason)


@shared_task(**_EMAIL_RETRIES)
def send_pickup_reminder_task(order_id: uuid.UUID | str) -> None:
    """One order's reminder, sent at most once (see the module's docstring)."""
    claimed_at = timezone.now()
    # The claim is the one write a task makes itself: a single conditional UPDATE, nothing to validate.
    claimed = Order.objects.filter(
        pk=order_id, status=OrderStatus.READY_FOR_PICKUP, reminder_sent_at__isnull=True
    ).update(reminder_sent_at=claimed_at)
    if not claimed:
        return
    order = selectors.order_get_for_email(order_id=order_id)
    if order is None:
        return
    try:
        emails.send_pickup_reminder(order)
    except emails.EmailDeliveryError:
        Order.objects.filter(pk=order_id, reminder_sent_at=claimed_at).update(reminder_sent_at=None)
        raise


@shared_task
def send_pickup_reminders_task() -> dict[str, int]:
    """Daily at 09:00 in Asia/Ho_Chi_Minh: a reminder job in the outbox for each order whose last day to collect
    is tomorrow (one pending per order, however often this runs)."""
    from marketplace.outbox.services import enqueue

    order_ids = list(selectors.orders_due_for_reminder(today=local_today()).values_list("pk", flat=True))
    queued = 0
    for order_id in order_ids:
        enqueue(send_pickup_reminder_task, str(order_id), outbox_key=f"pickup-reminder:{order_id}")
        queued += 1
    logger.info("pickup reminders: %s due, %s queued", len(order_ids), queued)
    return {"due": len(order_ids), "queued": queued}


@shared_task
def expire_uncollected_orders_task() -> dict[str, int]:
    """Hourly at :15: cancel (and refund) the orders still waiting at an outlet after their last day to collect."""
    # Imported here: services queues these tasks, and this task must not stop the others loading.
    from marketplace.orders import services

    orders = list(selectors.orders_past_collection(today=local_today()))
    expired = failed = 0
    for order in orders:
        try:
            services.order_cancel(order=order, by_user=None, reason=NOT_COLLECTED)
        except Exception:
            failed += 1
            logger.exception("could not expire order %s (last day to collect was %s)", order, order.collect_by)
        else:
            expired += 1
    if orders:
        logger.info("uncollected orders: %s expired, %s failed", expired, failed)
    return {"expired": expired, "failed": failed}
