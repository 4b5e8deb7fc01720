"""Reads of orders: querysets with what their callers (e-mails, scheduled jobs) need already joined."""

import datetime
import uuid
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from marketplace.orders.models import Order, OrderEvent, OrderEventType, OrderStatus

__all__ = [
    "order_counts_by_status",
    "order_email_sent",
    "order_get_for_email",
    "orders_due_for_reminder",
    "orders_past_collection",
]


def order_get_for_email(*, order_id: uuid.UUID | str) -> Order | None:
    """The order with its collection point, addresses, shipping method and lines; None if it is gone."""
    return (
        Order.objects.select_related("collection_point", "shipping_address", "billing_address", "shipping_method")
        .prefetch_related("lines")
        .filter(pk=order_id)
        .first()
    )


def order_email_sent(*, order: Order, kind: str, since: datetime.datetime | None = None) -> bool:
    """Whether an e-mail of `kind` was recorded as sent for `order` (at or after `since`, if given)."""
    events = OrderEvent.objects.filter(order=order, type=OrderEventType.EMAIL_SENT, parameters__email=kind)
    if since is not None:
        events = events.filter(date__gte=since)
    return events.exists()


def orders_due_for_reminder(*, today: datetime.date) -> QuerySet[Order]:
    """Orders waiting at an outlet whose last day to collect is tomorrow, not reminded yet.

    Orders that became ready today are left out: the "ready" e-mail went out hours ago and says
    the same thing.
    """
    start_of_today = timezone.make_aware(datetime.datetime.combine(today, datetime.time.min))
    return (
        Order.objects.filter(
            status=OrderStatus.READY_FOR_PICKUP,
            collect_by=today + datetime.timedelta(days=1),
            reminder_sent_at__isnull=True,
        )
        .filter(Q(ready_at__isnull=True) | Q(ready_at__lt=start_of_today))
        .order_by("number")
    )


def orders_past_collection(*, today: datetime.date) -> QuerySet[Order]:
    """Orders still waiting at an outlet after their last day to collect."""
    return Order.objects.filter(status=OrderStatus.READY_FOR_PICKUP, collect_by__lt=today).order_by("number")


def order_counts_by_status() -> dict[str, int]:
    """How many orders stand at each stage (`Order.status`), every stage present, for the metrics."""
    counts = {status: 0 for status in OrderStatus.values}
    for row in Order.objects.values("status").annotate(n=Count("pk")).order_by():
        counts[row["status"]] = row["n"]
    return counts


def orders_of_user(*, user: Any) -> QuerySet[Order]:
    """A signed-in buyer's orders, newest first, with where they are collected (the API's `me.orders` and the
    pages' "my orders" alike)."""
    return (
        Order.objects.filter(user=user)
        .select_related("channel", "collection_point", "shipping_method")
        .order_by("-number")
    )
