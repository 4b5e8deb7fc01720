"""Paying producers: their bank details, and payout runs (draft → exported → paid, or canceled).

An operator makes a run of producers the platform owes money to (`payout_run_create`); each line copies the
balance and the bank details of the moment. The bank's batch file is exported (`payout_run_export`, which checks
the balances again); once the bank has transferred, the run is marked paid with the bank's reference
(`payout_run_mark_paid`), which posts one payout entry per line, keyed by run and producer. A producer is in one
open run at most (a partial unique index on the lines), and rows are locked where two operators could act at once.
"""

from __future__ import annotations

import dataclasses
import re
import unicodedata
from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from marketplace.accounts.models import Role, User
from marketplace.accounts.permissions import is_operator, role_of
from marketplace.core.errors import DomainError, ErrorDetail, PermissionDenied
from marketplace.core.text import clean_text
from marketplace.ledger.error_codes import LedgerErrorCode
from marketplace.ledger.models import (
    OPEN_RUN_STATUSES,
    Account,
    AccountKind,
    EntryKind,
    PayoutDetails,
    PayoutLine,
    PayoutRun,
    PayoutRunStatus,
    PostingItem,
)
from marketplace.ledger.postings import PostingLine
from marketplace.ledger.selectors import producer_balances
from marketplace.ledger.services import entry_post
from marketplace.producers.models import Producer

_ACCOUNT_NUMBER = re.compile(r"[0-9]{6,19}")
_BANK_BIN = re.compile(r"[0-9]{6}")
_HOLDER = re.compile(r"[A-Z0-9][A-Z0-9 .,&()-]*")
_SEPARATORS = re.compile(r"[\s.-]")


# --- bank details ---------------------------------------------------------------------------------------------


def bank_holder_name(value: str) -> str:
    """A name as banks spell it: capital ASCII letters, accents taken off, Đ/đ as D, spaces collapsed:
    "Hợp tác xã Đồng Tiến" → "HOP TAC XA DONG TIEN"."""
    text = (value or "").replace("Đ", "D").replace("đ", "d")
    decomposed = unicodedata.normalize("NFD", text)
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(bare.upper().split())


@dataclasses.dataclass(frozen=True)
class BankDetails:
    bank_bin: str
    bank_name: str
    account_number: str
    account_holder: str


def bank_details_clean(
    *, bank_bin: str, bank_name: str, account_number: str, account_holder: str
) -> tuple[BankDetails, list[ErrorDetail]]:
    """The details as they are stored (number without spaces or dots, holder in the bank's letters), and every
    problem with them."""
    details = BankDetails(
        bank_bin=(bank_bin or "").strip(),
        bank_name=clean_text(bank_name) or "",
        account_number=_SEPARATORS.sub("", account_number or ""),
        account_holder=bank_holder_name(clean_text(account_holder) or ""),
    )
    problems = []
    if not _BANK_BIN.fullmatch(details.bank_bin):
        problems.append(ErrorDetail("The bank's BIN is its 6-digit Napas code.", LedgerErrorCode.INVALID, "bank_bin"))
    if not details.bank_name:
        problems.append(ErrorDetail("Name the bank.", LedgerErrorCode.REQUIRED, "bank_name"))
    elif len(details.bank_name) > 200:
        problems.append(ErrorDetail("The bank's name is too long.", LedgerErrorCode.INVALID, "bank_name"))
    if not _ACCOUNT_NUMBER.fullmatch(details.account_number):
        problems.append(
            ErrorDetail("An account number has 6 to 19 digits only.", LedgerErrorCode.INVALID, "account_number")
        )
    if not details.account_holder:
        problems.append(ErrorDetail("Name the account holder.", LedgerErrorCode.REQUIRED, "account_holder"))
    elif len(details.account_holder) > 100 or not _HOLDER.fullmatch(details.account_holder):
        problems.append(
            ErrorDetail(
                "The account holder is written as the bank has it: letters, digits, spaces and . , & ( ) - only.",
                LedgerErrorCode.INVALID,
                "account_holder",
            )
        )
    return details, problems


