"""Transfers between outlets (issue 15): one outlet asks another for goods, the other sends them (or declines), the
first receives what arrived.

- `transfer_request`: staff of the receiving outlet ask for a quantity of a variant the other outlet holds, perhaps
  for one of their online pickup orders whose goods sit there (the console flags those). Cancelled with
  `transfer_cancel` while not yet sent.
- `transfer_send`: staff of the sending outlet send it. Under the lock of the stock row (primary-key order, as
  checkout and the counter lock), the goods leave their stock; never the units promised to other online orders. The
  units promised to the linked order travel with the goods: their promise is lifted from the sender's row and the
  order's lines are marked as carried by the transfer. The transfer is then in transit: stock at neither outlet.
- `transfer_decline`: the sending outlet says no; nothing moves.
- `transfer_receive`: staff of the receiving outlet count what arrived (perhaps fewer: the shortfall is kept); it is
  added to their stock, and the linked order's carried lines are promised from it again (whole lines, while the
  goods received cover them), so the order is handed over from this outlet's stock.

The linked order is locked before any stock row, the order the order services lock in.
"""

from __future__ import annotations

import uuid

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from marketplace.accounts.models import User
from marketplace.catalogue.models import Product, ProductVariant
from marketplace.catalogue.signals import stock_changed
from marketplace.core.errors import DomainError, PermissionDenied
from marketplace.core.idempotency import form_key
from marketplace.inventory.models import Stock
from marketplace.orders.models import Fulfillment, FulfillmentLine, FulfillmentStatus, Order, OrderStatus
from marketplace.outlets.models import Outlet
from marketplace.stockmoves.error_codes import StockMoveErrorCode
from marketplace.stockmoves.models import StockTransfer, TransferStatus
from marketplace.stockmoves.services import whole_number, works_at

OPEN_ORDER = (OrderStatus.UNFULFILLED, OrderStatus.READY_FOR_PICKUP)


def transfer_request(
    *,
    to_outlet: Outlet,
    from_outlet: Outlet,
    variant_id: int,
    quantity: int,
    by_user: User,
    idempotency_key: str,
    order_id: uuid.UUID | None = None,
    note: str = "",
) -> StockTransfer:
    """Ask `from_outlet` for `quantity` of a variant, for `to_outlet` (the asking staff's own outlet); the same key
    returns the request already made."""
    if not works_at(by_user, to_outlet):
        raise PermissionDenied("Only this outlet's staff ask for goods for it.")
    key = form_key(idempotency_key, form="form", code=StockMoveErrorCode.REQUIRED)
    whole_number(quantity, field="quantity", minimum=1)
    earlier = StockTransfer.objects.filter(to_outlet=to_outlet, idempotency_key=key).first()
    if earlier is not None:
        return earlier
    if from_outlet.pk == to_outlet.pk:
        raise DomainError("Goods are asked of another outlet.", code=StockMoveErrorCode.SAME_OUTLET, field="fromOutlet")
    variant = ProductVariant.objects.filter(pk=variant_id).first()
    if variant is None or not Stock.objects.filter(outlet=from_outlet, variant=variant).exists():
        raise DomainError(
            f"{from_outlet.name} holds none of that product.", code=StockMoveErrorCode.NOT_FOUND, field="variant"
        )
    order = None
    if order_id is not None:
        order = Order.objects.filter(pk=order_id, collection_point=to_outlet, status__in=OPEN_ORDER).first()
        if order is None:
            raise DomainError(
                "That order is not waiting to be prepared or collected at this outlet.",
                code=StockMoveErrorCode.NOT_FOUND,
                field="order",
            )
        under_way = StockTransfer.objects.filter(
            order=order, variant=variant, status__in=[TransferStatus.REQUESTED, TransferStatus.IN_TRANSIT]
        ).first()
        if under_way is not None:
            raise DomainError(
                f"Order #{order.number}'s {variant.product.name} is already asked for: transfer {under_way.number}, "
                f"{under_way.get_status_display().lower()}.",
                code=StockMoveErrorCode.ALREADY_REQUESTED,
                extra={
                    "order": str(order.number),
                    "product": variant.product.name,
                    "transfer": under_way.number,
                    "status": under_way.status,
                },
                field="order",
            )
    try:
        with transaction.atomic():
            return StockTransfer.objects.create(
                from_outlet=from_outlet,
                to_outlet=to_outlet,
                variant=variant,
                order=order,
                quantity_requested=quantity,
                note=note.strip()[:255],
                idempotency_key=key,
                requested_by=by_user,
            )
    except IntegrityError:  # the same key from another request, a moment ago
        return StockTransfer.objects.get(to_outlet=to_outlet, idempotency_key=key)


def _locked_transfer(transfer: StockTransfer) -> StockTransfer:
    return (
        StockTransfer.objects.select_for_update(of=("self",))
        .select_related("from_outlet", "to_outlet", "variant__product")
        .get(pk=transfer.pk)
    )


