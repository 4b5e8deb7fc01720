"""Settling payments whose news never arrived: a lost webhook, a process that died between the charge and the order.

`reconcile_payments` runs from Celery beat (`payments.tasks.reconcile_payments_task`, every minute) and does
what the webhook and `checkoutComplete` would have done, for what is older than
`OCOP_PAYMENT_RECONCILE_AFTER_MINUTES` (so that it never races a buyer who is still paying):

1. Card payments still waiting for Stripe's word (opened within `OCOP_PAYMENT_RECONCILE_WINDOW_HOURS`) are read
   from Stripe and their state recorded, as the webhook would (`payments.services._apply_state`: the same state
   twice records nothing, so a late webhook afterwards changes nothing). An unconfirmed order whose only
   authorization was canceled at Stripe is canceled, its stock released.
2. A checkout whose card payments (or a transfer the bank credited) hold money but which became no order (the
   buyer closed the page after paying, or the process died after the charge and before the order committed) is
   completed now, as checkoutComplete would; when completing is refused (the stock went, a price changed, the
   payments do not cover it), its payments are detached from it, under the checkout's lock, and given back in
   full (a transfer: owed back, for an operator to pay).
3. Payments that hold money and belong to neither a checkout nor an order (detached in 2, or their checkout
   deleted) are refunded (charges) or released (authorizations), with the refund keys of `order_refund`, so a
   repeated run never gives back twice. Stripe unreachable: they are tried again on a later run, at most
   `RELEASE_MAX_ATTEMPTS` times, then left for an operator (logged as an error).

Never two orders: completing locks the checkout and the order remembers its token (a unique column).
"""

from __future__ import annotations

import dataclasses
import datetime
import logging
import time
import uuid

from django.conf import settings
from django.db import transaction
from django.db.models import Count, F, Max, Q, Sum
from django.utils import timezone

from marketplace.checkout.selectors import checkout_locked
from marketplace.core.errors import DomainError
from marketplace.orders.models import Order, OrderStatus
from marketplace.orders.services import order_cancel
from payments.checkout import checkout_complete_as_recorded
from payments.gateways import GatewayError
from payments.models import Gateway, TransactionEvent, TransactionEventType, TransactionItem
from payments.services import awaiting_provider, settle_from_provider, transactions_release

logger = logging.getLogger(__name__)

# The payments a checkout may hold money by: cards (and the test gateway), and transfers the bank has credited.
_HOLDING_MONEY = (*Gateway.moving_money(), Gateway.VIETQR)
RELEASE_MAX_ATTEMPTS = 8  # failed refunds of one payment before it is left for an operator
BATCH = 500  # payments read from Stripe in one run at most


@dataclasses.dataclass
class ReconciliationReport:
    read: int = 0  # payments read from Stripe
    settled: int = 0  # of which Stripe's state moved ours (the webhook that never came)
    orders_placed: list[int] = dataclasses.field(default_factory=list)  # order numbers
    checkouts_refused: int = 0  # paid checkouts that could not become orders: their payments given back
    released: int = 0  # payments refunded or released in full
    released_amount: int = 0  # đồng given back or released
    orders_canceled: list[int] = dataclasses.field(default_factory=list)  # unconfirmed, authorization gone
    unreachable: int = 0  # calls that failed because Stripe could not be reached (tried again next run)
    errors: int = 0  # checkouts that failed unexpectedly (logged with their traceback; tried again next run)
    seconds: float = 0.0
    attempted: set[uuid.UUID] = dataclasses.field(default_factory=set, repr=False)  # released (or tried) this run


def reconcile_payments(*, now: datetime.datetime | None = None) -> ReconciliationReport:
    """One run of the reconciliation (see the module's docstring); safe to run again, and concurrently."""
    started = time.monotonic()
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(minutes=settings.OCOP_PAYMENT_RECONCILE_AFTER_MINUTES)
    window_start = now - datetime.timedelta(hours=settings.OCOP_PAYMENT_RECONCILE_WINDOW_HOURS)
    report = ReconciliationReport()
    _settle_pending(report, cutoff=cutoff, window_start=window_start)
    _complete_paid_checkouts(report, cutoff=cutoff)
    _release_orphans(report, cutoff=cutoff, window_start=window_start)
    report.seconds = time.monotonic() - started
    changed = (report.settled, report.orders_placed, report.released, report.orders_canceled)
    if any(changed) or report.unreachable or report.errors:
        logger.warning("Payment reconciliation: %s", report)
    return report


def _settle_pending(
    report: ReconciliationReport, *, cutoff: datetime.datetime, window_start: datetime.datetime
) -> None:
    pending = awaiting_provider(TransactionItem.objects.all()).filter(
        created_at__gte=window_start, modified_at__lte=cutoff
    )
    for item in pending.order_by("modified_at")[:BATCH]:
        report.read += 1
        try:
            moved = settle_from_provider(item)
        except GatewayError as error:
            if error.retryable:
                report.unreachable += 1
            logger.warning("Reconciliation could not read transaction %s: %s", item.pk, error.message)
            continue
        if not moved:
            # Touched, so that an intent nobody pays is read again only after another grace period.
            TransactionItem.objects.filter(pk=item.pk).update(modified_at=timezone.now())
            continue
        report.settled += 1
        item.refresh_from_db()
        if item.order_id is not None and item.canceled_amount > 0:
            _cancel_if_unpaid(report, order_id=item.order_id)


