"""Selling at the counter (issue 15): a walk-in sale takes its goods from the outlet's stock, in one transaction.

`counter_sale_create` checks who sells and what (only products listed today: an OCOP product whose certificate
lapsed is not sold at the counter either), locks the outlet's stock rows of the goods in primary-key order (the
order online checkout locks them in, so the two queue behind each other and never deadlock), refuses what the
shelf cannot give (the quantity not promised to online orders), takes the payment's figures (cash: the amount
handed over, the change computed; a card on the outlet's own terminal: its slip reference), writes the sale and its
lines, and takes the goods out of stock. The payout ledger posts the producers' shares in the same transaction
(`signals.counter_sale_completed`).

`counter_return_create` takes goods back against a receipt (within OCOP_COUNTER_RETURN_DAYS): stock back, the refund
recorded by method, the producers' shares reversed.

A dropped connection never sells twice: each sale carries the counter form's idempotency key, and the same key at
the same outlet returns the sale already made.
"""

from __future__ import annotations

import dataclasses
import datetime
import logging
import re
from collections import defaultdict
from decimal import Decimal

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Exists, F, Max, OuterRef, Sum
from django.utils import timezone

from marketplace.accounts.models import Role, User
from marketplace.accounts.permissions import is_operator
from marketplace.catalogue.models import Product, ProductVariant
from marketplace.catalogue.selectors import listed_products, variant_price_in_channel
from marketplace.catalogue.signals import stock_changed
from marketplace.channel.selectors import default_channel
from marketplace.core.dates import day_text, local_today
from marketplace.core.errors import DomainError, ErrorDetail, PermissionDenied
from marketplace.core.idempotency import form_key
from marketplace.core.money import format_vnd
from marketplace.core.text import fold
from marketplace.counter.error_codes import CounterErrorCode
from marketplace.counter.models import (
    CounterPaymentMethod,
    CounterRefundMethod,
    CounterReturn,
    CounterReturnLine,
    CounterSale,
    CounterSaleLine,
    CounterSaleStatus,
)
from marketplace.counter.signals import counter_return_completed, counter_sale_completed
from marketplace.inventory.models import Stock
from marketplace.outlets.models import Outlet

logger = logging.getLogger(__name__)


@dataclasses.dataclass(frozen=True)
class SaleItem:
    variant_id: int
    quantity: int


@dataclasses.dataclass(frozen=True)
class CounterPayment:
    method: CounterPaymentMethod
    cash_received: int | None = None  # cash: what the buyer handed over, in đồng
    slip_reference: str = ""  # a card on the outlet's terminal: the slip's reference


def can_sell_at(user: User | None, outlet: Outlet) -> bool:
    """Outlet staff sell at their own outlet's counter; operators at any."""
    if is_operator(user):
        return True
    return user is not None and user.role == Role.OUTLET_STAFF and user.outlet_id == outlet.pk


def counter_sale_create(
    *,
    outlet: Outlet,
    by_user: User,
    items: list[SaleItem],
    payment: CounterPayment,
    idempotency_key: str,
    language_code: str = "vi",
) -> CounterSale:
    """The walk-in sale of `items` at `outlet` (see the module's docstring); the same key returns the same sale."""
    if not can_sell_at(by_user, outlet):
        raise PermissionDenied("Only this outlet's staff sell at its counter.")
    key = form_key(idempotency_key, form="counter form", code=CounterErrorCode.REQUIRED)
    wanted = _merged(items)
    with transaction.atomic():
        earlier = CounterSale.objects.filter(outlet=outlet, idempotency_key=key).first()
        if earlier is not None:
            return earlier
        variants = _variants_for_sale(wanted)
        stocks = _locked_stock(outlet, variant_ids=sorted(wanted))
        # Then one sale at a time per outlet, so receipt numbers follow each other (after the stock rows, the order
        # every writer of stock takes them in; NO KEY UPDATE lets rows that only refer to the outlet be written).
        Outlet.objects.select_for_update(no_key=True).filter(pk=outlet.pk).first()
        _refuse([*_not_for_sale(wanted, variants), *_shortages(wanted, variants, stocks, outlet)])
        total = sum(variants[variant_id].price * quantity for variant_id, quantity in wanted.items())
        cash_received, change = _paid(payment, total=total)
        by_transfer = payment.method == CounterPaymentMethod.VIETQR
        try:
            with transaction.atomic():
                sale = CounterSale.objects.create(
                    outlet=outlet,
                    number=(CounterSale.objects.filter(outlet=outlet).aggregate(last=Max("number"))["last"] or 0) + 1,
                    sold_by=by_user,
                    idempotency_key=key,
                    payment_method=payment.method,
                    status=CounterSaleStatus.AWAITING_TRANSFER if by_transfer else CounterSaleStatus.PAID,
                    paid_at=None if by_transfer else timezone.now(),
                    total_amount=total,
                    cash_received=cash_received,
                    change_given=change,
                    card_slip_reference=payment.slip_reference.strip()[:64],
                    commission_percent=Decimal(settings.OCOP_PLATFORM_COMMISSION_PERCENT),
                    language_code="en" if language_code.lower().startswith("en") else "vi",
                )
        except IntegrityError:  # the same key from another request, a moment ago: that one is the sale
            return CounterSale.objects.get(outlet=outlet, idempotency_key=key)
        _write_lines(sale, wanted=wanted, variants=variants, stocks=stocks)
        if not by_transfer:
            counter_sale_completed.send(sender=CounterSale, sale_id=sale.pk)
        stock_changed.send(sender=Product, product_ids=sorted({v.product_id for v in variants.values()}))
    return sale


