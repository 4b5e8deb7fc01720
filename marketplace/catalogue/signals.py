"""What the rest of the system can listen to without the domain importing it.

`products_changed` is sent (on commit) with the ids of products whose registry data,
certification, listing, prices or stock changed, e.g. so that search reindexes them.
Bulk writes (the registry sync) send it once per page.
"""

from django.dispatch import Signal

products_changed = Signal()  # kwargs: product_ids: list[int]

# Sent inside the transaction that allocated, released or took stock for orders (checkout, pickup,
# shipping, cancellation): search re-reads those products' stock, within the same commit. Unlike
# `products_changed` it leaves the cached counts alone: stock is not part of what they count.
stock_changed = Signal()  # kwargs: product_ids: list[int]
