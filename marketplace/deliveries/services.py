"""Deliveries from cooperatives (issue 15): announced in the portal, received at the outlet's counter.

`delivery_announce`: a cooperative's staff say what they will bring to which outlet and when (per variant of their
own listed products: a quantity, perhaps a lot and a best-before date). `delivery_cancel` withdraws an announcement
not yet received.

`delivery_receive` records what actually came, line by line (the quantity, the lot and best-before date as on the
goods), with lines nobody announced; `delivery_receive_unannounced` does the same for a cooperative that walks in
with goods. Either way, in one transaction: the outlet's stock rows of the goods are locked in primary-key order
(the order checkout and the counter lock them in) and increased, a row made where the outlet held none; each line
keeps what was announced beside what was received, so the discrepancy is there for both sides to see; each lot with
a best-before date is kept as a `StockLot` for the console's warnings.

A delivery is received once. The receipt form carries an idempotency key: the same receipt sent again (a double tap,
a dropped connection retried) returns the delivery as received; another receipt of a received delivery is refused.
"""

from __future__ import annotations

import dataclasses
import datetime
from collections import defaultdict
from collections.abc import Iterable

from django.db import IntegrityError, transaction
from django.db.models import Exists, F, OuterRef
from django.utils import timezone

from marketplace.accounts.models import Role, User
from marketplace.accounts.permissions import is_operator
from marketplace.catalogue.models import Product, ProductVariant
from marketplace.catalogue.selectors import listed_products
from marketplace.catalogue.signals import stock_changed
from marketplace.core.dates import local_today
from marketplace.core.errors import DomainError, ErrorDetail, PermissionDenied
from marketplace.core.idempotency import form_key
from marketplace.core.text import clean_text
from marketplace.deliveries.error_codes import DeliveryErrorCode
from marketplace.deliveries.models import Delivery, DeliveryLine, DeliveryStatus, StockLot
from marketplace.inventory.models import Stock
from marketplace.outlets.models import Outlet, OutletKind
from marketplace.producers.models import Producer

MAX_LOT = 64
MAX_NOTE = 500
MAX_LINE_QUANTITY = 10_000  # a sanity bound on one line, far above any cooperative's delivery
MAX_STOCK = 1_000_000  # no outlet holds more of a variant (the portal keeps the same ceiling): a typing slip
RECEIVING_KINDS = (OutletKind.SHOWROOM, OutletKind.TOURIST_SITE)


@dataclasses.dataclass(frozen=True)
class AnnouncedLine:
    variant_id: int
    quantity: int
    lot: str = ""
    best_before: datetime.date | None = None


@dataclasses.dataclass(frozen=True)
class ReceivedLine:
    """What came of an announced line (`line_id`), or a line nobody announced (`variant_id`)."""

    quantity: int
    line_id: int | None = None
    variant_id: int | None = None
    lot: str = ""
    best_before: datetime.date | None = None


# --- who may ---


def can_announce_for(user: User | None, producer: Producer) -> bool:
    """A cooperative's staff announce its deliveries; operators any cooperative's."""
    if is_operator(user):
        return True
    return user is not None and user.role == Role.PRODUCER_STAFF and user.producer_id == producer.pk


def can_receive_at(user: User | None, outlet: Outlet) -> bool:
    """An outlet's staff receive its deliveries; operators any outlet's."""
    if is_operator(user):
        return True
    return user is not None and user.role == Role.OUTLET_STAFF and user.outlet_id == outlet.pk


def outlet_receives_deliveries(outlet: Outlet) -> bool:
    """Showrooms and tourist-site outlets take deliveries; a cooperative's own warehouse does not."""
    return outlet.is_active and outlet.kind in RECEIVING_KINDS


# --- announcing ---