def _quantities(pairs: list[tuple[int, int]], *, empty: tuple[str, str]) -> dict[int, int]:
    """The quantity of each id (one given twice counts twice), each a whole number from 1; `empty`: the refusal's
    message and field when there are none."""
    wanted: dict[int, int] = defaultdict(int)
    for key, quantity in pairs:
        if isinstance(quantity, bool) or not isinstance(quantity, int) or quantity < 1:
            raise DomainError("A quantity is a whole number from 1.", code=CounterErrorCode.INVALID, field="quantity")
        wanted[key] += quantity
    if not wanted:
        raise DomainError(empty[0], code=CounterErrorCode.REQUIRED, field=empty[1])
    return dict(wanted)


def _merged(items: list[SaleItem]) -> dict[int, int]:
    """The quantity of each variant (an item scanned twice counts twice); refuses an empty or silly basket."""
    wanted = _quantities([(item.variant_id, item.quantity) for item in items], empty=("The basket is empty.", "lines"))
    limit = settings.OCOP_CHECKOUT_MAX_LINE_QUANTITY
    if any(quantity > limit for quantity in wanted.values()):
        raise DomainError(f"At most {limit} of a product in one sale.", code=CounterErrorCode.INVALID, field="quantity")
    return wanted


class _Variant:
    """A variant as the counter sells it: with its product, producer, certificate, today's price and listing."""

    def __init__(self, variant: ProductVariant) -> None:
        self.variant = variant
        self.product = variant.product
        self.product_id = variant.product_id
        self.price: int = variant.today_price  # type: ignore[attr-defined]  # annotated
        self.listed: bool = variant.product_listed  # type: ignore[attr-defined]  # annotated


def _variants_for_sale(wanted: dict[int, int]) -> dict[int, _Variant]:
    today = local_today()
    rows = (
        ProductVariant.objects.filter(pk__in=list(wanted))
        .select_related("product__producer", "product__current_certification")
        .annotate(
            today_price=variant_price_in_channel(variant=OuterRef("pk"), channel_id=default_channel().pk),
            product_listed=Exists(listed_products(today=today).filter(pk=OuterRef("product_id"))),
        )
    )
    return {row.pk: _Variant(row) for row in rows}


def _locked_stock(outlet: Outlet, *, variant_ids: list[int]) -> dict[int, Stock]:
    """The outlet's stock rows of these variants, locked in primary-key order, by variant."""
    rows = Stock.objects.select_for_update().filter(outlet=outlet, variant_id__in=variant_ids).order_by("pk")
    return {row.variant_id: row for row in rows}


def _not_for_sale(wanted: dict[int, int], variants: dict[int, _Variant]) -> list[ErrorDetail]:
    problems = []
    for variant_id in wanted:
        variant = variants.get(variant_id)
        if variant is None or not variant.listed or variant.price is None:
            name = variant.product.name if variant is not None else f"#{variant_id}"
            problems.append(
                ErrorDetail(
                    f"{name} is not for sale: its OCOP certificate is not valid today, or it has no price. Take "
                    "it off the shelf and tell the producer.",
                    CounterErrorCode.NOT_FOR_SALE,
                    "lines",
                    variants=(variant_id,),
                    extra={"product": name},
                )
            )
    return problems


