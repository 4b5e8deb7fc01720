"""Counts and write-offs (issue 15): the outlet's shelf set to what staff found, each variance kept and explained.

`stock_count_confirm` takes the quantities counted (a line not counted is left alone), and in one transaction locks
the outlet's stock rows of those lines in primary-key order (the order online checkout and the counter lock them in),
refuses a line whose quantity moved since the sheet was drawn (a sale while staff counted) and a quantity below
what online orders were promised, sets each row to the count, and records every counted
line: the system's quantity, the count, the variance with its reason and note, and its value at the variant's price
in the default channel. `stock_write_off` is the same for one variant and a quantity lost (a broken jar).

The form carries an idempotency key: the same key at the same outlet returns the count already recorded.
"""

from __future__ import annotations

import dataclasses

from django.db import IntegrityError, transaction
from django.db.models import OuterRef

from marketplace.accounts.models import Role, User
from marketplace.accounts.permissions import is_operator
from marketplace.catalogue.models import Product
from marketplace.catalogue.selectors import variant_price_in_channel
from marketplace.catalogue.signals import stock_changed
from marketplace.channel.selectors import default_channel
from marketplace.core.errors import DomainError, ErrorDetail, PermissionDenied
from marketplace.core.idempotency import form_key
from marketplace.inventory.models import Stock
from marketplace.outlets.models import Outlet
from marketplace.stockmoves.error_codes import StockMoveErrorCode
from marketplace.stockmoves.models import StockCount, StockCountKind, StockCountLine, VarianceReason

MAX_QUANTITY = 1_000_000


@dataclasses.dataclass(frozen=True)
class CountedLine:
    stock_id: int
    quantity_counted: int
    reason: str = ""  # a VarianceReason value; required when the count differs from the system
    note: str = ""
    quantity_seen: int | None = None  # the system's quantity when the sheet was drawn, to notice a sale meanwhile


def works_at(user: User | None, outlet: Outlet | int) -> bool:
    """Outlet staff move their own outlet's stock; operators any outlet's."""
    if is_operator(user):
        return True
    outlet_id = outlet if isinstance(outlet, int) else outlet.pk
    return user is not None and user.role == Role.OUTLET_STAFF and user.outlet_id == outlet_id


def whole_number(value: object, *, field: str, minimum: int = 0) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not minimum <= value <= MAX_QUANTITY:
        raise DomainError(f"A quantity is a whole number from {minimum}.", code=StockMoveErrorCode.INVALID, field=field)
    return value


def refuse(problems: list[ErrorDetail]) -> None:
    if problems:
        raise DomainError(details=problems)


def locked_stock(
    *, outlet_id: int, stock_ids: list[int] | None = None, variant_ids: list[int] | None = None
) -> dict[int, Stock]:
    """The outlet's stock rows (by pk, or by variant), locked in primary-key order, with their variant, product and
    today's price in the default channel (`price`, None without one); keyed by pk."""
    rows = Stock.objects.select_for_update(of=("self",)).filter(outlet_id=outlet_id)
    if stock_ids is not None:
        rows = rows.filter(pk__in=stock_ids)
    if variant_ids is not None:
        rows = rows.filter(variant_id__in=variant_ids)
    rows = (
        rows.select_related("variant__product")
        .annotate(price=variant_price_in_channel(variant=OuterRef("variant_id"), channel_id=default_channel().pk))
        .order_by("pk")
    )
    return {row.pk: row for row in rows}


def _reason(value: str) -> str:
    return value if value in VarianceReason.values else ""


def stock_count_confirm(*, outlet: Outlet, by_user: User, lines: list[CountedLine], idempotency_key: str) -> StockCount:
    """Confirm a count of `outlet`'s shelf (see the module's docstring); the same key returns the same count."""
    if not works_at(by_user, outlet):
        raise PermissionDenied("Only this outlet's staff count its stock.")
    key = form_key(idempotency_key, form="form", code=StockMoveErrorCode.REQUIRED)
    counted: dict[int, CountedLine] = {}
    for line in lines:
        whole_number(line.quantity_counted, field="quantityCounted")
        counted[line.stock_id] = line
    if not counted:
        raise DomainError(
            "Enter the quantity counted of at least one line.", code=StockMoveErrorCode.REQUIRED, field="lines"
        )
    return _record(outlet=outlet, by_user=by_user, kind=StockCountKind.COUNT, key=key, counted=counted)


