"""What the rest of the system can listen to about the counter, sent inside the transaction of the change (see
`marketplace.orders.signals`): the payout ledger posts a walk-in sale's producers' shares on
`counter_sale_completed` and reverses them on `counter_return_completed`."""

from django.dispatch import Signal

counter_sale_completed = Signal()  # kwargs: sale_id
counter_return_completed = Signal()  # kwargs: return_id