def _wrong_status(transfer: StockTransfer, doing: str) -> DomainError:
    return DomainError(
        f"Transfer {transfer.number} is {transfer.get_status_display().lower()}: it cannot be {doing}.",
        code=StockMoveErrorCode.WRONG_STATUS,
        extra={"transfer": transfer.number, "status": transfer.status},
        field="status",
    )


def transfer_cancel(*, transfer: StockTransfer, by_user: User) -> StockTransfer:
    """The asking outlet withdraws a request not yet sent. Cancelling it again changes nothing."""
    with transaction.atomic():
        transfer = _locked_transfer(transfer)
        if not works_at(by_user, transfer.to_outlet_id):
            raise PermissionDenied("Only the asking outlet's staff cancel its request.")
        if transfer.status == TransferStatus.CANCELED:
            return transfer
        if transfer.status != TransferStatus.REQUESTED:
            raise _wrong_status(transfer, "canceled")
        _close(transfer, TransferStatus.CANCELED, by_user)
    return transfer


def transfer_decline(*, transfer: StockTransfer, by_user: User, answer: str = "") -> StockTransfer:
    """The asked outlet will not send the goods; nothing moves. Declining it again changes nothing."""
    with transaction.atomic():
        transfer = _locked_transfer(transfer)
        if not works_at(by_user, transfer.from_outlet_id):
            raise PermissionDenied("Only the asked outlet's staff decline a request.")
        if transfer.status == TransferStatus.DECLINED:
            return transfer
        if transfer.status != TransferStatus.REQUESTED:
            raise _wrong_status(transfer, "declined")
        transfer.answer = answer.strip()[:255]
        _close(transfer, TransferStatus.DECLINED, by_user)
    return transfer


def _close(transfer: StockTransfer, status: TransferStatus, by_user: User) -> None:
    transfer.status = status
    transfer.closed_at = timezone.now()
    transfer.closed_by = by_user
    transfer.save(update_fields=["status", "closed_at", "closed_by", "answer"])


def _order_lines_at(transfer: StockTransfer, stock: Stock) -> list[FulfillmentLine]:
    """The linked order's lines of this variant promised from `stock`, locked."""
    if transfer.order_id is None:
        return []
    return list(
        FulfillmentLine.objects.select_for_update(of=("self",))
        .filter(
            fulfillment__order_id=transfer.order_id,
            stock=stock,
            is_allocated=True,
            order_line__variant_id=transfer.variant_id,
        )
        .exclude(fulfillment__status=FulfillmentStatus.CANCELED)
        .order_by("pk")
    )


def _lock_order(transfer: StockTransfer) -> Order | None:
    if transfer.order_id is None:
        return None
    return Order.objects.select_for_update(of=("self",)).filter(pk=transfer.order_id).first()


def transfer_send(
    *, transfer: StockTransfer, by_user: User, quantity: int | None = None, answer: str = ""
) -> StockTransfer:
    """Send the goods (`quantity`, by default what was asked, never more): they leave the sender's stock and are in
    transit. Sending it again changes nothing."""
    with transaction.atomic():
        transfer = _locked_transfer(transfer)
        if not works_at(by_user, transfer.from_outlet_id):
            raise PermissionDenied("Only the asked outlet's staff send the goods.")
        if transfer.status == TransferStatus.IN_TRANSIT:
            return transfer
        if transfer.status != TransferStatus.REQUESTED:
            raise _wrong_status(transfer, "sent")
        sending = transfer.quantity_requested if quantity is None else quantity
        whole_number(sending, field="quantity", minimum=1)
        if sending > transfer.quantity_requested:
            raise DomainError(
                f"{transfer.quantity_requested} were asked for; {sending} cannot be sent.",
                code=StockMoveErrorCode.TOO_MANY,
                extra={"requested": str(transfer.quantity_requested), "sending": str(sending)},
                field="quantity",
            )
        _lock_order(transfer)
        stock = (
            Stock.objects.select_for_update().filter(outlet_id=transfer.from_outlet_id, variant_id=transfer.variant_id)
        ).first()
        lines = _order_lines_at(transfer, stock) if stock is not None else []
        carried = sum(line.quantity for line in lines)
        if carried > sending:  # the order's lines travel whole, or not at all
            lines, carried = [], 0
        free = stock.quantity_available if stock is not None else 0
        if stock is None or sending > free + carried:
            name = transfer.variant.product.name
            held = stock.quantity if stock is not None else 0
            promised = (stock.quantity_allocated - carried) if stock is not None else 0
            raise DomainError(
                f"{name}: {held} at {transfer.from_outlet.name}, of which {promised} are promised to other online "
                f"orders; {free + carried} can be sent, {sending} asked.",
                code=StockMoveErrorCode.INSUFFICIENT_STOCK,
                extra={
                    "product": name,
                    "held": str(held),
                    "outlet": transfer.from_outlet.name,
                    "promised": str(promised),
                    "free": str(free + carried),
                    "asked": str(sending),
                },
                field="quantity",
            )
        Stock.objects.filter(pk=stock.pk).update(
            quantity=F("quantity") - sending, quantity_allocated=F("quantity_allocated") - carried
        )
        FulfillmentLine.objects.filter(pk__in=[line.pk for line in lines]).update(is_allocated=False)
        transfer.carried_lines = [line.pk for line in lines]
        transfer.status = TransferStatus.IN_TRANSIT
        transfer.quantity_sent = sending
        transfer.sent_at = timezone.now()
        transfer.sent_by = by_user
        transfer.answer = answer.strip()[:255]
        transfer.save(update_fields=["carried_lines", "status", "quantity_sent", "sent_at", "sent_by", "answer"])
        stock_changed.send(sender=Product, product_ids=[transfer.variant.product_id])
    return transfer


