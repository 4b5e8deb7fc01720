"""Bank transfers after the QR code: the credits the bank reports, matched to orders, and what is owed back.

A credit arrives from the bank's notification service (`payments.views.bank_webhook`) or from a statement file
an operator uploads (`statement_import`); both hand it to `credit_receive`, which records it once per bank
transaction (the bank's reference is unique) and applies it:

- its description names a transfer we opened ("OCOP 100234", however the bank wrote it: `vietqr.reference`) →
  the money is recorded on that transfer (a CHARGE_SUCCESS event; the order's totals follow, and an order paid
  in full is confirmed: `orders.services.order_payment_update`). The amount decides the status: exactly what was
  still due → MATCHED; less → SHORT, more → OVER, both left for an operator with the difference;
- it names a VietQR sale at an outlet's counter ("OCOPQ 345") → the sale takes the money and is paid once the
  total is in (`counter.services.counter_transfer_received`), with the same statuses;
- no reference we know → UNMATCHED: the suspense list, which an operator assigns to an order by hand
  (`credit_assign`) or dismisses with a note (`credit_dismiss`).

Money received for an order that is cancelled, or more than it costs, is owed back to the buyer: a
`TransferRefund`, paid by an operator to the account the buyer gives and marked paid with the bank's reference
(`transfer_refund_mark_paid`); only then does the order show it refunded.

An order placed for a transfer keeps its stock for OCOP_TRANSFER_HOLD_HOURS; `transfers_cancel_unpaid` cancels
the ones still unpaid after that (stock back, the buyer told why), except while an operator has a short credit
of theirs to settle.
"""

from __future__ import annotations

import dataclasses
import datetime
import logging
from collections.abc import Sequence

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Sum
from django.utils import timezone

from marketplace.accounts.models import User
from marketplace.accounts.permissions import is_operator
from marketplace.core.errors import DomainError, PermissionDenied
from marketplace.counter.models import CounterSaleStatus
from marketplace.counter.services import counter_sales_named, counter_transfer_received
from marketplace.orders.models import Order, OrderEventType, OrderStatus, PaymentMethod
from marketplace.orders.services import order_cancel
from marketplace.orders.transfer_reference import candidates, reference_for
from payments.checkout import order_totals_refresh
from payments.error_codes import TransferErrorCode
from payments.models import (
    BankCredit,
    CreditSource,
    CreditStatus,
    Gateway,
    RefundStatus,
    StatementImport,
    TransactionEvent,
    TransactionEventType,
    TransactionItem,
    TransferRefund,
)

logger = logging.getLogger(__name__)

TRANSFER_NOT_RECEIVED = "transfer_not_received"  # the reason of a cancellation, as orders.emails tells it


@dataclasses.dataclass(frozen=True)
class IncomingCredit:
    """A credit to the collection account as the bank reports it."""

    bank_reference: str  # the bank's own id of the transaction: the same in its notification and its statement
    amount: int  # whole đồng, > 0
    description: str
    transacted_at: datetime.datetime
    account_number: str = ""


# --- receiving credits ---


def credit_receive(
    credit: IncomingCredit, *, source: CreditSource, statement: StatementImport | None = None
) -> tuple[BankCredit, bool]:
    """Records the credit and applies it (see the module's docstring); a bank transaction already recorded is
    returned as it is, with False."""
    reference = credit.bank_reference.strip()[:128]
    with transaction.atomic():
        try:
            with transaction.atomic():
                row = BankCredit.objects.create(
                    bank_reference=reference,
                    account_number=credit.account_number[:32],
                    amount=credit.amount,
                    description=credit.description[:512],
                    transacted_at=credit.transacted_at,
                    source=source,
                    statement=statement,
                    status=CreditStatus.UNMATCHED,
                )
        except IntegrityError:
            return BankCredit.objects.get(bank_reference=reference), False
        item = _named_transfer(credit.description)
        if item is not None:
            _apply(row, item)
        else:
            _apply_to_counter_sale(row)
    if row.status == CreditStatus.UNMATCHED:
        logger.info("Bank credit %s (%s đồng) names no transfer: in suspense", reference, credit.amount)
    return row, True


def _named_transfer(description: str) -> TransactionItem | None:
    """The transfer a description names: of the references it may carry, the first that is one of ours."""
    found = candidates(description)
    if not found:
        return None
    items = {
        item.psp_reference: item
        for item in TransactionItem.objects.filter(gateway=Gateway.VIETQR, psp_reference__in=found)
    }
    return next((items[reference] for reference in found if reference in items), None)