def _shortages(
    wanted: dict[int, int], variants: dict[int, _Variant], stocks: dict[int, Stock], outlet: Outlet
) -> list[ErrorDetail]:
    """What the outlet cannot give: its quantity less what online orders have been promised."""
    problems = []
    for variant_id, quantity in wanted.items():
        if variant_id not in variants:
            continue
        stock = stocks.get(variant_id)
        available = stock.quantity_available if stock is not None else 0
        if not variants[variant_id].variant.track_inventory:
            continue
        if available < quantity:
            problems.append(
                ErrorDetail(
                    f"{variants[variant_id].product.name}: {available} left at {outlet.name} for the counter "
                    f"(the rest is promised to online orders); {quantity} asked.",
                    CounterErrorCode.INSUFFICIENT_STOCK,
                    "lines",
                    variants=(variant_id,),
                    extra={
                        "available": str(available),
                        "product": variants[variant_id].product.name,
                        "asked": str(quantity),
                    },
                )
            )
    return problems


def _refuse(problems: list[ErrorDetail]) -> None:
    if problems:
        raise DomainError(details=problems)


def _paid(payment: CounterPayment, *, total: int) -> tuple[int | None, int]:
    """(cash received, change) for the sale's payment, or its refusal."""
    if payment.method == CounterPaymentMethod.CASH:
        received = payment.cash_received
        if isinstance(received, bool) or not isinstance(received, int) or received < total:
            entered = "nothing" if received is None else format_vnd(int(received))
            raise DomainError(
                f"The sale comes to {format_vnd(total)}; {entered} was handed over.",
                code=CounterErrorCode.CASH_SHORT,
                field="cashReceived",
            )
        return received, received - total
    if payment.method == CounterPaymentMethod.CARD_TERMINAL:
        if not payment.slip_reference.strip():
            raise DomainError(
                "Enter the reference printed on the card terminal's slip.",
                code=CounterErrorCode.REQUIRED,
                field="slipReference",
            )
        return None, 0
    if payment.method == CounterPaymentMethod.VIETQR:
        return None, 0
    raise DomainError(f"Unknown payment method {payment.method!r}.", code=CounterErrorCode.INVALID, field="method")


def _write_lines(
    sale: CounterSale, *, wanted: dict[int, int], variants: dict[int, _Variant], stocks: dict[int, Stock]
) -> None:
    lines = []
    for variant_id, quantity in wanted.items():
        variant = variants[variant_id]
        stock = stocks.get(variant_id)
        certification = variant.product.current_certification
        lines.append(
            CounterSaleLine(
                sale=sale,
                variant=variant.variant,
                stock=stock,
                producer_id=variant.product.producer_id,
                product_name=variant.product.name,
                product_name_en=variant.product.name_en,
                variant_name=variant.variant.name,
                product_sku=variant.variant.sku,
                certificate_id=certification.certificate_id if certification else "",
                quantity=quantity,
                unit_price_amount=variant.price,
                total_price_amount=variant.price * quantity,
            )
        )
        if stock is not None and variant.variant.track_inventory:
            Stock.objects.filter(pk=stock.pk).update(quantity=F("quantity") - quantity)
    CounterSaleLine.objects.bulk_create(lines)


# --- returns ---


@dataclasses.dataclass(frozen=True)
class ReturnItem:
    sale_line_id: int
    quantity: int


