"""The buyer hears of their order: each signal writes its e-mail task into the outbox, in the transaction of the
change (see `marketplace.outbox`). An account whose e-mail address is proven gets the guest orders placed under it."""

import uuid
from typing import Any

from django.dispatch import receiver

from marketplace.accounts.models import User
from marketplace.accounts.signals import email_confirmed
from marketplace.orders.models import Order, PaymentMethod
from marketplace.orders.services import orders_attach_to_account
from marketplace.orders.signals import order_canceled, order_confirmed, order_placed, order_ready_for_pickup
from marketplace.orders.tasks import (
    send_order_canceled_task,
    send_order_confirmation_task,
    send_outlet_order_paid_task,
    send_payment_received_task,
    send_ready_for_pickup_task,
)
from marketplace.outbox.services import enqueue


@receiver(order_placed, sender=Order, dispatch_uid="orders.email_on_placed")
def email_on_placed(*, order_id: uuid.UUID, **kwargs: Any) -> None:
    enqueue(send_order_confirmation_task, str(order_id))


@receiver(order_confirmed, sender=Order, dispatch_uid="orders.email_on_transfer_received")
def email_on_transfer_received(*, order_id: uuid.UUID, **kwargs: Any) -> None:
    """A transfer paid the order: the buyer hears it (a card's buyer saw it on the page as they paid), and so does
    the outlet that prepares it for pickup, when it has an address."""
    transfer_orders = Order.objects.filter(payment_method=PaymentMethod.TRANSFER).select_related("collection_point")
    paid = transfer_orders.filter(pk=order_id).first()
    if paid is None:
        return
    enqueue(send_payment_received_task, str(order_id))
    if paid.collection_point is not None and paid.collection_point.email:
        enqueue(send_outlet_order_paid_task, str(order_id))


@receiver(order_ready_for_pickup, sender=Order, dispatch_uid="orders.email_on_ready")
def email_on_ready(*, order_id: uuid.UUID, **kwargs: Any) -> None:
    enqueue(send_ready_for_pickup_task, str(order_id))


@receiver(order_canceled, sender=Order, dispatch_uid="orders.email_on_canceled")
def email_on_canceled(*, order_id: uuid.UUID, reason: str = "", **kwargs: Any) -> None:
    enqueue(send_order_canceled_task, str(order_id), reason)


@receiver(email_confirmed, sender=User, dispatch_uid="orders.attach_guest_orders")
def attach_guest_orders(*, user: User, **kwargs: Any) -> None:
    orders_attach_to_account(user=user)