def _apply(row: BankCredit, item: TransactionItem, *, by_user: User | None = None) -> BankCredit:
    """The credit's money recorded on the transfer `item`, and the credit's status from what was due. The order's
    row is locked first, so that a cancellation (the hold running out) either comes before, and the money is owed
    back, or waits for this."""
    order = Order.objects.select_for_update(of=("self",)).get(pk=item.order_id) if item.order_id else None
    item = TransactionItem.objects.select_for_update().get(pk=item.pk)
    if order is None and item.order_id is not None:  # its checkout became an order meanwhile
        order = Order.objects.get(pk=item.order_id)
    canceled = order is not None and order.status == OrderStatus.CANCELED
    due = 0 if canceled else max(item.amount_requested - item.charged_amount, 0)
    difference = row.amount - due
    item.charged_amount += row.amount
    item.status = "transfer_received"
    item.message = "Transfer received."
    item.save(update_fields=["charged_amount", "status", "message", "modified_at"])
    TransactionEvent.objects.create(
        transaction=item,
        type=TransactionEventType.CHARGE_SUCCESS,
        amount=row.amount,
        psp_reference=row.bank_reference,
        message=f"Transfer received: {row.description}"[:512],
        created_by=by_user,
    )
    row.transaction = item
    _judge(row, difference, by_user=by_user)
    if canceled:
        row.note = "The order was cancelled before the money came: all of it is owed back to the buyer."
    row.save()
    if order is not None:
        order_totals_refresh(order=order, event=OrderEventType.PAYMENT_CHARGED, amount=row.amount, by_user=by_user)
        if canceled:
            transfer_refunds_owe(order=order, reason="The order was cancelled before the transfer arrived.")
    if item.charged_amount >= item.amount_requested:
        _settle_short_credits(item, by_user=by_user)
    return row


def _apply_to_counter_sale(row: BankCredit) -> None:
    """A credit naming a VietQR sale at an outlet's counter ("OCOPQ 345"): the sale takes the money (and is paid
    once the total is in); the status says how the amount compared with what the sale still wanted. Money for a
    sale cancelled meanwhile is left OVER for an operator to send back."""
    named = counter_sales_named(row.description)
    if not named:
        return
    outcome = counter_transfer_received(sale_id=named[0], amount=row.amount)
    row.counter_sale = outcome.sale
    _judge(row, row.amount - outcome.due, by_user=None)
    if outcome.sale.status == CounterSaleStatus.CANCELED:
        row.note = "The counter sale was cancelled before the money came: all of it is owed back to the buyer."
    row.save()


def _judge(row: BankCredit, difference: int, *, by_user: User | None) -> None:
    """The credit's status from what it paid against what was due: to the đồng, MATCHED (ASSIGNED, and settled,
    when an operator gave it); less, SHORT; more, OVER (both left for an operator)."""
    row.difference = difference
    if difference == 0:
        row.status = CreditStatus.ASSIGNED if by_user is not None else CreditStatus.MATCHED
        row.resolved_at = timezone.now() if by_user is not None else None
        row.resolved_by = by_user
    else:
        row.status = CreditStatus.SHORT if difference < 0 else CreditStatus.OVER


def _settle_short_credits(item: TransactionItem, *, by_user: User | None) -> None:
    """Once a transfer is paid in full, its earlier short credits need no one any more."""
    BankCredit.objects.filter(transaction=item, status=CreditStatus.SHORT, resolved_at__isnull=True).update(
        resolved_at=timezone.now(), resolved_by=by_user, note="The rest arrived in a later transfer."
    )


# --- the operator's part: the suspense list and the differences ---


def _require_operator(user: User | None) -> None:
    if not is_operator(user):
        raise PermissionDenied("Only operators settle bank credits.")


def _locked_credit(credit: BankCredit) -> BankCredit:
    return BankCredit.objects.select_for_update().get(pk=credit.pk)


def credit_assign(*, credit: BankCredit, order_number: int, by_user: User) -> BankCredit:
    """An operator gives a credit from the suspense list to the transfer order `order_number`."""
    _require_operator(by_user)
    with transaction.atomic():
        credit = _locked_credit(credit)
        if credit.status != CreditStatus.UNMATCHED:
            raise DomainError(
                "Only credits in the suspense list can be assigned.", code=TransferErrorCode.INVALID, field="credit"
            )
        item = (
            TransactionItem.objects.filter(gateway=Gateway.VIETQR, order__number=order_number).order_by("-created_at")
        ).first() or TransactionItem.objects.filter(
            gateway=Gateway.VIETQR, psp_reference=reference_for(order_number)
        ).first()
        if item is None:
            raise DomainError(
                f"Order #{order_number} does not exist or is not paid by bank transfer.",
                code=TransferErrorCode.NOT_FOUND,
                field="order_number",
            )
        return _apply(credit, item, by_user=by_user)