def stock_write_off(
    *, outlet: Outlet, by_user: User, variant_id: int, quantity: int, reason: str, idempotency_key: str, note: str = ""
) -> StockCount:
    """Write `quantity` of a variant off the outlet's shelf (broken, expired, stolen), with its reason; never the
    units promised to online orders. The same key returns the same write-off."""
    if not works_at(by_user, outlet):
        raise PermissionDenied("Only this outlet's staff write off its stock.")
    key = form_key(idempotency_key, form="form", code=StockMoveErrorCode.REQUIRED)
    whole_number(quantity, field="quantity", minimum=1)
    if not _reason(reason):
        raise DomainError(
            "Choose why the goods are written off.", code=StockMoveErrorCode.REASON_REQUIRED, field="reason"
        )
    with transaction.atomic():
        earlier = StockCount.objects.filter(outlet=outlet, idempotency_key=key).first()
        if earlier is not None:
            return earlier
        stock = Stock.objects.filter(outlet=outlet, variant_id=variant_id).values_list("pk", flat=True).first()
        if stock is None:
            raise DomainError(
                "This outlet holds none of that product.", code=StockMoveErrorCode.NOT_FOUND, field="variant"
            )
        row = locked_stock(outlet_id=outlet.pk, stock_ids=[stock])[stock]
        if quantity > row.quantity:
            raise DomainError(
                f"{row.variant.product.name}: {row.quantity} on the shelf; {quantity} cannot be written off.",
                code=StockMoveErrorCode.TOO_MANY,
                extra={"product": row.variant.product.name, "held": str(row.quantity), "asked": str(quantity)},
                field="quantity",
            )
        line = CountedLine(stock_id=stock, quantity_counted=row.quantity - quantity, reason=reason, note=note)
        return _record(
            outlet=outlet,
            by_user=by_user,
            kind=StockCountKind.WRITE_OFF,
            key=key,
            counted={stock: line},
            locked={stock: row},
        )


def _record(
    *,
    outlet: Outlet,
    by_user: User,
    kind: StockCountKind,
    key: str,
    counted: dict[int, CountedLine],
    locked: dict[int, Stock] | None = None,
) -> StockCount:
    with transaction.atomic():
        earlier = StockCount.objects.filter(outlet=outlet, idempotency_key=key).first()
        if earlier is not None:
            return earlier
        stocks = locked if locked is not None else locked_stock(outlet_id=outlet.pk, stock_ids=sorted(counted))
        refuse(_problems(counted, stocks))
        try:
            with transaction.atomic():
                record = StockCount.objects.create(outlet=outlet, kind=kind, counted_by=by_user, idempotency_key=key)
        except IntegrityError:  # the same key from another request, a moment ago: that one is the count
            return StockCount.objects.get(outlet=outlet, idempotency_key=key)
        rows = []
        for stock_id in sorted(counted):
            line, stock = counted[stock_id], stocks[stock_id]
            variance = line.quantity_counted - stock.quantity
            price: int | None = stock.price  # type: ignore[attr-defined]  # annotated
            rows.append(
                StockCountLine(
                    count=record,
                    variant=stock.variant,
                    stock=stock,
                    product_name=stock.variant.product.name,
                    variant_name=stock.variant.name,
                    product_sku=stock.variant.sku,
                    quantity_before=stock.quantity,
                    quantity_counted=line.quantity_counted,
                    variance=variance,
                    reason=_reason(line.reason) if variance else "",
                    note=line.note.strip()[:255] if variance else "",
                    unit_price_amount=price,
                    value_amount=variance * (price or 0),
                )
            )
            if variance:
                Stock.objects.filter(pk=stock_id).update(quantity=line.quantity_counted)
        StockCountLine.objects.bulk_create(rows)
        stock_changed.send(sender=Product, product_ids=sorted({stocks[pk].variant.product_id for pk in counted}))
    return record


def _problems(counted: dict[int, CountedLine], stocks: dict[int, Stock]) -> list[ErrorDetail]:
    """Every refusal at once: a line not of this outlet, a variance without its reason, a count below what online
    orders were promised."""
    problems = []
    for stock_id, line in counted.items():
        stock = stocks.get(stock_id)
        if stock is None:
            problems.append(
                ErrorDetail(
                    "That line is not in this outlet's stock.",
                    StockMoveErrorCode.NOT_FOUND,
                    "lines",
                    lines=(str(stock_id),),
                )
            )
            continue
        name = stock.variant.product.name
        if line.quantity_seen is not None and line.quantity_seen != stock.quantity:
            problems.append(
                ErrorDetail(
                    f"{name}: the system's quantity went from {line.quantity_seen} to {stock.quantity} while the "
                    "shelf was counted (a sale, an order, a transfer); count this line again and confirm.",
                    StockMoveErrorCode.STOCK_MOVED,
                    "lines",
                    lines=(str(stock_id),),
                    variants=(stock.variant_id,),
                    extra={"product": name, "seen": str(line.quantity_seen), "now": str(stock.quantity)},
                )
            )
            continue
        if line.quantity_counted < stock.quantity_allocated:
            problems.append(
                ErrorDetail(
                    f"{name}: {stock.quantity_allocated} are promised to online orders and still on the shelf; the "
                    f"count cannot be {line.quantity_counted}. Look for the goods put aside for those orders, or "
                    "cancel the orders first.",
                    StockMoveErrorCode.BELOW_ALLOCATED,
                    "lines",
                    lines=(str(stock_id),),
                    variants=(stock.variant_id,),
                    extra={
                        "allocated": str(stock.quantity_allocated),
                        "product": name,
                        "counted": str(line.quantity_counted),
                    },
                )
            )
        if line.quantity_counted != stock.quantity and not _reason(line.reason):
            problems.append(
                ErrorDetail(
                    f"{name}: the count ({line.quantity_counted}) differs from the system ({stock.quantity}); "
                    "choose a reason.",
                    StockMoveErrorCode.REASON_REQUIRED,
                    "lines",
                    lines=(str(stock_id),),
                    variants=(stock.variant_id,),
                    extra={"product": name, "counted": str(line.quantity_counted), "system": str(stock.quantity)},
                )
            )
    return problems