def delivery_announce(
    *,
    producer: Producer,
    outlet: Outlet,
    by_user: User,
    expected_on: datetime.date | None,
    lines: list[AnnouncedLine],
    note: str = "",
) -> Delivery:
    """The cooperative's announcement of a delivery of `lines` to `outlet` on `expected_on` (today or later).
    Every problem is reported at once."""
    if not can_announce_for(by_user, producer):
        raise PermissionDenied("Only the cooperative's staff announce its deliveries.")
    problems: list[ErrorDetail] = []
    if not outlet_receives_deliveries(outlet):
        problems.append(
            ErrorDetail(f"{outlet.name} does not take deliveries.", DeliveryErrorCode.OUTLET_NOT_RECEIVING, "outlet")
        )
    if expected_on is None:
        problems.append(ErrorDetail("Give the day the goods arrive.", DeliveryErrorCode.REQUIRED, "expectedOn"))
    elif expected_on < local_today():
        problems.append(
            ErrorDetail(
                f"{expected_on:%d/%m/%Y} has passed: a delivery is announced for today or later.",
                DeliveryErrorCode.DATE_IN_PAST,
                "expectedOn",
            )
        )
    if not lines:
        problems.append(ErrorDetail("Give the quantity of at least one product.", DeliveryErrorCode.REQUIRED, "lines"))
    for line in lines:
        problems += _quantity_problems(line.quantity, minimum=1, variant_id=line.variant_id)
        problems += _lot_problems(line.lot, variant_id=line.variant_id)
    variants = _variants(line.variant_id for line in lines)
    problems += _not_deliverable(producer, [line.variant_id for line in lines], variants)
    problems += _note_problems(note)
    _refuse(problems)
    with transaction.atomic():
        delivery = Delivery.objects.create(
            outlet=outlet,
            producer=producer,
            status=DeliveryStatus.ANNOUNCED,
            announced_at=timezone.now(),
            expected_on=expected_on,
            announced_by=by_user,
            announcement_note=_clean(note),
        )
        DeliveryLine.objects.bulk_create(
            DeliveryLine(
                delivery=delivery,
                **_copied(variants[line.variant_id]),
                quantity_announced=line.quantity,
                lot_announced=_clean(line.lot),
                best_before_announced=line.best_before,
            )
            for line in lines
        )
    return delivery


def delivery_cancel(*, delivery: Delivery, by_user: User) -> Delivery:
    """The cooperative withdraws its announcement; refused once the outlet has received the goods. Canceling again
    changes nothing."""
    if not can_announce_for(by_user, delivery.producer):
        raise PermissionDenied("Only the cooperative's staff cancel its deliveries.")
    with transaction.atomic():
        delivery = Delivery.objects.select_for_update().get(pk=delivery.pk)
        if delivery.status == DeliveryStatus.CANCELED:
            return delivery
        if delivery.status == DeliveryStatus.RECEIVED:
            raise DomainError(
                f"Delivery {delivery.number} was received: it can no longer be canceled.",
                code=DeliveryErrorCode.ALREADY_RECEIVED,
                field="delivery",
            )
        delivery.status = DeliveryStatus.CANCELED
        delivery.canceled_at = timezone.now()
        delivery.canceled_by = by_user
        delivery.save(update_fields=["status", "canceled_at", "canceled_by"])
    return delivery


# --- receiving ---


