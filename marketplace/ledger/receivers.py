"""The ledger listens to the orders and the counter: a fulfilment handed over or shipped posts its sale, a walk-in
sale posts its producers' shares, a refund reverses the order's sales by what was given back. Each runs inside the
transaction of the change, so the ledger commits or rolls back with what earned or returned the money."""

import uuid
from typing import Any

from django.dispatch import receiver

from marketplace.counter.models import CounterReturn, CounterSale
from marketplace.counter.signals import counter_return_completed, counter_sale_completed
from marketplace.ledger.services import (
    counter_return_post,
    counter_sale_post,
    fulfillments_sale_post,
    order_refunds_reconcile,
)
from marketplace.orders.models import Order
from marketplace.orders.signals import fulfillments_handed_over, order_refunded


@receiver(fulfillments_handed_over, sender=Order, dispatch_uid="ledger.sale_on_handed_over")
def sale_on_handed_over(*, order_id: uuid.UUID, fulfillment_ids: list[int], **kwargs: Any) -> None:
    fulfillments_sale_post(order_id=order_id, fulfillment_ids=fulfillment_ids)


@receiver(order_refunded, sender=Order, dispatch_uid="ledger.reverse_on_refunded")
def reverse_on_refunded(*, order_id: uuid.UUID, **kwargs: Any) -> None:
    order_refunds_reconcile(order=Order.objects.get(pk=order_id))


@receiver(counter_sale_completed, sender=CounterSale, dispatch_uid="ledger.sale_at_the_counter")
def sale_at_the_counter(*, sale_id: int, **kwargs: Any) -> None:
    counter_sale_post(sale_id=sale_id)


@receiver(counter_return_completed, sender=CounterReturn, dispatch_uid="ledger.return_at_the_counter")
def return_at_the_counter(*, return_id: int, **kwargs: Any) -> None:
    counter_return_post(return_id=return_id)
