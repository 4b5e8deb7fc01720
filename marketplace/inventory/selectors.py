from collections.abc import Iterable

from django.db.models import F, Sum

from marketplace.core.db import AnyOf
from marketplace.core.statements import Statement
from marketplace.inventory.models import Stock

_AVAILABLE = Statement(
    lambda variant_ids: (
        Stock.objects.filter(AnyOf("variant_id", variant_ids), outlet__is_active=True)
        .values("variant_id")
        .annotate(available=Sum(F("quantity") - F("quantity_allocated")))
        .order_by()
    )
)


def quantities_available(*, variant_ids: Iterable[int]) -> dict[int, int]:
    """Per variant, what the active outlets hold and have not promised to orders."""
    rows = _AVAILABLE(variant_ids=list(variant_ids))
    return {row["variant_id"]: max(row["available"] or 0, 0) for row in rows}
