"""The ledger listens to the orders: a fulfilment handed over or shipped posts its sale, a refund reverses the
order's sales by what was given back. Both run inside the order's transaction, so the ledger commits or rolls
back with the change that earned or returned the money."""

import uuid
from typing import Any

from django.dispatch import receiver

from marketplace.ledger.services import fulfillments_sale_post, order_refunds_reconcile
from marketplace.orders.models import Order
from marketplace.orders.signals import fulfillments_handed_over, order_refunded


@receiver(fulfillments_handed_over, sender=Order, dispatch_uid="ledger.sale_on_handed_over")
def sale_on_handed_over(*, order_id: uuid.UUID, fulfillment_ids: list[int], **kwargs: Any) -> None:
    fulfillments_sale_post(order_id=order_id, fulfillment_ids=fulfillment_ids)


@receiver(order_refunded, sender=Order, dispatch_uid="ledger.reverse_on_refunded")
def reverse_on_refunded(*, order_id: uuid.UUID, **kwargs: Any) -> None:
    order_refunds_reconcile(order=Order.objects.get(pk=order_id))