def can_edit_payout_details(user: User | None, producer: Producer) -> bool:
    """Operators, and the producer's own staff."""
    if is_operator(user):
        return True
    return role_of(user) == Role.PRODUCER_STAFF and user is not None and user.producer_id == producer.pk


def payout_details_update(
    *, producer: Producer, by_user: User, bank_bin: str, bank_name: str, account_number: str, account_holder: str
) -> PayoutDetails:
    """Set where the producer is paid; refuses with every problem at once. Runs already made keep the details
    they copied."""
    if not can_edit_payout_details(by_user, producer):
        raise PermissionDenied("Only the producer's staff and operators change where it is paid.")
    details, problems = bank_details_clean(
        bank_bin=bank_bin, bank_name=bank_name, account_number=account_number, account_holder=account_holder
    )
    if problems:
        raise DomainError(details=problems)
    with transaction.atomic():
        record, _ = PayoutDetails.objects.select_for_update().get_or_create(
            producer=producer, defaults={**dataclasses.asdict(details), "updated_by": by_user}
        )
        for name, value in dataclasses.asdict(details).items():
            setattr(record, name, value)
        record.updated_by = by_user
        record.save()
    return record


# --- payout runs ----------------------------------------------------------------------------------------------


def _operator(user: User | None) -> None:
    if not is_operator(user):
        raise PermissionDenied("Only operators pay producers.")


