"""Reads for the outlet console, each scoped to one outlet: its pickup orders and its stock.

Every function takes the outlet's id and never returns another outlet's rows; the views pass
`web.access.own_outlet_id(request)`.
"""

from __future__ import annotations

import dataclasses
import datetime
import re
import uuid

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet, Sum

from marketplace.catalogue.models import ProductVariant
from marketplace.catalogue.selectors import listed_products, variant_price_in_channel
from marketplace.channel.selectors import default_channel
from marketplace.counter.models import CounterReturnLine, CounterSale
from marketplace.inventory.models import Stock
from marketplace.orders.models import (
    Fulfillment,
    FulfillmentLine,
    FulfillmentStatus,
    Order,
    OrderEvent,
    OrderLine,
    OrderStatus,
)
from marketplace.orders.pickup import normalise_pickup_code

__all__ = [
    "counter_basket",
    "counter_offers",
    "counter_returned",
    "counter_sale",
    "outlet_order",
    "outlet_orders",
    "outlet_orders_overdue",
    "outlet_orders_ready",
    "outlet_orders_to_prepare",
    "outlet_stock",
    "pickup_code_order",
]


def outlet_orders(*, outlet_id: int) -> QuerySet[Order]:
    """Every order collected at the outlet, whatever its status."""
    return Order.objects.filter(collection_point_id=outlet_id)


def _fulfillments_with_lines() -> Prefetch:
    """Each producer's goods for the order and the stock they come from, lines in the order's order."""
    lines = FulfillmentLine.objects.select_related("order_line").order_by("order_line__sort_order", "pk")
    return Prefetch(
        "fulfillments",
        queryset=Fulfillment.objects.exclude(status=FulfillmentStatus.CANCELED)
        .select_related("producer", "outlet")
        .prefetch_related(Prefetch("lines", queryset=lines)),
    )


def outlet_orders_to_prepare(*, outlet_id: int) -> QuerySet[Order]:
    """Confirmed orders to put aside, oldest first, with their goods grouped by producer and source outlet."""
    return (
        outlet_orders(outlet_id=outlet_id)
        .filter(status=OrderStatus.UNFULFILLED)
        .order_by("created_at", "number")
        .prefetch_related(_fulfillments_with_lines())
    )


def outlet_orders_ready(*, outlet_id: int, today: datetime.date) -> QuerySet[Order]:
    """Orders waiting for their buyer whose last day to collect has not passed, the most urgent first."""
    return (
        outlet_orders(outlet_id=outlet_id)
        .filter(status=OrderStatus.READY_FOR_PICKUP, collect_by__gte=today)
        .annotate(item_count=Sum("lines__quantity"))
        .order_by("collect_by", "number")
    )


def outlet_orders_overdue(*, outlet_id: int, today: datetime.date) -> QuerySet[Order]:
    """Orders still waiting after their last day to collect (before the nightly job cancels them)."""
    return (
        outlet_orders(outlet_id=outlet_id)
        .filter(status=OrderStatus.READY_FOR_PICKUP, collect_by__lt=today)
        .annotate(item_count=Sum("lines__quantity"))
        .order_by("collect_by", "number")
    )


def outlet_order(*, outlet_id: int, order_id: uuid.UUID) -> Order | None:
    """One of the outlet's orders with its lines, fulfilments, buyer and history; None if not the outlet's."""
    return (
        outlet_orders(outlet_id=outlet_id)
        .select_related("collection_point", "billing_address", "user", "handed_over_by")
        .prefetch_related(
            Prefetch("lines", queryset=OrderLine.objects.select_related("producer")),
            _fulfillments_with_lines(),
            Prefetch("events", queryset=OrderEvent.objects.select_related("user")),
        )
        .filter(pk=order_id)
        .first()
    )


def pickup_code_order(*, code: str) -> Order | None:
    """The order holding a typed or scanned code, at any outlet: for explaining why the counter refused it."""
    normalised = normalise_pickup_code(code)
    if not normalised:
        return None
    return Order.objects.filter(pickup_code=normalised).select_related("collection_point").first()


