"""Reads of counts, write-offs and transfers, each scoped to one outlet (the console passes the staff's own)."""

from __future__ import annotations

import dataclasses
import uuid

from django.db.models import Count, F, OuterRef, Prefetch, Q, QuerySet, Sum

from marketplace.catalogue.selectors import variant_price_in_channel
from marketplace.channel.selectors import default_channel
from marketplace.inventory.models import Stock
from marketplace.stockmoves.models import StockCount, StockCountLine, StockTransfer, TransferStatus, VarianceReason

HISTORY_SIZE = 50
SOURCES_SIZE = 500


def count_sheet(*, outlet_id: int) -> QuerySet[Stock]:
    """The outlet's stock rows to count, by product name, with the variant's price in the default channel."""
    return (
        Stock.objects.filter(outlet_id=outlet_id)
        .select_related("variant__product")
        .annotate(price=variant_price_in_channel(variant=OuterRef("variant_id"), channel_id=default_channel().pk))
        .order_by("variant__product__name", "variant__name", "pk")
    )


def stock_counts(*, outlet_id: int) -> QuerySet[StockCount]:
    """The outlet's counts and write-offs, newest first, with their lines that differed and who confirmed them."""
    lines = StockCountLine.objects.exclude(variance=0).order_by("product_name", "pk")
    return (
        StockCount.objects.filter(outlet_id=outlet_id)
        .select_related("counted_by")
        .annotate(lines_counted=Count("lines"))
        .prefetch_related(Prefetch("lines", queryset=lines, to_attr="variances"))
        .order_by("-created_at", "-pk")
    )


@dataclasses.dataclass(frozen=True)
class ReasonTotal:
    reason: str
    label: str
    units: int  # counted minus system: negative for goods missing
    value: int  # đồng, at the default channel's price when recorded


def variance_totals(*, outlet_id: int) -> list[ReasonTotal]:
    """Every variance the outlet recorded, totalled by reason (one query)."""
    rows = (
        StockCountLine.objects.filter(count__outlet_id=outlet_id)
        .exclude(variance=0)
        .values("reason")
        .annotate(units=Sum("variance"), value=Sum("value_amount"))
        .order_by()
    )
    found = {row["reason"]: row for row in rows}
    labels = dict(VarianceReason.choices)
    return [
        ReasonTotal(reason, str(labels.get(reason, reason)), found[reason]["units"], found[reason]["value"])
        for reason in [*VarianceReason.values, *sorted(set(found) - set(VarianceReason.values))]
        if reason in found
    ]


def _transfers() -> QuerySet[StockTransfer]:
    return StockTransfer.objects.select_related("from_outlet", "to_outlet", "variant__product", "order")


def outlet_transfers(*, outlet_id: int) -> QuerySet[StockTransfer]:
    """Every transfer from or to the outlet, newest first."""
    return _transfers().filter(Q(from_outlet_id=outlet_id) | Q(to_outlet_id=outlet_id)).order_by("-requested_at", "-pk")


def outlet_transfer(*, outlet_id: int, transfer_id: int) -> StockTransfer | None:
    """One transfer from or to the outlet; None for another pair of outlets'."""
    return outlet_transfers(outlet_id=outlet_id).filter(pk=transfer_id).first()


def order_transfers(*, outlet_id: int, order_id: uuid.UUID) -> QuerySet[StockTransfer]:
    """The transfers asked for one of the outlet's orders."""
    return outlet_transfers(outlet_id=outlet_id).filter(order_id=order_id, to_outlet_id=outlet_id)


def transfers_in_transit(*, outlet_id: int) -> QuerySet[StockTransfer]:
    """Goods on their way from or to the outlet."""
    return outlet_transfers(outlet_id=outlet_id).filter(status=TransferStatus.IN_TRANSIT)


def transfer_sources(*, outlet_id: int, including: int | None = None) -> QuerySet[Stock]:
    """What the other active outlets hold beyond their online orders' promises, to ask them for (and the row
    `including`, another outlet's, whatever it holds: the goods of an order flagged as sitting there)."""
    spare = Q(quantity__gt=F("quantity_allocated"))
    if including is not None:
        spare |= Q(pk=including)
    return (
        Stock.objects.exclude(outlet_id=outlet_id)
        .filter(spare, outlet__is_active=True)
        .select_related("variant__product", "outlet")
        .order_by("variant__product__name", "variant__name", "outlet__name", "pk")[:SOURCES_SIZE]
    )