def _cancel_if_unpaid(report: ReconciliationReport, *, order_id: uuid.UUID) -> None:
    """An unconfirmed order (placed on an authorization) whose payments no longer cover it: canceled, stock released."""
    order = Order.objects.filter(pk=order_id, status=OrderStatus.UNCONFIRMED).first()
    if order is None:
        return
    totals = order.transactions.filter(gateway__in=Gateway.moving_money()).aggregate(
        authorized=Sum("authorized_amount"), charged=Sum("charged_amount"), refunded=Sum("refunded_amount")
    )
    covered = (totals["authorized"] or 0) + (totals["charged"] or 0) - (totals["refunded"] or 0)
    if covered < order.total_amount:
        order_cancel(order=order, by_user=None, reason="payment_canceled")
        report.orders_canceled.append(order.number)


def _complete_paid_checkouts(report: ReconciliationReport, *, cutoff: datetime.datetime) -> None:
    paid = (
        TransactionItem.objects.filter(order=None, checkout__isnull=False, gateway__in=_HOLDING_MONEY)
        .values("checkout_id")
        .annotate(
            holding=Sum(F("charged_amount") - F("refunded_amount") + F("authorized_amount")),
            # Opened (not moved: the settling above touches what it reads) and changed by the buyer before the cutoff.
            last_opened=Max("created_at"),
            checkout_changed=Max("checkout__last_change"),
        )
        .filter(holding__gt=0, last_opened__lte=cutoff, checkout_changed__lte=cutoff)
        .order_by("last_opened")
    )
    for row in paid[:BATCH]:
        try:
            _complete_or_give_back(report, token=row["checkout_id"])
        except Exception:  # one checkout's surprise must not stop the others' settling; the next run tries again
            logger.exception("Reconciliation could not settle checkout %s", row["checkout_id"])
            report.errors += 1


def _complete_or_give_back(report: ReconciliationReport, *, token: uuid.UUID) -> None:
    """The order the paid checkout becomes, or, when it is refused, its payments detached (under the checkout's
    lock, so that the buyer cannot complete with them meanwhile) and given back."""
    detached: list[TransactionItem] = []
    with transaction.atomic():
        checkout = checkout_locked(token=token)
        if checkout is None:
            return  # it became an order meanwhile
        try:
            with transaction.atomic():
                order = checkout_complete_as_recorded(token=checkout.pk, user=None)
        except DomainError as refusal:
            codes = ", ".join(sorted({str(detail.code) for detail in refusal.details}))
            detached = list(
                TransactionItem.objects.select_for_update().filter(
                    checkout=checkout, order=None, gateway__in=_HOLDING_MONEY
                )
            )
            message = f"Given back: the paid checkout could not become an order ({codes})."
            TransactionItem.objects.filter(pk__in=[item.pk for item in detached]).update(
                checkout=None, message=message[:512], modified_at=timezone.now()
            )
            TransactionEvent.objects.bulk_create(
                TransactionEvent(transaction=item, type=TransactionEventType.INFO, message=message[:512])
                for item in detached
            )
            logger.warning("Checkout %s was paid but refused (%s): its payments are given back", checkout.pk, codes)
            report.checkouts_refused += 1
        else:
            report.orders_placed.append(order.number)
            logger.warning("Checkout %s was paid and left incomplete: order #%s placed", checkout.pk, order.number)
    if detached:
        _release(report, list(TransactionItem.objects.filter(pk__in=[item.pk for item in detached])))


def _release_orphans(
    report: ReconciliationReport, *, cutoff: datetime.datetime, window_start: datetime.datetime
) -> None:
    orphans = (
        TransactionItem.objects.filter(order=None, checkout=None, gateway__in=Gateway.moving_money())
        .filter(Q(charged_amount__gt=F("refunded_amount")) | Q(authorized_amount__gt=0))
        .filter(modified_at__gte=window_start)
        .annotate(
            failures=Count("events", filter=Q(events__type=TransactionEventType.REFUND_FAILURE)),
            last_failure=Max("events__created_at", filter=Q(events__type=TransactionEventType.REFUND_FAILURE)),
        )
        .filter(failures__lt=RELEASE_MAX_ATTEMPTS)
        .filter(Q(last_failure=None) | Q(last_failure__lte=cutoff))
        .exclude(pk__in=report.attempted)
    )
    _release(report, list(orphans[:BATCH]))


def _release(report: ReconciliationReport, items: list[TransactionItem]) -> None:
    for item in items:
        report.attempted.add(item.pk)
        try:
            amount = transactions_release(items=[item], reason="a payment that became no order")
        except GatewayError:
            report.unreachable += 1
            continue
        report.released += 1
        report.released_amount += amount