def _lock_payables(producer_ids: Iterable[int]) -> None:
    """Lock the producers' payable accounts (in id order, so two operators never wait on each other in a circle):
    no run is made or paid for them by anyone else until this transaction ends."""
    ids = sorted(set(producer_ids))
    for producer_id in ids:
        Account.objects.get_or_create(kind=AccountKind.PRODUCER_PAYABLE, producer_id=producer_id)
    list(
        Account.objects.select_for_update()
        .filter(kind=AccountKind.PRODUCER_PAYABLE, producer_id__in=ids)
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def _run_refusals(producers: list[Producer], balances: dict[int, int]) -> list[ErrorDetail]:
    open_ids = set(
        PayoutLine.objects.filter(producer__in=producers, is_open=True).values_list("producer_id", flat=True)
    )
    with_details = set(PayoutDetails.objects.filter(producer__in=producers).values_list("producer_id", flat=True))
    problems = []
    for producer in producers:
        if balances.get(producer.pk, 0) <= 0:
            message, code = f"{producer.name}: nothing is owed to this producer.", LedgerErrorCode.NO_BALANCE
        elif producer.pk in open_ids:
            message, code = f"{producer.name} is already in a payout run not yet paid.", LedgerErrorCode.ALREADY_IN_RUN
        elif producer.pk not in with_details:
            message = f"{producer.name} has no bank details yet: they enter them in the portal, or an operator here."
            code = LedgerErrorCode.NO_PAYOUT_DETAILS
        else:
            continue
        problems.append(ErrorDetail(message, code, "producers"))
    return problems


def payout_run_create(*, producer_ids: Iterable[int], by_user: User) -> PayoutRun:
    """A draft run paying each chosen producer what it is owed now, to the bank details it has now. Refuses, with
    every reason, producers owed nothing, already in an open run or without bank details."""
    _operator(by_user)
    ids = sorted(set(producer_ids))
    if not ids:
        raise DomainError("Choose at least one producer.", code=LedgerErrorCode.REQUIRED, field="producers")
    with transaction.atomic():
        _lock_payables(ids)
        producers = list(Producer.objects.filter(pk__in=ids).order_by("name", "pk"))
        if len(producers) != len(ids):
            raise DomainError("A chosen producer does not exist.", code=LedgerErrorCode.NOT_FOUND, field="producers")
        balances = producer_balances(producer_ids=ids)
        problems = _run_refusals(producers, balances)
        if problems:
            raise DomainError(details=problems)
        run = PayoutRun.objects.create(created_by=by_user)
        details = {d.producer_id: d for d in PayoutDetails.objects.filter(producer_id__in=ids)}
        PayoutLine.objects.bulk_create(
            PayoutLine(
                run=run,
                producer=producer,
                amount=balances[producer.pk],
                bank_bin=details[producer.pk].bank_bin,
                bank_name=details[producer.pk].bank_name,
                account_number=details[producer.pk].account_number,
                account_holder=details[producer.pk].account_holder,
            )
            for producer in producers
        )
    return run


def _locked_run(run: PayoutRun) -> PayoutRun:
    return PayoutRun.objects.select_for_update().get(pk=run.pk)


def _check_status(run: PayoutRun, allowed: Iterable[PayoutRunStatus], doing: str) -> None:
    if run.status not in set(allowed):
        raise DomainError(
            f"Payout run #{run.pk} is {run.get_status_display().lower()}: it cannot be {doing}.",
            code=LedgerErrorCode.WRONG_STATUS,
            field="status",
        )


def payout_run_export(*, run: PayoutRun, by_user: User) -> PayoutRun:
    """The run's bank file is about to be handed to the bank: check that every producer is still owed at least
    its line (a refund since the run was made would otherwise pay out money given back), and mark it exported.
    An exported run may be exported again (the same file)."""
    _operator(by_user)
    with transaction.atomic():
        run = _locked_run(run)
        _check_status(run, OPEN_RUN_STATUSES, "exported")
        lines = list(run.lines.select_related("producer"))
        _lock_payables(line.producer_id for line in lines)
        balances = producer_balances(producer_ids=[line.producer_id for line in lines])
        problems = [
            ErrorDetail(
                f"{line.producer.name} is now owed {balances.get(line.producer_id, 0)} đồng, less than the "
                f"{line.amount} of this run: cancel it and make a new one.",
                LedgerErrorCode.BALANCE_CHANGED,
                "lines",
            )
            for line in lines
            if balances.get(line.producer_id, 0) < line.amount
        ]
        if problems:
            raise DomainError(details=problems)
        if run.status == PayoutRunStatus.DRAFT:
            run.status = PayoutRunStatus.EXPORTED
            run.exported_at = timezone.now()
            run.save(update_fields=["status", "exported_at"])
    return run


def payout_key(run_id: int, producer_id: int) -> str:
    return f"payout:{run_id}:{producer_id}"


def payout_run_mark_paid(*, run: PayoutRun, bank_reference: str, by_user: User) -> PayoutRun:
    """The bank has made the transfers of an exported run: post one payout per line (debit the producer's payable,
    credit the bank), never twice, and close the run."""
    _operator(by_user)
    reference = clean_text(bank_reference) or ""
    if not reference or len(reference) > 100:
        raise DomainError(
            "Enter the bank's reference of the batch (100 characters at most).",
            code=LedgerErrorCode.REQUIRED,
            field="bank_reference",
        )
    with transaction.atomic():
        run = _locked_run(run)
        _check_status(run, [PayoutRunStatus.EXPORTED], "marked paid (export its bank file first)")
        lines = list(run.lines.select_related("producer").order_by("pk"))
        _lock_payables(line.producer_id for line in lines)
        for line in lines:
            entry_post(
                key=payout_key(run.pk, line.producer_id),
                kind=EntryKind.PAYOUT,
                lines=[
                    PostingLine(AccountKind.PRODUCER_PAYABLE, line.amount, PostingItem.PAYOUT, line.producer_id),
                    PostingLine(AccountKind.PAYOUT_BANK, -line.amount, PostingItem.PAYOUT),
                ],
                producer_id=line.producer_id,
                payout_run_id=run.pk,
                memo=f"Payout run #{run.pk}, bank reference {reference}",
            )
        run.lines.update(is_open=False)
        run.status = PayoutRunStatus.PAID
        run.bank_reference = reference
        run.paid_at = timezone.now()
        run.paid_by = by_user
        run.save(update_fields=["status", "bank_reference", "paid_at", "paid_by"])
    return run


def payout_run_cancel(*, run: PayoutRun, by_user: User) -> PayoutRun:
    """Drop a run not paid (the bank refused the file, a balance changed): its producers may go in another."""
    _operator(by_user)
    with transaction.atomic():
        run = _locked_run(run)
        _check_status(run, OPEN_RUN_STATUSES, "canceled")
        run.lines.update(is_open=False)
        run.status = PayoutRunStatus.CANCELED
        run.canceled_at = timezone.now()
        run.save(update_fields=["status", "canceled_at"])
    return run