def delivery_receive(
    *, delivery: Delivery, by_user: User, lines: list[ReceivedLine], idempotency_key: str, note: str = ""
) -> Delivery:
    """What came of an announced delivery: each announced line's quantity (0 when none came), lot and best-before
    date, and lines nobody announced (variants of the same cooperative's listed products). See the module's
    docstring for what the receipt changes; the same key returns the delivery as received."""
    outlet = delivery.outlet
    if not can_receive_at(by_user, outlet):
        raise PermissionDenied("Only this outlet's staff receive its deliveries.")
    key = form_key(idempotency_key, form="receipt form", code=DeliveryErrorCode.REQUIRED)
    with transaction.atomic():
        delivery = Delivery.objects.select_for_update().select_related("outlet", "producer").get(pk=delivery.pk)
        if delivery.status == DeliveryStatus.RECEIVED:
            if delivery.receipt_key == key:
                return delivery
            raise DomainError(
                f"Delivery {delivery.number} was already received.",
                code=DeliveryErrorCode.ALREADY_RECEIVED,
                field="delivery",
            )
        if delivery.status == DeliveryStatus.CANCELED:
            raise DomainError(
                f"The cooperative canceled delivery {delivery.number}: receive the goods as a delivery without "
                "announcement.",
                code=DeliveryErrorCode.CANCELED,
                field="delivery",
            )
        if Delivery.objects.filter(outlet=outlet, receipt_key=key).exists():
            raise DomainError("This receipt form was already used.", code=DeliveryErrorCode.INVALID, field="key")
        announced = {line.pk: line for line in delivery.lines.select_related("variant__product")}
        given = {line.line_id: line for line in lines if line.line_id is not None}
        extras = [line for line in lines if line.line_id is None]
        problems = _receipt_problems(announced, given, extras)
        variants = _variants(line.variant_id for line in extras if line.variant_id is not None)
        extra_ids = [line.variant_id for line in extras if line.variant_id is not None]
        problems += _not_deliverable(delivery.producer, extra_ids, variants)
        problems += _note_problems(note)
        _refuse(problems)
        for line_id, line in announced.items():
            line.quantity_received = given[line_id].quantity
            line.lot = _clean(given[line_id].lot)
            line.best_before = given[line_id].best_before
        DeliveryLine.objects.bulk_update(announced.values(), ["quantity_received", "lot", "best_before"])
        received = [*announced.values(), *_extra_lines(delivery, extras, variants)]
        _mark_received(delivery, by_user=by_user, key=key, note=note)
        _stock_in(outlet, received)
    return delivery


def delivery_receive_unannounced(
    *, outlet: Outlet, by_user: User, lines: list[ReceivedLine], idempotency_key: str, note: str = ""
) -> Delivery:
    """Goods a cooperative brought without announcing them: every line is a variant of one cooperative's listed
    products (the cooperative is the products' own). The same key at the same outlet returns the same delivery."""
    if not can_receive_at(by_user, outlet):
        raise PermissionDenied("Only this outlet's staff receive its deliveries.")
    key = form_key(idempotency_key, form="receipt form", code=DeliveryErrorCode.REQUIRED)
    with transaction.atomic():
        earlier = Delivery.objects.filter(outlet=outlet, receipt_key=key).first()
        if earlier is not None:
            return earlier
        problems = _receipt_problems({}, {}, lines)
        if any(line.line_id is not None for line in lines):
            problems.append(ErrorDetail("Nothing was announced here.", DeliveryErrorCode.INVALID, "lines"))
        variant_ids = [line.variant_id for line in lines if line.variant_id is not None]
        variants = _variants(variant_ids)
        producer_ids = {variant.product.producer_id for variant in variants.values()}
        if len(producer_ids) > 1:
            problems.append(
                ErrorDetail(
                    "One delivery comes from one cooperative: receive each cooperative's goods separately.",
                    DeliveryErrorCode.ONE_PRODUCER,
                    "lines",
                )
            )
        if not outlet_receives_deliveries(outlet):
            problems.append(
                ErrorDetail(
                    f"{outlet.name} does not take deliveries.", DeliveryErrorCode.OUTLET_NOT_RECEIVING, "outlet"
                )
            )
        if variant_ids and not variants:
            problems.append(ErrorDetail("Choose the products received.", DeliveryErrorCode.NOT_OWN_PRODUCT, "lines"))
        problems += _note_problems(note)
        _refuse(problems)
        producer = next(iter(variants.values())).product.producer
        _refuse(_not_deliverable(producer, variant_ids, variants))
        try:
            with transaction.atomic():
                delivery = Delivery.objects.create(
                    outlet=outlet, producer=producer, status=DeliveryStatus.ANNOUNCED, receipt_key=key
                )
        except IntegrityError:  # the same key from another request, a moment ago: that one is the delivery
            return Delivery.objects.get(outlet=outlet, receipt_key=key)
        received = _extra_lines(delivery, lines, variants)
        _mark_received(delivery, by_user=by_user, key=key, note=note)
        _stock_in(outlet, received)
    return delivery