def credit_dismiss(*, credit: BankCredit, note: str, by_user: User) -> BankCredit:
    """An operator says a credit in the suspense list is no buyer's payment (a test transfer, the bank's
    interest): it leaves the list, with the reason."""
    _require_operator(by_user)
    note = note.strip()
    if not note:
        raise DomainError("Say why this credit is dismissed.", code=TransferErrorCode.REQUIRED, field="note")
    with transaction.atomic():
        credit = _locked_credit(credit)
        if credit.status != CreditStatus.UNMATCHED:
            raise DomainError(
                "Only credits in the suspense list can be dismissed.", code=TransferErrorCode.INVALID, field="credit"
            )
        credit.status = CreditStatus.DISMISSED
        credit.note = note[:512]
        credit.resolved_at = timezone.now()
        credit.resolved_by = by_user
        credit.save(update_fields=["status", "note", "resolved_at", "resolved_by"])
    return credit


def credit_settle(*, credit: BankCredit, by_user: User, note: str = "") -> BankCredit:
    """An operator settles a credit that did not match its order's amount. More than due: the excess is owed back
    to the buyer (a TransferRefund). Less than due: the order waits for the rest, or the operator cancels it (its
    refund is then owed); either way the note says what was decided."""
    _require_operator(by_user)
    with transaction.atomic():
        credit = _locked_credit(credit)
        if credit.status not in (CreditStatus.SHORT, CreditStatus.OVER) or credit.resolved_at is not None:
            raise DomainError(
                "Only unsettled credits above or below their order's amount can be settled.",
                code=TransferErrorCode.INVALID,
                field="credit",
            )
        item = credit.transaction
        order = item.order if item is not None else None
        # A cancelled order's money was owed back in full when it came.
        if credit.status == CreditStatus.OVER and item is not None and order and order.status != OrderStatus.CANCELED:
            _owe(item, amount=credit.difference, reason="Paid more than the order's total.", key=f"over-{credit.pk}")
        credit.resolved_at = timezone.now()
        credit.resolved_by = by_user
        credit.note = (note.strip() or credit.note)[:512]
        credit.save(update_fields=["resolved_at", "resolved_by", "note"])
    return credit


# --- what is owed back ---


def transfer_refunds_owe(*, order: Order, reason: str) -> int:
    """What the order's transfers hold and nobody owes back yet becomes owed to the buyer (a cancelled order);
    safe to run again. Returns the đồng newly owed."""
    items = TransactionItem.objects.filter(order=order, gateway=Gateway.VIETQR).order_by("created_at")
    return sum(transfer_refund_owe(item=item, reason=reason) for item in items)


def transfer_refund_owe(*, item: TransactionItem, reason: str) -> int:
    """What one transfer holds and nobody owes back yet becomes owed to the buyer; the đồng newly owed."""
    owed = TransferRefund.objects.filter(transaction=item).aggregate(total=Sum("amount"))["total"] or 0
    outstanding = item.charged_amount - max(item.refunded_amount, owed)
    if outstanding <= 0:
        return 0
    _owe(item, amount=outstanding, reason=reason, key=f"cancel-{item.token}-{item.charged_amount}")
    return outstanding


def _owe(item: TransactionItem, *, amount: int, reason: str, key: str) -> TransferRefund | None:
    refund, created = TransferRefund.objects.get_or_create(
        key=key, defaults={"transaction": item, "amount": amount, "reason": reason[:255]}
    )
    if created:
        TransactionEvent.objects.create(
            transaction=item,
            type=TransactionEventType.REFUND_REQUEST,
            amount=amount,
            message=f"Owed back to the buyer: {reason}"[:512],
            idempotency_key=key,
        )
    return refund if created else None


def transfer_refund_account_give(
    *, refund: TransferRefund, account_holder: str, bank_name: str, account_number: str
) -> TransferRefund:
    """The buyer says where their money goes back to (the order page's form)."""
    holder, bank, number = account_holder.strip(), bank_name.strip(), "".join(account_number.split())
    problems = []
    if not holder:
        problems.append(("account_holder", "Enter the account holder's name."))
    if not bank:
        problems.append(("bank_name", "Enter the bank's name."))
    if not number.isdigit() or not 6 <= len(number) <= 19:
        problems.append(("account_number", "An account number is 6 to 19 digits."))
    if problems:
        field, message = problems[0]
        raise DomainError(message, code=TransferErrorCode.INVALID, field=field)
    with transaction.atomic():
        refund = TransferRefund.objects.select_for_update().get(pk=refund.pk)
        if refund.status != RefundStatus.OWED:
            raise DomainError("This refund was paid already.", code=TransferErrorCode.INVALID, field="refund")
        refund.account_holder, refund.bank_name, refund.account_number = holder[:255], bank[:255], number
        refund.account_given_at = timezone.now()
        refund.save(update_fields=["account_holder", "bank_name", "account_number", "account_given_at"])
    return refund


