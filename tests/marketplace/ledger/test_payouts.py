"""Bank details and payout runs: who may act, what is refused, the bank file, and a paid run zeroing balances."""

from __future__ import annotations

import pytest
from django.utils import timezone

from marketplace.accounts.models import Role
from marketplace.core.errors import DomainError, PermissionDenied
from marketplace.ledger.bank_file import HEADER, bank_batch_csv
from marketplace.ledger.models import EntryKind, JournalEntry, PayoutRunStatus
from marketplace.ledger.payouts import (
    bank_holder_name,
    payout_details_update,
    payout_run_cancel,
    payout_run_create,
    payout_run_export,
    payout_run_mark_paid,
)
from marketplace.ledger.selectors import producer_balances
from tests.factories import make_user
from tests.marketplace.ledger.helpers import check_balanced, give_bank_details, hand_over, operator, place, refund

pytestmark = pytest.mark.django_db


def _codes(error: DomainError) -> list[str]:
    return [str(detail.code) for detail in error.details]


def test_holder_names_are_written_as_banks_want_them():
    assert bank_holder_name("Hợp tác xã  Đồng Tiến") == "HOP TAC XA DONG TIEN"
    assert bank_holder_name("đặng thị ánh") == "DANG THI ANH"


def test_bank_details_are_cleaned_and_every_problem_is_reported(shop):
    producer = shop.coffee.producer
    details = give_bank_details(producer)
    assert (details.account_number, details.account_holder) == ("0071001234567", "HOP TAC XA DONG TIEN")
    with pytest.raises(DomainError) as refused:
        payout_details_update(
            producer=producer,
            by_user=operator(),
            bank_bin="97",
            bank_name="",
            account_number="12ab",
            account_holder="☺",
        )
    assert [d.field for d in refused.value.details] == ["bank_bin", "bank_name", "account_number", "account_holder"]


def test_only_the_producers_own_staff_and_operators_edit_its_bank_details(shop):
    own = make_user(Role.PRODUCER_STAFF, producer=shop.coffee.producer)
    other = make_user(Role.PRODUCER_STAFF, producer=shop.cashew.producer)
    values = {"bank_bin": "970436", "bank_name": "VCB", "account_number": "123456789", "account_holder": "A"}
    payout_details_update(producer=shop.coffee.producer, by_user=own, **values)
    for user in (other, make_user(Role.TRADE_STAFF), make_user(Role.OUTLET_STAFF, outlet=shop.tourist_site)):
        with pytest.raises(PermissionDenied):
            payout_details_update(producer=shop.coffee.producer, by_user=user, **values)


def test_a_paid_run_zeroes_the_balances_and_shows_each_payout(shop):
    order = hand_over(place(shop))
    for product in (shop.coffee, shop.cashew):
        give_bank_details(product.producer)
    ids = [shop.coffee.producer_id, shop.cashew.producer_id]
    run = payout_run_create(producer_ids=ids, by_user=operator())
    assert {line.producer_id: line.amount for line in run.lines.all()} == {
        f.producer_id: f.payout_amount for f in order.fulfillments.all()
    }
    run = payout_run_export(run=run, by_user=operator())
    assert run.status == PayoutRunStatus.EXPORTED
    run = payout_run_mark_paid(run=run, bank_reference=" VCB-LO-2026-0001 ", by_user=operator())
    assert (run.status, run.bank_reference) == (PayoutRunStatus.PAID, "VCB-LO-2026-0001")
    assert producer_balances(producer_ids=ids) == {ids[0]: 0, ids[1]: 0}
    keys = set(JournalEntry.objects.filter(kind=EntryKind.PAYOUT).values_list("key", flat=True))
    assert keys == {f"payout:{run.pk}:{producer_id}" for producer_id in ids}
    with pytest.raises(DomainError) as refused:
        payout_run_mark_paid(run=run, bank_reference="again", by_user=operator())
    assert _codes(refused.value) == ["WRONG_STATUS"]
    assert JournalEntry.objects.filter(kind=EntryKind.PAYOUT).count() == 2
    check_balanced()


def test_a_run_refuses_producers_owed_nothing_without_bank_details_or_already_in_an_open_run(shop):
    hand_over(place(shop, cashew=0))
    coffee, cashew = shop.coffee.producer, shop.cashew.producer
    with pytest.raises(DomainError) as refused:
        payout_run_create(producer_ids=[coffee.pk, cashew.pk], by_user=operator())
    assert sorted(_codes(refused.value)) == ["NO_BALANCE", "NO_PAYOUT_DETAILS"]
    give_bank_details(coffee)
    run = payout_run_create(producer_ids=[coffee.pk], by_user=operator())
    with pytest.raises(DomainError) as refused:
        payout_run_create(producer_ids=[coffee.pk], by_user=operator())
    assert _codes(refused.value) == ["ALREADY_IN_RUN"]
    payout_run_cancel(run=run, by_user=operator())
    assert payout_run_create(producer_ids=[coffee.pk], by_user=operator()).pk != run.pk
    with pytest.raises(DomainError):
        payout_run_create(producer_ids=[], by_user=operator())


def test_only_operators_make_runs(shop):
    with pytest.raises(PermissionDenied):
        payout_run_create(producer_ids=[shop.coffee.producer_id], by_user=make_user(Role.TRADE_STAFF))


def test_a_run_is_not_exported_when_a_refund_lowered_a_balance_meanwhile(shop):
    order = hand_over(place(shop, cashew=0))
    give_bank_details(shop.coffee.producer)
    run = payout_run_create(producer_ids=[shop.coffee.producer_id], by_user=operator())
    refund(order, 10_000)
    with pytest.raises(DomainError) as refused:
        payout_run_export(run=run, by_user=operator())
    assert _codes(refused.value) == ["BALANCE_CHANGED"]
    with pytest.raises(DomainError):  # not exported: it cannot be marked paid either
        payout_run_mark_paid(run=run, bank_reference="X", by_user=operator())


def test_the_bank_file_lists_each_transfer_in_the_banks_columns(shop):
    hand_over(place(shop, cashew=0))
    give_bank_details(shop.coffee.producer)
    run = payout_run_create(producer_ids=[shop.coffee.producer_id], by_user=operator())
    text = bank_batch_csv(run)
    assert text.startswith("\ufeff")
    header, row = text.lstrip("\ufeff").strip().split("\r\n")
    assert header.split(",") == HEADER
    line = run.lines.get()
    month = timezone.localtime(run.created_at).strftime("%m/%Y")
    assert row.split(",") == [
        "1",
        "0071001234567",
        "HOP TAC XA DONG TIEN",
        "970436",
        "Vietcombank",
        str(line.amount),
        f"OCOP thanh toan T{month} DOT {run.pk}",
    ]
