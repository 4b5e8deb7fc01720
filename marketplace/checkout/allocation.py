"""Which stock rows serve a checkout's lines: a pure plan over what the rows hold, which `complete` writes.

For each line the rows are tried in this order: the collection point's own stock, then the stock in the
line's producer's own warehouse, then the fullest row; rows that tie keep the order they were given in
(primary-key order, as they were locked). An outlet collecting from local stock serves only from its own
rows. A line whose variant tracks its stock and cannot be served in full is a shortage; one that does not
track its stock takes what there is and is never short.
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from collections.abc import Sequence


@dataclasses.dataclass(frozen=True)
class StockRow:
    """A stock row as the plan sees it: where it is, whose warehouse that is, and what it has not promised."""

    stock_id: int
    variant_id: int
    outlet_id: int
    outlet_producer_id: int | None  # the producer whose own warehouse the outlet is, if any
    available: int


@dataclasses.dataclass(frozen=True)
class LineNeed:
    """What a checkout line needs: a quantity of a variant made by a producer."""

    line_id: str
    variant_id: int
    producer_id: int
    quantity: int
    track_inventory: bool = True


@dataclasses.dataclass(frozen=True)
class CollectionPoint:
    outlet_id: int
    local_stock_only: bool  # Saleor's LOCAL_STOCK option: it hands over only what it holds itself


@dataclasses.dataclass(frozen=True)
class Allocation:
    line_id: str
    stock_id: int
    outlet_id: int
    quantity: int


@dataclasses.dataclass(frozen=True)
class Shortage:
    line_id: str
    available: int  # what the line could be given


@dataclasses.dataclass(frozen=True)
class AllocationPlan:
    allocations: tuple[Allocation, ...]
    shortages: tuple[Shortage, ...]

    def all_at(self, outlet_id: int) -> bool:
        """Whether every allocation is taken from this outlet's stock."""
        return all(allocation.outlet_id == outlet_id for allocation in self.allocations)


def allocation_plan(
    *, lines: Sequence[LineNeed], stocks: Sequence[StockRow], collection_point: CollectionPoint | None
) -> AllocationPlan:
    """The allocations serving `lines` from `stocks` (see the module's docstring), and the lines left short."""
    left = {stock.stock_id: stock.available for stock in stocks}
    by_variant: dict[int, list[StockRow]] = defaultdict(list)
    for stock in stocks:
        by_variant[stock.variant_id].append(stock)
    allocations: list[Allocation] = []
    shortages: list[Shortage] = []
    for line in lines:
        candidates = _candidates(
            by_variant.get(line.variant_id, []), line=line, collection_point=collection_point, left=left
        )
        needed = line.quantity
        for stock in candidates:
            take = min(needed, left[stock.stock_id])
            if take > 0:
                allocations.append(
                    Allocation(line_id=line.line_id, stock_id=stock.stock_id, outlet_id=stock.outlet_id, quantity=take)
                )
                left[stock.stock_id] -= take
                needed -= take
            if needed == 0:
                break
        if needed and line.track_inventory:
            shortages.append(Shortage(line_id=line.line_id, available=line.quantity - needed))
    return AllocationPlan(allocations=tuple(allocations), shortages=tuple(shortages))


def _candidates(
    stocks: list[StockRow], *, line: LineNeed, collection_point: CollectionPoint | None, left: dict[int, int]
) -> list[StockRow]:
    """The rows that may serve the line, in the order they are drawn from (`left`: what each row still has)."""
    if collection_point is not None and collection_point.local_stock_only:
        stocks = [stock for stock in stocks if stock.outlet_id == collection_point.outlet_id]

    def preference(stock: StockRow) -> tuple[bool, bool, int]:
        at_collection_point = collection_point is not None and stock.outlet_id == collection_point.outlet_id
        producers_own = stock.outlet_producer_id == line.producer_id
        return (not at_collection_point, not producers_own, -left[stock.stock_id])

    return sorted(stocks, key=preference)  # stable: ties keep the given order