def transfer_receive(*, transfer: StockTransfer, by_user: User, quantity: int | None = None) -> StockTransfer:
    """Receive the goods: `quantity` (by default all that was sent; fewer when some broke or went missing, the
    shortfall kept) is added to the receiving outlet's stock. Receiving it again changes nothing."""
    with transaction.atomic():
        transfer = _locked_transfer(transfer)
        if not works_at(by_user, transfer.to_outlet_id):
            raise PermissionDenied("Only the receiving outlet's staff receive the goods.")
        if transfer.status == TransferStatus.RECEIVED:
            return transfer
        if transfer.status != TransferStatus.IN_TRANSIT:
            raise _wrong_status(transfer, "received")
        sent = transfer.quantity_sent or 0
        received = sent if quantity is None else quantity
        whole_number(received, field="quantity")
        if received > sent:
            raise DomainError(
                f"{sent} were sent; {received} cannot have arrived.",
                code=StockMoveErrorCode.TOO_MANY,
                field="quantity",
                extra={"sent": str(sent), "received": str(received)},
            )
        order = _lock_order(transfer)
        stock = _receiving_stock(transfer)
        promised = _promise_again(transfer, order, stock, received)
        Stock.objects.filter(pk=stock.pk).update(
            quantity=F("quantity") + received, quantity_allocated=F("quantity_allocated") + promised
        )
        transfer.status = TransferStatus.RECEIVED
        transfer.quantity_received = received
        transfer.received_at = timezone.now()
        transfer.received_by = by_user
        transfer.save(update_fields=["status", "quantity_received", "received_at", "received_by"])
        stock_changed.send(sender=Product, product_ids=[transfer.variant.product_id])
    return transfer


def _receiving_stock(transfer: StockTransfer) -> Stock:
    """The receiving outlet's row of the variant, locked (made when the outlet held none)."""
    rows = Stock.objects.select_for_update().filter(outlet_id=transfer.to_outlet_id, variant_id=transfer.variant_id)
    stock = rows.first()
    if stock is None:
        Stock.objects.get_or_create(outlet_id=transfer.to_outlet_id, variant_id=transfer.variant_id)
        stock = rows.get()
    return stock


def _promise_again(transfer: StockTransfer, order: Order | None, stock: Stock, received: int) -> int:
    """The linked order's carried lines promised from the receiving stock row, whole lines while the goods received
    cover them; returns how many units are promised. The order's part moves to this outlet when all its lines do."""
    if order is None or order.status not in OPEN_ORDER or not transfer.carried_lines:
        return 0
    lines = (
        FulfillmentLine.objects.select_for_update(of=("self",))
        .filter(pk__in=transfer.carried_lines, is_allocated=False)
        .exclude(fulfillment__status__in=[FulfillmentStatus.CANCELED, FulfillmentStatus.FULFILLED])
        .order_by("pk")
    )
    promised = 0
    moved: set[int] = set()
    for line in lines:
        if promised + line.quantity > received:
            break
        FulfillmentLine.objects.filter(pk=line.pk).update(stock=stock, is_allocated=True)
        promised += line.quantity
        moved.add(line.fulfillment_id)
    for fulfillment_id in sorted(moved):
        _move_part(fulfillment_id, outlet_id=transfer.to_outlet_id, stock=stock)
    return promised


def _move_part(fulfillment_id: int, *, outlet_id: int, stock: Stock) -> None:
    """A producer's part of the order comes from this outlet now, when all its goods do (and it has no other part
    here already)."""
    fulfillment = Fulfillment.objects.get(pk=fulfillment_id)
    if fulfillment.outlet_id == outlet_id or fulfillment.lines.exclude(stock=stock).exists():
        return
    if Fulfillment.objects.filter(
        order_id=fulfillment.order_id, producer_id=fulfillment.producer_id, outlet_id=outlet_id
    ).exists():
        return
    Fulfillment.objects.filter(pk=fulfillment_id).update(outlet_id=outlet_id)