def transfer_refund_mark_paid(*, refund: TransferRefund, by_user: User, bank_reference: str) -> TransferRefund:
    """An operator transferred the money back: the refund is paid, and the order shows it refunded."""
    _require_operator(by_user)
    bank_reference = bank_reference.strip()
    if not bank_reference:
        raise DomainError(
            "Enter the bank's reference of the refund transfer.",
            code=TransferErrorCode.REQUIRED,
            field="bank_reference",
        )
    with transaction.atomic():
        refund = TransferRefund.objects.select_for_update().get(pk=refund.pk)
        if refund.status == RefundStatus.PAID:
            return refund
        if not refund.account_number:
            raise DomainError(
                "The buyer has not given an account to refund to yet.",
                code=TransferErrorCode.INVALID,
                field="refund",
            )
        item = TransactionItem.objects.select_for_update().get(pk=refund.transaction_id)
        item.refunded_amount = min(item.refunded_amount + refund.amount, item.charged_amount)
        item.message = "Refunded by transfer."
        item.save(update_fields=["refunded_amount", "message", "modified_at"])
        TransactionEvent.objects.create(
            transaction=item,
            type=TransactionEventType.REFUND_SUCCESS,
            amount=refund.amount,
            psp_reference=bank_reference[:255],
            message="Refunded by transfer.",
            idempotency_key=refund.key,
            created_by=by_user,
        )
        refund.status = RefundStatus.PAID
        refund.paid_at = timezone.now()
        refund.paid_by = by_user
        refund.bank_reference = bank_reference[:128]
        refund.save(update_fields=["status", "paid_at", "paid_by", "bank_reference"])
        if item.order is not None:
            order_totals_refresh(
                order=item.order, event=OrderEventType.PAYMENT_REFUNDED, amount=refund.amount, by_user=by_user
            )
    return refund


# --- the hold ---


def transfers_cancel_unpaid(*, now: datetime.datetime | None = None) -> list[int]:
    """Cancels the orders placed for a transfer more than OCOP_TRANSFER_HOLD_HOURS ago and still not paid in full
    (their stock returns; what came is owed back), except those with a short credit an operator has not settled.
    Returns the numbers of the orders cancelled; one order's failure is logged and does not stop the others."""
    cutoff = (now or timezone.now()) - datetime.timedelta(hours=settings.OCOP_TRANSFER_HOLD_HOURS)
    waiting_for_operator = BankCredit.objects.filter(
        transaction__order=OuterRef("pk"), status=CreditStatus.SHORT, resolved_at__isnull=True
    )
    unpaid = (
        Order.objects.filter(
            status=OrderStatus.UNCONFIRMED, payment_method=PaymentMethod.TRANSFER, created_at__lte=cutoff
        )
        .exclude(Exists(waiting_for_operator))
        .order_by("created_at")
    )
    canceled = []
    for order in unpaid:
        try:
            order_cancel(order=order, by_user=None, reason=TRANSFER_NOT_RECEIVED)
        except Exception:
            logger.exception("Could not cancel unpaid transfer order %s", order)
        else:
            canceled.append(order.number)
    if canceled:
        logger.info("Transfer orders cancelled after the hold: %s", canceled)
    return canceled


# --- statement files ---


@dataclasses.dataclass(frozen=True)
class StatementFile:
    name: str
    content: bytes


def statement_import(
    *, file: StatementFile, by_user: User, columns: dict[str, Sequence[str]] | None = None
) -> StatementImport:
    """An operator's statement file: every credit in it received (`credit_receive`; those the bank's notification
    brought already are counted, not applied again), all in one transaction. A file with an unreadable row is
    refused whole (TransferErrorCode.STATEMENT_INVALID, each problem on its own line), and nothing is written."""
    from payments.vietqr.statement import StatementInvalid, read  # statement imports IncomingCredit from here

    _require_operator(by_user)
    try:
        credits, skipped = read(file.content, file_name=file.name, columns=columns)
    except StatementInvalid as invalid:
        raise DomainError("\n".join(invalid.problems), code=TransferErrorCode.STATEMENT_INVALID, field="file") from None
    with transaction.atomic():
        record = StatementImport.objects.create(
            uploaded_by=by_user, file_name=file.name[:255], rows=len(credits) + skipped, debits_skipped=skipped
        )
        for credit in credits:
            _, created = credit_receive(credit, source=CreditSource.STATEMENT, statement=record)
            if created:
                record.credits_new += 1
            else:
                record.credits_known += 1
        record.save(update_fields=["credits_new", "credits_known"])
    return record