def _receipt_problems(
    announced: dict[int, DeliveryLine], given: dict[int, ReceivedLine], extras: list[ReceivedLine]
) -> list[ErrorDetail]:
    problems: list[ErrorDetail] = []
    if set(given) - set(announced):
        problems.append(ErrorDetail("That line is not on this delivery.", DeliveryErrorCode.INVALID, "lines"))
    for line_id, line in announced.items():
        if line_id not in given:
            problems.append(
                ErrorDetail(
                    f"{line.product_name}: give the quantity received (0 when none came).",
                    DeliveryErrorCode.REQUIRED,
                    "lines",
                    lines=(str(line_id),),
                )
            )
            continue
        problems += _quantity_problems(given[line_id].quantity, minimum=0, line_id=line_id)
        problems += _lot_problems(given[line_id].lot, line_id=line_id)
    for extra in extras:
        if extra.variant_id is None:
            problems.append(ErrorDetail("Choose the product received.", DeliveryErrorCode.REQUIRED, "lines"))
            continue
        problems += _quantity_problems(extra.quantity, minimum=1, variant_id=extra.variant_id)
        problems += _lot_problems(extra.lot, variant_id=extra.variant_id)
    if not announced and not extras:
        problems.append(ErrorDetail("Add what the cooperative brought.", DeliveryErrorCode.REQUIRED, "lines"))
    return problems


def _extra_lines(delivery: Delivery, extras: list[ReceivedLine], variants: dict[int, ProductVariant]) -> list:
    """The lines nobody announced, written."""
    return DeliveryLine.objects.bulk_create(
        DeliveryLine(
            delivery=delivery,
            **_copied(variants[extra.variant_id]),
            quantity_announced=None,
            quantity_received=extra.quantity,
            lot=_clean(extra.lot),
            best_before=extra.best_before,
        )
        for extra in extras
        if extra.variant_id is not None
    )


def _mark_received(delivery: Delivery, *, by_user: User, key: str, note: str) -> None:
    delivery.status = DeliveryStatus.RECEIVED
    delivery.received_at = timezone.now()
    delivery.received_by = by_user
    delivery.receipt_key = key
    delivery.receipt_note = _clean(note)
    delivery.save(update_fields=["status", "received_at", "received_by", "receipt_key", "receipt_note"])


def _stock_in(outlet: Outlet, lines: list[DeliveryLine]) -> None:
    """The goods go on the outlet's shelf: its stock rows of them (made where missing) locked in primary-key order
    and increased; each lot with a best-before date kept for the warnings."""
    by_variant: dict[int, int] = defaultdict(int)
    for line in lines:
        if line.variant_id is not None and line.quantity_received:
            by_variant[line.variant_id] += line.quantity_received
    if by_variant:
        Stock.objects.bulk_create(
            [Stock(outlet=outlet, variant_id=variant_id, quantity=0) for variant_id in sorted(by_variant)],
            ignore_conflicts=True,
        )
        rows = list(
            Stock.objects.select_for_update().filter(outlet=outlet, variant_id__in=list(by_variant)).order_by("pk")
        )
        _refuse(
            [
                ErrorDetail(
                    f"{outlet.name} would hold more than {MAX_STOCK} of one product: check the quantities.",
                    DeliveryErrorCode.INVALID,
                    "quantity",
                    variants=(row.variant_id,),
                )
                for row in rows
                if row.quantity + by_variant[row.variant_id] > MAX_STOCK
            ]
        )
        for row in rows:
            Stock.objects.filter(pk=row.pk).update(quantity=F("quantity") + by_variant[row.variant_id])
        product_ids = ProductVariant.objects.filter(pk__in=list(by_variant)).values_list("product_id", flat=True)
        stock_changed.send(sender=Product, product_ids=sorted(set(product_ids)))
    today = local_today()
    StockLot.objects.bulk_create(
        StockLot(
            outlet=outlet,
            variant_id=line.variant_id,
            delivery_line=line,
            lot=line.lot,
            best_before=line.best_before,
            quantity_received=line.quantity_received,
            received_on=today,
        )
        for line in lines
        if line.variant_id is not None and line.quantity_received and line.best_before is not None
    )


