"""Writes to the ledger: the one function that posts an entry, and the business events that call it.

`entry_post` is the only writer of entries and postings: it refuses lines that do not add up to zero and posts
each business event once, under its key. Sales and refunds are posted from the orders' signals
(`marketplace.ledger.receivers`), in the transaction of the change; fees by the payments package
(`gateway_fee_post`); payouts by `marketplace.ledger.payouts`.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterable

from django.db import IntegrityError, transaction
from django.db.models import Q, Sum

from marketplace.core.errors import DomainError
from marketplace.core.money import commission_of
from marketplace.counter.models import CounterReturn, CounterReturnLine, CounterSale
from marketplace.ledger.error_codes import LedgerErrorCode
from marketplace.ledger.fees import gateway_fee
from marketplace.ledger.models import Account, AccountKind, EntryKind, JournalEntry, Posting, PostingItem
from marketplace.ledger.postings import (
    PostingLine,
    SaleFigures,
    lines_difference,
    refund_shares,
    reversal_lines,
    sale_lines,
)
from marketplace.orders.models import Fulfillment, FulfillmentStatus, Order


def account_for(kind: AccountKind, producer_id: int | None = None) -> Account:
    """The account of `kind` (a producer's payable with `producer_id`), opened the first time it is needed."""
    if (kind == AccountKind.PRODUCER_PAYABLE) != (producer_id is not None):
        raise ValueError(f"{kind}: a producer's payable has a producer, the platform's accounts none")
    if producer_id is None:
        return Account.objects.get_or_create(kind=kind, producer__isnull=True)[0]
    return Account.objects.get_or_create(kind=kind, producer_id=producer_id)[0]


def _check_balanced(key: str, lines: list[PostingLine]) -> None:
    if len(lines) < 2 or sum(line.amount for line in lines) != 0:
        raise DomainError(
            f"The entry {key} does not balance: its lines add up to {sum(line.amount for line in lines)} đồng.",
            code=LedgerErrorCode.UNBALANCED,
            field="lines",
        )


def entry_post(
    *,
    key: str,
    kind: EntryKind,
    lines: Iterable[PostingLine],
    producer_id: int | None = None,
    order_id: uuid.UUID | None = None,
    fulfillment_id: int | None = None,
    payout_run_id: int | None = None,
    counter_sale_id: int | None = None,
    gateway: str = "",
    memo: str = "",
) -> JournalEntry | None:
    """Post an entry once: its lines (zero amounts dropped) must add up to zero. Returns the new entry, or None
    when an entry with this key was already posted (the event is not posted twice) or nothing is left to post."""
    lines = [line for line in lines if line.amount]
    if not lines:
        return None
    _check_balanced(key, lines)
    with transaction.atomic():
        if JournalEntry.objects.filter(key=key).exists():
            return None
        try:
            with transaction.atomic():
                entry = JournalEntry.objects.create(
                    key=key,
                    kind=kind,
                    producer_id=producer_id,
                    order_id=order_id,
                    fulfillment_id=fulfillment_id,
                    payout_run_id=payout_run_id,
                    counter_sale_id=counter_sale_id,
                    gateway=gateway,
                    memo=memo[:500],
                )
        except IntegrityError:  # another transaction posted the same key meanwhile
            return None
        accounts = _accounts_for(lines)
        Posting.objects.bulk_create(
            Posting(entry=entry, account=accounts[(line.kind, line.producer_id)], amount=line.amount, item=line.item)
            for line in lines
        )
    return entry


def _accounts_for(lines: list[PostingLine]) -> dict[tuple[str, int | None], Account]:
    """The accounts the lines post to, by (kind, producer), in one query when they are all open already."""
    wanted = {(str(line.kind), line.producer_id) for line in lines}
    producers = {producer for _, producer in wanted if producer is not None}
    found = {
        (account.kind, account.producer_id): account
        for account in Account.objects.filter(
            Q(producer__isnull=True, kind__in=[kind for kind, producer in wanted if producer is None])
            | Q(producer_id__in=producers, kind=AccountKind.PRODUCER_PAYABLE)
        )
    }
    for kind, producer in wanted - set(found):
        found[(kind, producer)] = account_for(AccountKind(kind), producer)
    return found


# --- sales and refunds ----------------------------------------------------------------------------------------


def _figures(fulfillment: Fulfillment) -> SaleFigures:
    return SaleFigures(
        producer_id=fulfillment.producer_id,
        subtotal=fulfillment.subtotal_amount,
        commission=fulfillment.commission_amount,
        discount=fulfillment.discount_amount,
        discount_paid_by=fulfillment.discount_paid_by,
    )


def sale_key(fulfillment_id: int) -> str:
    return f"sale:fulfillment:{fulfillment_id}"


def fulfillments_sale_post(*, order_id: uuid.UUID, fulfillment_ids: Iterable[int]) -> list[JournalEntry]:
    """Post the sale of each fulfilment handed over or shipped (once each), then whatever the order's refunds
    already take back from them. Must run in the transaction that holds the order's row."""
    order = Order.objects.get(pk=order_id)
    fulfillments = Fulfillment.objects.filter(order=order, pk__in=list(fulfillment_ids)).exclude(
        status=FulfillmentStatus.CANCELED
    )
    posted = []
    for fulfillment in fulfillments.order_by("fulfillment_order"):
        entry = entry_post(
            key=sale_key(fulfillment.pk),
            kind=EntryKind.SALE,
            lines=sale_lines(_figures(fulfillment)),
            producer_id=fulfillment.producer_id,
            order_id=order.pk,
            fulfillment_id=fulfillment.pk,
            memo=f"Order #{order.number}-{fulfillment.fulfillment_order}",
        )
        if entry is not None:
            posted.append(entry)
    if order.total_refunded_amount:
        order_refunds_reconcile(order=order)
    return posted


def refundable_amount(order: Order) -> int:
    """What the buyer has been given back of the order's price: refunds beyond an overcharge only (a refund of
    money charged twice gives back nothing of the goods), at most the order's total."""
    overcharge = max(order.total_charged_amount - order.total_amount, 0)
    return min(max(order.total_refunded_amount - overcharge, 0), order.total_amount)


def _posted_reversals(entries: Q) -> dict[tuple[str, str, int | None], int]:
    """What the refund entries `entries` picks (a filter on the postings, `entry__…`) have posted so far, summed by
    (account kind, item, producer)."""
    rows = (
        Posting.objects.filter(entries, entry__kind=EntryKind.REFUND)
        .values("account__kind", "item", "account__producer_id")
        .annotate(total=Sum("amount"))
    )
    return {(row["account__kind"], row["item"], row["account__producer_id"]): row["total"] for row in rows}


def order_refunds_reconcile(*, order: Order) -> list[JournalEntry]:
    """Reverse, on each fulfilment whose sale is posted, its share of what the order's refunds gave back so far,
    less what earlier refunds already reversed. Keyed by the order's refunded total, so the same total never
    posts twice. An order whose sales were never posted (canceled before handover) posts nothing."""
    fulfillments = list(order.fulfillments.exclude(status=FulfillmentStatus.CANCELED).order_by("fulfillment_order"))
    if not fulfillments:
        return []
    sold = set(
        JournalEntry.objects.filter(kind=EntryKind.SALE, fulfillment__in=fulfillments).values_list(
            "fulfillment_id", flat=True
        )
    )
    figures = [_figures(fulfillment) for fulfillment in fulfillments]
    shares = refund_shares(
        refunded=refundable_amount(order),
        collected=[figure.collected for figure in figures],
        shipping=order.shipping_amount,
    )
    posted = []
    for fulfillment, figure, share in zip(fulfillments, figures, shares, strict=True):
        if fulfillment.pk not in sold:
            continue
        lines = lines_difference(
            reversal_lines(figure, share), _posted_reversals(Q(entry__fulfillment_id=fulfillment.pk))
        )
        entry = entry_post(
            key=f"refund:fulfillment:{fulfillment.pk}:{order.total_refunded_amount}",
            kind=EntryKind.REFUND,
            lines=lines,
            producer_id=fulfillment.producer_id,
            order_id=order.pk,
            fulfillment_id=fulfillment.pk,
            memo=f"Order #{order.number}-{fulfillment.fulfillment_order}: refunded {order.total_refunded_amount}",
        )
        if entry is not None:
            posted.append(entry)
    return posted


# --- gateway fees ---------------------------------------------------------------------------------------------


def gateway_fee_post(*, order_id: uuid.UUID | None, gateway: str, amount: int, key: str) -> JournalEntry | None:
    """Record a fee a gateway took (the platform's cost: fees debit GATEWAY_FEES, the money collected is that much
    less), once under `key` (e.g. "fee:<transaction id>"). A fee of 0 posts nothing."""
    if isinstance(amount, bool) or not isinstance(amount, int) or amount < 0:
        raise DomainError(
            f"A fee is a whole number of đồng, 0 or more, not {amount!r}.", code=LedgerErrorCode.INVALID, field="amount"
        )
    if not gateway or not key:
        raise DomainError("A fee needs its gateway and a key.", code=LedgerErrorCode.REQUIRED, field="gateway")
    return entry_post(
        key=f"fee:{key}",
        kind=EntryKind.FEE,
        lines=[
            PostingLine(AccountKind.GATEWAY_FEES, amount, PostingItem.FEE),
            PostingLine(AccountKind.COLLECTIONS, -amount, PostingItem.FEE),
        ],
        order_id=order_id,
        gateway=gateway,
        memo=f"{gateway} fee",
    )


def gateway_fee_post_for_payment(
    *, order_id: uuid.UUID | None, gateway: str, paid: int, key: str
) -> JournalEntry | None:
    """Record the fee `gateway` takes on a payment of `paid` đồng, by the fee schedule (`OCOP_GATEWAY_FEES`)."""
    return gateway_fee_post(
        order_id=order_id, gateway=gateway, amount=gateway_fee(gateway=gateway, amount=paid), key=key
    )


def counter_sale_post(*, sale_id: int) -> list[JournalEntry]:
    """A walk-in sale at a showroom's counter: each producer's goods posted as a sale (the platform's commission at
    the sale's rate, no voucher), once, keyed `sale:counter:<sale>:<producer>`, so a cooperative's statement shows
    counter and online sales alike."""
    sale = CounterSale.objects.prefetch_related("lines").get(pk=sale_id)
    entries = []
    for producer_id, figures in sorted(_counter_figures(sale).items()):
        entry = entry_post(
            key=f"sale:counter:{sale.pk}:{producer_id}",
            kind=EntryKind.SALE,
            lines=sale_lines(figures),
            producer_id=producer_id,
            counter_sale_id=sale.pk,
            memo=f"Counter sale, receipt {sale.receipt_number}",
        )
        if entry is not None:
            entries.append(entry)
    return entries


def counter_return_post(*, return_id: int) -> list[JournalEntry]:
    """Goods brought back to the counter: each producer's sale on the receipt is reversed by what all its returns
    took back so far, less what earlier returns already reversed (as an order's refunds are), so returning a whole
    receipt reverses its sale to the đồng. Keyed `refund:counter:<return>:<producer>`."""
    counter_return = CounterReturn.objects.select_related("sale").get(pk=return_id)
    sale = counter_return.sale
    sold = _counter_figures(sale)
    returned: dict[int, int] = defaultdict(int)
    for returned_line in CounterReturnLine.objects.filter(counter_return__sale=sale).select_related("sale_line"):
        returned[returned_line.sale_line.producer_id] += returned_line.amount
    entries = []
    for producer_id in sorted(returned):
        posted = _posted_reversals(Q(entry__counter_sale_id=sale.pk, entry__producer_id=producer_id))
        entry = entry_post(
            key=f"refund:counter:{counter_return.pk}:{producer_id}",
            kind=EntryKind.REFUND,
            lines=lines_difference(reversal_lines(sold[producer_id], returned[producer_id]), posted),
            producer_id=producer_id,
            counter_sale_id=sale.pk,
            memo=f"Counter return, receipt {sale.receipt_number}",
        )
        if entry is not None:
            entries.append(entry)
    return entries


def _counter_figures(sale: CounterSale) -> dict[int, SaleFigures]:
    """A walk-in sale's figures for each producer on it: its goods, the platform's commission at the sale's rate,
    no voucher."""
    goods: dict[int, int] = defaultdict(int)
    for line in sale.lines.all():
        goods[line.producer_id] += line.total_price_amount
    return {
        producer_id: SaleFigures(
            producer_id=producer_id,
            subtotal=subtotal,
            commission=commission_of(subtotal, percent=sale.commission_percent),
            discount=0,
            discount_paid_by="",
        )
        for producer_id, subtotal in goods.items()
    }
