"""What the rest of the system can listen to about orders, without the domain importing it.

Each is sent on commit with `order_id`: payments refunds on `order_canceled`, e-mails go out on
`order_placed` and `order_ready_for_pickup`.
"""

from django.dispatch import Signal

order_placed = Signal()  # kwargs: order_id
order_ready_for_pickup = Signal()  # kwargs: order_id
order_canceled = Signal()  # kwargs: order_id, reason
