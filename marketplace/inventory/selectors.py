from collections.abc import Iterable

from django.db.models import F, Sum

from marketplace.inventory.models import Stock


def quantities_available(*, variant_ids: Iterable[int]) -> dict[int, int]:
    """Per variant, what the active outlets hold and have not promised to orders."""
    rows = (
        Stock.objects.filter(variant_id__in=variant_ids, outlet__is_active=True)
        .values("variant_id")
        .annotate(available=Sum(F("quantity") - F("quantity_allocated")))
    )
    return {row["variant_id"]: max(row["available"] or 0, 0) for row in rows}
