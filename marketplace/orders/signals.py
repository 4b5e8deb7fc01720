"""What the rest of the system can listen to about orders, without the domain importing it.

Each is sent with `order_id` inside the transaction that makes the change, so a receiver's writes
(outbox jobs: `marketplace.outbox.services.enqueue`) commit or roll back with it; a receiver must not
reach outside the database. Payments refunds on `order_canceled`, e-mails go out on `order_placed`,
`order_confirmed` (a transfer received), `order_ready_for_pickup` and `order_canceled`. The payout ledger
(`marketplace.ledger.receivers`) posts a fulfilment's sale on `fulfillments_handed_over` and reverses sales on
`order_refunded`, in the same transaction.
"""

from django.dispatch import Signal

order_placed = Signal()  # kwargs: order_id
order_confirmed = Signal()  # kwargs: order_id; an order placed unconfirmed is paid in full (a card, a transfer)
order_ready_for_pickup = Signal()  # kwargs: order_id
order_canceled = Signal()  # kwargs: order_id, reason
fulfillments_handed_over = Signal()  # kwargs: order_id, fulfillment_ids (goods handed over at the counter or shipped)
order_refunded = Signal()  # kwargs: order_id, refunded_before, refunded_after (the order's refunded total grew)
