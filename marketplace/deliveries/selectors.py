"""Reads of deliveries: an outlet's (scoped by the outlet's id), a cooperative's (scoped by the producer's id), what a
cooperative may deliver, and the lots whose best-before date is near."""

from __future__ import annotations

import dataclasses
import datetime

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet

from marketplace.catalogue.models import ProductVariant
from marketplace.catalogue.selectors import listed_products
from marketplace.deliveries.models import Delivery, DeliveryLine, DeliveryStatus, StockLot
from marketplace.deliveries.services import RECEIVING_KINDS
from marketplace.inventory.models import Stock
from marketplace.outlets.models import Outlet

VARIANT_RESULTS = 20


def _with_lines(deliveries: QuerySet[Delivery]) -> QuerySet[Delivery]:
    return deliveries.select_related("outlet", "producer").prefetch_related(
        Prefetch("lines", queryset=DeliveryLine.objects.order_by("pk"))
    )


def outlet_deliveries(*, outlet_id: int, status: DeliveryStatus | None = None) -> QuerySet[Delivery]:
    """The outlet's deliveries with their lines: announced ones by the day expected, others newest first."""
    rows = _with_lines(Delivery.objects.filter(outlet_id=outlet_id))
    if status is None:
        return rows
    rows = rows.filter(status=status)
    if status == DeliveryStatus.ANNOUNCED:
        return rows.order_by("expected_on", "pk")
    return rows.order_by("-received_at", "-pk") if status == DeliveryStatus.RECEIVED else rows


def outlet_delivery(*, outlet_id: int, delivery_id: int) -> Delivery | None:
    """One of the outlet's deliveries with its lines; None for another outlet's."""
    return _with_lines(Delivery.objects.filter(outlet_id=outlet_id, pk=delivery_id)).first()


def producer_deliveries(*, producer_id: int) -> QuerySet[Delivery]:
    """The cooperative's deliveries with their lines, newest first."""
    return _with_lines(Delivery.objects.filter(producer_id=producer_id)).order_by("-created_at", "-pk")


def producer_delivery(*, producer_id: int, delivery_id: int) -> Delivery | None:
    """One of the cooperative's deliveries with its lines; None for another cooperative's."""
    return _with_lines(Delivery.objects.filter(producer_id=producer_id, pk=delivery_id)).first()


def receiving_outlets() -> QuerySet[Outlet]:
    """The outlets a cooperative may deliver to: active showrooms and tourist-site outlets, by name."""
    return Outlet.objects.filter(is_active=True, kind__in=RECEIVING_KINDS).order_by("name", "pk")


def producer_deliverable_variants(*, producer_id: int, today: datetime.date) -> QuerySet[ProductVariant]:
    """The variants of the cooperative's products listed today, by product."""
    return (
        ProductVariant.objects.filter(product__in=listed_products(today=today).filter(producer_id=producer_id))
        .select_related("product")
        .order_by("product__name", "sort_order", "sku")
    )


def deliverable_variants(*, query: str, today: datetime.date, producer_id: int | None = None) -> list[ProductVariant]:
    """Variants of products listed today where every word of `query` is in the product's name (either language) or
    the variant's, or is the SKU; of one cooperative when `producer_id` is given."""
    words = query.split()[:5]
    if not words:
        return []
    rows = ProductVariant.objects.filter(product__in=listed_products(today=today).values("pk"))
    if producer_id is not None:
        rows = rows.filter(product__producer_id=producer_id)
    for word in words:
        rows = rows.filter(
            Q(product__name__icontains=word)
            | Q(product__name_en__icontains=word)
            | Q(name__icontains=word)
            | Q(sku__iexact=word)
        )
    return list(rows.select_related("product__producer").order_by("product__name", "sku")[:VARIANT_RESULTS])


def variants_by_id(*, variant_ids: list[int]) -> dict[int, ProductVariant]:
    """The variants of `variant_ids` that exist, with their product, by id (the rows a receipt form added)."""
    return ProductVariant.objects.select_related("product").in_bulk(variant_ids)


@dataclasses.dataclass(frozen=True)
class LotWarning:
    lot: StockLot
    days_left: int  # negative once the date has passed

    @property
    def expired(self) -> bool:
        return self.days_left < 0

    @property
    def days_ago(self) -> int:
        """How many days ago the date passed (0 while it has not)."""
        return max(-self.days_left, 0)


def best_before_warnings(*, outlet_id: int, today: datetime.date, days: int) -> list[LotWarning]:
    """Lots received at the outlet whose best-before date falls within `days` of `today` or has passed, while the
    outlet still holds some of the variant; soonest first. Lots are what was received: sales and counts do not draw
    them down, so a lot may be gone from the shelf while its variant is still stocked."""
    on_shelf = Stock.objects.filter(outlet_id=outlet_id, variant_id=OuterRef("variant_id"), quantity__gt=0)
    lots = (
        StockLot.objects.filter(outlet_id=outlet_id, best_before__lte=today + datetime.timedelta(days=days))
        .filter(Exists(on_shelf))
        .select_related("variant__product")
        .order_by("best_before", "pk")
    )
    return [LotWarning(lot=lot, days_left=(lot.best_before - today).days) for lot in lots]