def outlet_stock(*, outlet_id: int, today: datetime.date) -> QuerySet[Stock]:
    """The outlet's stock rows with their variant, product and its certificate, by product name; each says whether
    its product is for sale today (`for_sale`): a product whose certificate lapsed is on the shelf but not sold."""
    return (
        Stock.objects.filter(outlet_id=outlet_id)
        .select_related("variant__product__current_certification")
        .annotate(for_sale=Exists(listed_products(today=today).filter(pk=OuterRef("variant__product_id"))))
        .order_by("variant__product__name", "variant__name", "pk")
    )


def not_for_sale_count(*, outlet_id: int, today: datetime.date) -> int:
    """How many of the outlet's stocked products are not for sale today."""
    listed = listed_products(today=today).filter(pk=OuterRef("variant__product_id"))
    return (
        Stock.objects.filter(outlet_id=outlet_id, quantity__gt=0)
        .exclude(Exists(listed))
        .values("variant__product_id")
        .distinct()
        .count()
    )


# --- the counter ---

_PROVENANCE_SLUG = re.compile(r"/p/(?P<slug>[a-z0-9-]+)/?")
COUNTER_RESULTS = 20


@dataclasses.dataclass(frozen=True)
class CounterOffer:
    """A variant the counter can sell now: listed today, priced, and what the shelf holds beyond online orders."""

    variant: ProductVariant
    price: int
    available: int


def counter_offers(*, outlet_id: int, query: str, today: datetime.date) -> list[CounterOffer]:
    """What this outlet holds that matches `query`: words of the product's name (either language) or the SKU, or
    the address a product label's QR code carries (its provenance page, ".../p/<slug>/")."""
    text = query.strip()
    if not text:
        return []
    rows = Stock.objects.filter(outlet_id=outlet_id, quantity__gt=0).filter(
        variant__product__in=listed_products(today=today).values("pk")
    )
    scanned = _PROVENANCE_SLUG.search(text)
    if scanned:
        rows = rows.filter(variant__product__slug=scanned["slug"])
    else:
        for word in text.split()[:5]:
            rows = rows.filter(
                Q(variant__product__name__icontains=word)
                | Q(variant__product__name_en__icontains=word)
                | Q(variant__sku__iexact=word)
            )
    rows = (
        rows.select_related("variant__product")
        .annotate(price=variant_price_in_channel(variant=OuterRef("variant_id"), channel_id=default_channel().pk))
        .exclude(price=None)
        .order_by("variant__product__name", "variant__name", "pk")[:COUNTER_RESULTS]
    )
    return [CounterOffer(variant=row.variant, price=row.price, available=row.quantity_available) for row in rows]


def counter_basket(*, outlet_id: int, wanted: dict[int, int], today: datetime.date) -> list[tuple[CounterOffer, int]]:
    """The basket's variants as offers (price and what the shelf can give), with the quantity wanted, in the order
    they were added; a variant no longer for sale here drops out."""
    if not wanted:
        return []
    rows = (
        Stock.objects.filter(outlet_id=outlet_id, variant_id__in=list(wanted))
        .filter(variant__product__in=listed_products(today=today).values("pk"))
        .select_related("variant__product")
        .annotate(price=variant_price_in_channel(variant=OuterRef("variant_id"), channel_id=default_channel().pk))
        .exclude(price=None)
    )
    offers = {row.variant_id: CounterOffer(row.variant, row.price, row.quantity_available) for row in rows}
    return [(offers[variant_id], quantity) for variant_id, quantity in wanted.items() if variant_id in offers]


def counter_sale(*, outlet_id: int, sale_id: int) -> CounterSale | None:
    """One of this outlet's walk-in sales, with its lines; None for another outlet's."""
    return CounterSale.objects.filter(outlet_id=outlet_id, pk=sale_id).prefetch_related("lines").first()


def counter_returned(*, sale_id: int) -> QuerySet:
    """How many of each line of the sale were brought back, as rows {sale_line_id, total}."""
    return (
        CounterReturnLine.objects.filter(counter_return__sale_id=sale_id)
        .values("sale_line_id")
        .annotate(total=Sum("quantity"))
        .order_by()
    )