def counter_return_create(
    *,
    sale: CounterSale,
    by_user: User,
    items: list[ReturnItem],
    refund_method: CounterRefundMethod,
    idempotency_key: str,
    slip_reference: str = "",
    reason: str = "",
) -> CounterReturn:
    """Goods brought back against a receipt, within OCOP_COUNTER_RETURN_DAYS of the sale's day: the stock returns
    to the outlet's shelf, the money to the buyer by `refund_method`, and the producers' shares are reversed in the
    payout ledger (`signals.counter_return_completed`). A line is never returned beyond what it sold; the same key
    for the same receipt returns the return already made."""
    outlet = sale.outlet
    if not can_sell_at(by_user, outlet):
        raise PermissionDenied("Only this outlet's staff take returns at its counter.")
    key = form_key(idempotency_key, form="counter form", code=CounterErrorCode.REQUIRED)
    if refund_method == CounterRefundMethod.CARD_TERMINAL and not slip_reference.strip():
        raise DomainError(
            "Enter the reference of the card terminal's refund slip.",
            code=CounterErrorCode.REQUIRED,
            field="slipReference",
        )
    last_day = timezone.localdate(sale.created_at) + datetime.timedelta(days=settings.OCOP_COUNTER_RETURN_DAYS)
    with transaction.atomic():
        sale = CounterSale.objects.select_for_update().get(pk=sale.pk)  # one return of a receipt at a time
        earlier = CounterReturn.objects.filter(sale=sale, idempotency_key=key).first()
        if earlier is not None:
            return earlier
        if not sale.is_paid:
            raise DomainError(
                f"Receipt {sale.receipt_number} is not paid: nothing can be returned against it.",
                code=CounterErrorCode.NOT_PAID,
                field="receipt",
            )
        if local_today() > last_day:
            raise DomainError(
                f"Receipt {sale.receipt_number} could be returned until {day_text(last_day)}.",
                code=CounterErrorCode.RETURN_TOO_LATE,
                field="receipt",
                extra={"receipt": sale.receipt_number, "day": day_text(last_day)},
            )
        lines = _returnable(sale, items)
        counter_return = CounterReturn.objects.create(
            sale=sale,
            taken_by=by_user,
            idempotency_key=key,
            refund_method=refund_method,
            refund_amount=sum(line.unit_price_amount * quantity for line, quantity in lines),
            card_slip_reference=slip_reference.strip()[:64],
            reason=reason.strip()[:255],
        )
        CounterReturnLine.objects.bulk_create(
            CounterReturnLine(
                counter_return=counter_return,
                sale_line=line,
                quantity=quantity,
                amount=line.unit_price_amount * quantity,
            )
            for line, quantity in lines
        )
        _back_on_the_shelf(outlet, lines)
        counter_return_completed.send(sender=CounterReturn, return_id=counter_return.pk)
        product_ids = sorted({line.variant.product_id for line, _ in lines if line.variant is not None})
        stock_changed.send(sender=Product, product_ids=product_ids)
    return counter_return


def _returnable(sale: CounterSale, items: list[ReturnItem]) -> list[tuple[CounterSaleLine, int]]:
    """Each line of the receipt with the quantity brought back; refuses more than the line has left to return."""
    wanted = _quantities(
        [(item.sale_line_id, item.quantity) for item in items], empty=("Choose what is brought back.", "returnLines")
    )
    sold = sale.lines.select_related("variant").annotate(quantity_returned=Sum("returned__quantity"))
    lines = {line.pk: line for line in sold}
    chosen: list[tuple[CounterSaleLine, int]] = []
    for line_id, quantity in wanted.items():
        line = lines.get(line_id)
        if line is None:
            raise DomainError(
                f"That line is not on receipt {sale.receipt_number}.", code=CounterErrorCode.INVALID, field="lines"
            )
        left = line.quantity - (line.quantity_returned or 0)
        if quantity > left:
            raise DomainError(
                f"{line.product_name}: {left} of {line.quantity} can still be returned; {quantity} asked.",
                code=CounterErrorCode.RETURN_TOO_MANY,
                field="lines",
                extra={
                    "product": line.product_name,
                    "left": str(left),
                    "sold": str(line.quantity),
                    "asked": str(quantity),
                },
            )
        chosen.append((line, quantity))
    return chosen


def _back_on_the_shelf(outlet: Outlet, lines: list[tuple[CounterSaleLine, int]]) -> None:
    """The goods return to the outlet's stock rows, locked in primary-key order (a row gone is made again)."""
    by_variant: dict[int, int] = defaultdict(int)
    for line, quantity in lines:
        if line.variant is not None and line.variant.track_inventory:
            by_variant[line.variant_id] += quantity  # type: ignore[index]  # variant_id is set with variant
    if not by_variant:
        return
    stocks = _locked_stock(outlet, variant_ids=sorted(by_variant))
    for variant_id, quantity in sorted(by_variant.items()):
        if variant_id in stocks:
            Stock.objects.filter(pk=stocks[variant_id].pk).update(quantity=F("quantity") + quantity)
        else:
            Stock.objects.create(variant_id=variant_id, outlet=outlet, quantity=quantity)


# --- VietQR at the counter ---


