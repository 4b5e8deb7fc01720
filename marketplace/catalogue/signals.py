"""What the rest of the system can listen to without the domain importing it.

`products_changed` is sent (on commit) with the ids of products whose registry data,
certification, listing, prices or stock changed, e.g. so that search reindexes them.
Bulk writes (the registry sync) send it once per page.
"""

from django.dispatch import Signal

products_changed = Signal()  # kwargs: product_ids: list[int]