# --- checks ---


def _quantity_problems(
    quantity: int, *, minimum: int, variant_id: int | None = None, line_id: int | None = None
) -> list[ErrorDetail]:
    if isinstance(quantity, bool) or not isinstance(quantity, int) or not minimum <= quantity <= MAX_LINE_QUANTITY:
        return [
            ErrorDetail(
                f"A quantity is a whole number from {minimum} to {MAX_LINE_QUANTITY}.",
                DeliveryErrorCode.INVALID,
                "quantity",
                lines=(str(line_id),) if line_id else (),
                variants=(variant_id,) if variant_id else (),
            )
        ]
    return []


def _lot_problems(lot: str, *, variant_id: int | None = None, line_id: int | None = None) -> list[ErrorDetail]:
    if len(lot.strip()) > MAX_LOT:
        return [
            ErrorDetail(
                f"A lot number has at most {MAX_LOT} characters.",
                DeliveryErrorCode.INVALID,
                "lot",
                lines=(str(line_id),) if line_id else (),
                variants=(variant_id,) if variant_id else (),
            )
        ]
    return []


def _note_problems(note: str) -> list[ErrorDetail]:
    if len(note.strip()) > MAX_NOTE:
        return [ErrorDetail(f"A note has at most {MAX_NOTE} characters.", DeliveryErrorCode.INVALID, "note")]
    return []


def _variants(variant_ids: Iterable[int]) -> dict[int, ProductVariant]:
    """The variants with their product and whether it is listed today."""
    ids = sorted(set(variant_ids))
    if not ids:
        return {}
    rows = (
        ProductVariant.objects.filter(pk__in=ids)
        .select_related("product")
        .annotate(product_listed=Exists(listed_products(today=local_today()).filter(pk=OuterRef("product_id"))))
    )
    return {row.pk: row for row in rows}


def _not_deliverable(
    producer: Producer, variant_ids: list[int], variants: dict[int, ProductVariant]
) -> list[ErrorDetail]:
    """A cooperative delivers its own products, and only those listed today (an OCOP product whose certificate lapsed
    is not put on the shelf)."""
    problems = []
    for variant_id in dict.fromkeys(variant_ids):
        variant = variants.get(variant_id)
        if variant is None or variant.product.producer_id != producer.pk:
            problems.append(
                ErrorDetail(
                    f"Product #{variant_id} is not one of {producer.name}'s products.",
                    DeliveryErrorCode.NOT_OWN_PRODUCT,
                    "lines",
                    variants=(variant_id,),
                    extra={"product": f"#{variant_id}", "producer": producer.name},
                )
            )
        elif not variant.product_listed:  # type: ignore[attr-defined]  # annotated
            problems.append(
                ErrorDetail(
                    f"{variant.product.name} is not listed today: its OCOP certificate is not valid.",
                    DeliveryErrorCode.NOT_LISTED,
                    "lines",
                    variants=(variant_id,),
                    extra={"product": variant.product.name},
                )
            )
    return problems


def _refuse(problems: list[ErrorDetail]) -> None:
    if problems:
        raise DomainError(details=problems)


def _clean(text: str) -> str:
    return (clean_text(text) or "")[:MAX_NOTE]


def _copied(variant: ProductVariant) -> dict:
    return {
        "variant": variant,
        "product_name": variant.product.name,
        "variant_name": variant.name,
        "product_sku": variant.sku,
    }