@dataclasses.dataclass(frozen=True)
class TransferOutcome:
    sale: CounterSale
    due: int  # what the sale still wanted before this credit (0 when it was paid or cancelled already)


# "OCOPQ345", and as people and banks write it: "OCOP Q345", "ocop-q 345".
_COUNTER_REFERENCE = re.compile(r"OCOP[^A-Z0-9]*Q[^A-Z0-9]*(\d+)")


def counter_sales_named(description: str) -> list[int]:
    """The VietQR counter sales a bank's description may name ("OCOPQ 345", however the bank wrote it), as ids of
    sales awaiting or having had a transfer, in the order the description names them."""
    text = fold(description or "").upper()
    ids = [int(match.group(1)) for match in _COUNTER_REFERENCE.finditer(text) if len(match.group(1)) <= 12]
    known = set(
        CounterSale.objects.filter(pk__in=ids, payment_method=CounterPaymentMethod.VIETQR).values_list("pk", flat=True)
    )
    return [sale_id for sale_id in dict.fromkeys(ids) if sale_id in known]


def counter_transfer_received(*, sale_id: int, amount: int) -> TransferOutcome:
    """A bank credit naming VietQR sale `sale_id`: the money is added to what it received, and once the total is
    in, the sale is paid and the producers' shares are posted. A credit for a sale already paid or cancelled is
    kept on it all the same (the caller records what is owed back)."""
    with transaction.atomic():
        sale = CounterSale.objects.select_for_update().get(pk=sale_id)
        awaiting = sale.status == CounterSaleStatus.AWAITING_TRANSFER
        due = max(sale.total_amount - sale.transfer_received, 0) if awaiting else 0
        sale.transfer_received += amount
        fields = ["transfer_received"]
        if awaiting and sale.transfer_received >= sale.total_amount:
            sale.status, sale.paid_at = CounterSaleStatus.PAID, timezone.now()
            fields += ["status", "paid_at"]
        sale.save(update_fields=fields)
        if "status" in fields:
            counter_sale_completed.send(sender=CounterSale, sale_id=sale.pk)
    return TransferOutcome(sale=sale, due=due)


def counter_sale_cancel(*, sale: CounterSale, by_user: User | None, reason: str = "") -> CounterSale:
    """A VietQR sale whose transfer is not coming: cancelled, and its goods back on the shelf. A sale paid
    meanwhile stays paid (the buyer's money came first), and is refused here."""
    if by_user is not None and not can_sell_at(by_user, sale.outlet):
        raise PermissionDenied("Only this outlet's staff cancel its sales.")
    with transaction.atomic():
        sale = CounterSale.objects.select_for_update().select_related("outlet").get(pk=sale.pk)
        if sale.status == CounterSaleStatus.CANCELED:
            return sale
        if sale.status != CounterSaleStatus.AWAITING_TRANSFER:
            raise DomainError(
                f"Receipt {sale.receipt_number} is paid: take the goods back with a return instead.",
                code=CounterErrorCode.ALREADY_PAID,
                field="receipt",
            )
        sale.status = CounterSaleStatus.CANCELED
        sale.save(update_fields=["status"])
        lines = [(line, line.quantity) for line in sale.lines.select_related("variant")]
        _back_on_the_shelf(sale.outlet, lines)
        product_ids = sorted({line.variant.product_id for line, _ in lines if line.variant is not None})
        stock_changed.send(sender=Product, product_ids=product_ids)
    logger.info("Counter sale %s cancelled: %s", sale.receipt_number, reason or "by staff")
    return sale


def counter_transfers_cancel_unpaid(*, now: datetime.datetime | None = None) -> list[int]:
    """VietQR sales still unpaid OCOP_COUNTER_TRANSFER_HOLD_MINUTES after they were made are cancelled (the buyer
    walked away); the ids cancelled."""
    cutoff = (now or timezone.now()) - datetime.timedelta(minutes=settings.OCOP_COUNTER_TRANSFER_HOLD_MINUTES)
    stale = CounterSale.objects.filter(status=CounterSaleStatus.AWAITING_TRANSFER, created_at__lt=cutoff)
    canceled = []
    for sale in stale.order_by("pk"):
        try:
            counter_sale_cancel(sale=sale, by_user=None, reason="no transfer came")
        except DomainError:  # paid a moment ago
            continue
        canceled.append(sale.pk)
    return canceled
